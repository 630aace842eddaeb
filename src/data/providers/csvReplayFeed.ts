// Recorded bars (CSV files, or any loader such as the bar store) replayed as a LiveFeed: bar events in time
// order across symbols (ties in the order the series were loaded), at full speed or ×N real time, then a final
// 'closed' status. Lets the stream command and live runtimes run on history exactly as on a live provider.

import { WakeableDelay } from '../../core/wakeableDelay.js';
import { WallClock, type Clock } from '../../core/clock.js';
import { stat } from 'node:fs/promises';
import { Pi5Error } from '../../core/errors.js';
import { barAt, type BarSeries } from '../../model/barSeries.js';
import { unionTimes } from '../../model/timeline.js';
import { readBarsCsv, readBarsDir, type ReadCsvOptions } from '../csv/index.js';
import { LiveEmitter } from './liveEmitter.js';
import type { LiveFeed, LiveFeedEvents, LiveListener, LiveStatus, LiveSubscription } from './types.js';

/** 'max': as fast as the listeners take them; N: N times real time (a 1m bar every 60/N s). */
export type ReplaySpeed = number | 'max';

export interface BarReplayOptions {
  /** Loads the series to replay; called once, by connect(). */
  readonly load: () => Promise<readonly BarSeries[]>;
  readonly speed?: ReplaySpeed;
  /** Name on the CLI and in messages: 'csv', 'store'. */
  readonly name?: string;
  /** What was loaded, for messages: file names, 'bar store'. */
  readonly source?: string;
  /** Paces ×N replays; tests pass a SimulatedClock with a sleep that advances it. Default: the wall clock. */
  readonly clock?: Clock;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** At full speed, the event loop gets a turn every this many steps, so close() and timers can run. */
const YIELD_EVERY = 256;

export function parseSpeed(text: string): ReplaySpeed {
  const t = text.trim().toLowerCase();
  if (t === 'max') return 'max';
  const n = Number(t.replace(/^x/, ''));
  if (t === '' || !Number.isFinite(n) || n <= 0) throw new Pi5Error('PI5_ERR_BAD_USAGE', `--speed: ${JSON.stringify(text)} is not max or a number > 0 (×N real time)`);
  return n;
}

export class CsvReplayFeed implements LiveFeed {
  readonly name: string;
  readonly ticks = { quotes: false, trades: false };
  readonly speed: ReplaySpeed;
  private readonly events = new LiveEmitter();
  private readonly wanted = new Set<string>();
  private started = false;
  private closing = false;
  private readonly delay = new WakeableDelay();
  private readonly clock: Clock;

  constructor(private readonly o: BarReplayOptions) {
    this.name = o.name ?? 'csv';
    this.speed = o.speed ?? 'max';
    this.clock = o.clock ?? new WallClock();
  }

  on<K extends keyof LiveFeedEvents>(event: K, listener: LiveListener<K>): () => void {
    return this.events.on(event, listener);
  }

  /** Loads the data and starts the replay; rejects when a subscribed symbol has no bars. */
  async connect(): Promise<void> {
    if (this.closing) throw new Pi5Error('PI5_ERR_BAD_USAGE', `${this.name} replay: connect() after close()`);
    if (this.started) return;
    this.started = true;
    this.status({ state: 'connecting', detail: this.o.source ?? this.name });
    const all = await this.o.load();
    const chosen = this.wanted.size === 0 ? all : all.filter((s) => this.wanted.has(s.symbol));
    const missing = [...this.wanted].filter((sym) => !chosen.some((s) => s.symbol === sym));
    if (missing.length > 0) {
      const have = [...new Set(all.map((s) => s.symbol))].join(', ') || 'none';
      throw new Pi5Error('PI5_ERR_NO_DATA', `${this.name} replay: no bars for ${missing.join(', ')} in ${this.o.source ?? 'the data'} (symbols: ${have})`, { missing });
    }
    for (const s of chosen) this.wanted.add(s.symbol);
    this.status({ state: 'connected' });
    const speed = this.speed === 'max' ? 'max speed' : `×${this.speed}`;
    this.status({ state: 'subscribed', detail: `bars ${[...this.wanted].join(',')} (${chosen.reduce((n, s) => n + s.length, 0)} bars, ${speed})` });
    // Started after connect() has resolved, so the caller sees the first bar after its await, not during it.
    setImmediate(() => {
      this.replay(chosen).catch((e: unknown) => {
        const error = e instanceof Pi5Error ? e : new Pi5Error('PI5_ERR_INTERNAL', `${this.name} replay: ${(e as Error).message}`);
        this.events.emit('error', { error, fatal: true });
        this.finish({ state: 'closed', detail: 'replay failed' });
      });
    });
  }

  /** Bars only; before connect() it picks the symbols (none: every symbol in the data), after it, only unsubscribing filters. */
  async subscribe(s: LiveSubscription): Promise<void> {
    if ((s.quotes?.length ?? 0) > 0 || (s.trades?.length ?? 0) > 0) {
      throw new Pi5Error('PI5_ERR_BAD_USAGE', `${this.name} replay: recorded bars have no quotes or trades (use --bars)`);
    }
    const add = (s.bars ?? []).map((x) => x.trim().toUpperCase()).filter((x) => x !== '' && !this.wanted.has(x));
    if (this.started && add.length > 0) throw new Pi5Error('PI5_ERR_BAD_USAGE', `${this.name} replay: subscribe to ${add.join(', ')} before connect()`);
    for (const x of add) this.wanted.add(x);
    return Promise.resolve();
  }

  async unsubscribe(s: LiveSubscription): Promise<void> {
    for (const x of s.bars ?? []) this.wanted.delete(x.trim().toUpperCase());
    return Promise.resolve();
  }

  async close(): Promise<void> {
    this.finish({ state: 'closed' });
    return Promise.resolve();
  }

  /** Walks the merged time steps; each step's bars go out in series order, paced against the wall clock. */
  private async replay(series: readonly BarSeries[]): Promise<void> {
    const times = unionTimes(series);
    const cursors = new Int32Array(series.length);
    const t0 = times[0] ?? 0;
    const wall0 = this.clock.now();
    let sent = 0;
    for (let k = 0; k < times.length && !this.closing; k++) {
      const ts = times[k] as number;
      if (this.speed === 'max') {
        if (k % YIELD_EVERY === YIELD_EVERY - 1) await new Promise<void>((r) => setImmediate(r));
      } else {
        // Against the start, not the previous step, so slow listeners do not make the replay drift.
        const due = wall0 + (ts - t0) / this.speed - this.clock.now();
        if (due > 0) await this.sleep(due);
      }
      for (let j = 0; j < series.length && !this.closing; j++) {
        const s = series[j] as BarSeries;
        const i = cursors[j] as number;
        if (i >= s.length || (s.ts[i] as number) !== ts) continue;
        cursors[j] = i + 1;
        if (!this.wanted.has(s.symbol)) continue;
        this.events.emit('bar', { bar: barAt(s, i), backfilled: false });
        sent++;
      }
    }
    this.finish({ state: 'closed', detail: `end of data: ${sent} bars replayed` });
  }

  /** The last event: 'closed' once, whether the data ran out or close() was called. */
  private finish(s: LiveStatus): void {
    if (this.closing) return;
    this.closing = true;
    this.delay.wake();
    this.status(s);
    this.events.clear();
  }

  private sleep(ms: number): Promise<void> {
    return this.o.sleep ? this.o.sleep(ms) : this.delay.sleep(ms);
  }

  private status(s: LiveStatus): void {
    this.events.emit('status', s);
  }
}

/** Series of CSV files and directories (every *.csv in it); the symbol comes from the file or its column. */
export function csvSource(paths: readonly string[], opts: Omit<ReadCsvOptions, 'source' | 'symbol'> = {}): () => Promise<BarSeries[]> {
  return async () => {
    const out: BarSeries[] = [];
    for (const p of paths) {
      const isDir = await stat(p).then(
        (st) => st.isDirectory(),
        () => false,
      );
      if (isDir) out.push(...(await readBarsDir(p, opts)));
      else out.push(await readBarsCsv(p, opts));
    }
    return out;
  };
}
