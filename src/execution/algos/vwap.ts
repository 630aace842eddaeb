// VWAP: slices follow the symbol's usual intraday volume. The profile is the average volume of each time of
// day (exchange-local) over the last `lookbackDays` days before the start; each profile bucket inside
// [start, end) gets its share of the quantity. Without history in the window it falls back to TWAP's even slices.

import { localDayKey, zoneOffsetMs } from '../../core/tz.js';
import { cumulativeTargets, ScheduleCursor, type ScheduleEntry } from './schedule.js';
import { ParentAlgo, type AlgoBar, type VolumeHistory } from './parentAlgo.js';
import { DEFAULT_TWAP_SLICES } from './twap.js';

export const DEFAULT_VWAP_LOOKBACK_DAYS = 20;
const DAY_MS = 86_400_000;

export interface VolumeBucket {
  /** Exchange-local time of day of the bar open, ms since midnight. */
  readonly timeOfDayMs: number;
  /** Average volume over the lookback days (days without the bucket count as 0). */
  readonly avgVolume: number;
}

/** Average volume per time of day over the `lookbackDays` local days before the day of `beforeTs`. */
export function volumeProfile(h: VolumeHistory, timeZone: string, beforeTs: number, lookbackDays: number): VolumeBucket[] {
  const today = localDayKey(beforeTs, timeZone);
  const sums = new Map<number, number>();
  const days = new Set<number>();
  for (let ago = 0; ago < h.length; ago++) {
    const ts = h.time(ago);
    const day = localDayKey(ts, timeZone);
    if (day >= today) continue;
    if (day < today - lookbackDays) break;
    days.add(day);
    const tod = ts + zoneOffsetMs(ts, timeZone) - day * DAY_MS;
    sums.set(tod, (sums.get(tod) ?? 0) + h.volume(ago));
  }
  return [...sums.entries()].sort((a, b) => a[0] - b[0]).map(([timeOfDayMs, sum]) => ({ timeOfDayMs, avgVolume: sum / days.size }));
}

/** The profile's buckets that fall inside [start, end), day by day, with their weights. */
export function vwapSchedule(profile: readonly VolumeBucket[], timeZone: string, start: number, end: number, quantity: number): ScheduleEntry[] {
  const times: number[] = [];
  const weights: number[] = [];
  for (let day = localDayKey(start, timeZone); day <= localDayKey(end, timeZone); day++) {
    for (const b of profile) {
      const local = day * DAY_MS + b.timeOfDayMs;
      const utc = local - zoneOffsetMs(local, timeZone);
      if (utc < start || utc >= end || b.avgVolume <= 0) continue;
      times.push(utc);
      weights.push(b.avgVolume);
    }
  }
  if (times.length === 0) return [];
  return cumulativeTargets(quantity, weights).map((cumulative, i) => ({ atMs: times[i] as number, cumulative }));
}

export class VwapAlgo extends ParentAlgo {
  private cursor: ScheduleCursor | null = null;

  /** The schedule this parent follows (built on first use from the history up to the start). */
  schedule(): readonly ScheduleEntry[] {
    return this.entries ?? this.build();
  }

  private entries: ScheduleEntry[] | null = null;

  private build(): ScheduleEntry[] {
    const r = this.request;
    const end = r.end ?? this.start;
    const tz = this.services.timeZone(r.symbol);
    const profile = volumeProfile(this.services.history(r.symbol), tz, this.start, r.lookbackDays ?? DEFAULT_VWAP_LOOKBACK_DAYS);
    let entries = vwapSchedule(profile, tz, this.start, end, r.quantity);
    if (entries.length === 0) {
      const n = r.slices ?? DEFAULT_TWAP_SLICES;
      const step = (end - this.start) / n;
      entries = cumulativeTargets(r.quantity, new Array<number>(n).fill(1)).map((c, k) => ({ atMs: this.start + k * step, cumulative: c }));
    }
    this.entries = entries;
    return entries;
  }

  protected wanted(bar: AlgoBar): number {
    this.cursor ??= new ScheduleCursor(this.schedule());
    return this.cursor.dueBy(bar.ts);
  }

  protected scheduleDone(): boolean {
    return this.cursor?.done ?? false;
  }
}
