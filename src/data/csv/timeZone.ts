// Wall-clock time in an IANA zone → UTC epoch ms, with Intl offsets cached per local day: only the two
// transition days of a year pay for exact per-row resolution.

import { Pi5Error } from '../../core/errors.js';
import { DAY_MS } from './timestamp.js';

const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT']);

/**
 * Converts wall-clock times of one zone to UTC with the 'compatible' rule of Temporal: a time that a
 * spring-forward skips (2024-03-10 02:30 in New York) moves forward by the gap (→ 03:30 EDT = 07:30Z);
 * a time that a fall-back repeats (2024-11-03 01:30) takes the earlier instant (EDT, 05:30Z).
 */
export class ZoneConverter {
  private readonly format: Intl.DateTimeFormat;
  /** Offset (ms east of UTC) valid for a whole local day, or NaN for a day holding a transition. */
  private readonly dayOffsets = new Map<number, number>();
  private lastDay = NaN;
  private lastOffset = NaN;

  constructor(readonly timeZone: string) {
    try {
      this.format = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new Pi5Error('PI5_ERR_BAD_USAGE', `unknown time zone "${timeZone}" (expected an IANA name such as America/New_York)`, {
        timeZone,
      });
    }
  }

  /** True for zones that never shift, where conversion is the identity. */
  static isUtc(timeZone: string): boolean {
    return UTC_NAMES.has(timeZone);
  }

  /** UTC epoch ms of a wall-clock time given as ms "as if UTC". */
  toUtc(wallMs: number): number {
    const day = Math.floor(wallMs / DAY_MS);
    if (day !== this.lastDay) {
      this.lastDay = day;
      this.lastOffset = this.offsetForDay(day);
    }
    const offset = this.lastOffset;
    return offset === offset ? wallMs - offset : this.resolveExactly(wallMs);
  }

  /** Offset of the zone at a UTC instant, in ms east of UTC. */
  offsetAt(utcMs: number): number {
    const seconds = Math.floor(utcMs / 1000) * 1000;
    let y = 1970;
    let mo = 1;
    let d = 1;
    let h = 0;
    let mi = 0;
    let s = 0;
    for (const part of this.format.formatToParts(seconds)) {
      const v = Number(part.value);
      if (part.type === 'year') y = v;
      else if (part.type === 'month') mo = v;
      else if (part.type === 'day') d = v;
      else if (part.type === 'hour') h = v;
      else if (part.type === 'minute') mi = v;
      else if (part.type === 'second') s = v;
    }
    const wall = Date.UTC(y, mo - 1, d, h, mi, s);
    // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear undoes that for ancient dates.
    const fixed = y < 100 ? new Date(wall).setUTCFullYear(y) : wall;
    return fixed - seconds;
  }

  /**
   * One offset for the whole local day when the zone agrees a day before, mid-day and two days after
   * (every instant of the local day lies in that window since offsets stay within ±18 h); NaN otherwise.
   */
  private offsetForDay(day: number): number {
    const cached = this.dayOffsets.get(day);
    if (cached !== undefined) return cached;
    const start = day * DAY_MS;
    const before = this.offsetAt(start - DAY_MS);
    const offset =
      before === this.offsetAt(start + DAY_MS / 2) && before === this.offsetAt(start + 2 * DAY_MS) ? before : NaN;
    this.dayOffsets.set(day, offset);
    return offset;
  }

  /** Full resolution around a transition, assuming at most one transition within a day of `wallMs`. */
  private resolveExactly(wallMs: number): number {
    const offsetBefore = this.offsetAt(wallMs - DAY_MS);
    const offsetAfter = this.offsetAt(wallMs + DAY_MS);
    const early = wallMs - Math.max(offsetBefore, offsetAfter);
    const late = wallMs - Math.min(offsetBefore, offsetAfter);
    const earlyValid = wallMs - early === this.offsetAt(early);
    const lateValid = wallMs - late === this.offsetAt(late);
    if (earlyValid) return early; // the only instant, or the earlier of a repeated hour
    if (lateValid) return late;
    return wallMs - offsetBefore; // skipped by a spring-forward: shift forward by the gap
  }
}
