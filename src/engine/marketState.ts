// What the kernel knows of the market: instruments, the latest close and quote per symbol, and bar
// histories per symbol and timeframe (base bars as views, coarser ones aggregated on the fly).

import { Pi5Error } from '../core/errors.js';
import type { TimeframeSpec } from '../model/timeframe.js';
import type { Bar, Instrument, Quote } from '../model/types.js';
import type { BarHistory } from '../strategy/api.js';
import { BarAggregator } from '../model/barAggregator.js';
import { BufferHistory } from './history.js';

export class MarketState {
  private readonly instruments = new Map<string, Instrument>();
  private readonly base = new Map<string, BarHistory>();
  private readonly coarser = new Map<string, BufferHistory>();
  private readonly aggregators = new Map<string, BarAggregator[]>();
  private readonly closes = new Map<string, { close: number }>();
  private cachedSymbol = '';
  private cachedClose: { close: number } = { close: NaN };
  private readonly quotes = new Map<string, Quote>();

  constructor(
    readonly baseTimeframe: TimeframeSpec,
    /** Receives aggregated bars (the kernel forwards them to strategies). */
    private readonly emitCoarser: (bar: Bar) => void,
  ) {}

  addInstrument(instrument: Instrument, history: BarHistory): void {
    this.instruments.set(instrument.symbol, instrument);
    this.base.set(instrument.symbol, history);
  }

  /** Symbols in the order their instruments were added. */
  symbols(): string[] {
    return [...this.instruments.keys()];
  }

  has(symbol: string): boolean {
    return this.instruments.has(symbol);
  }

  instrument(symbol: string): Instrument {
    const i = this.instruments.get(symbol);
    if (!i) throw new Pi5Error('PI5_ERR_BAD_USAGE', `unknown symbol ${JSON.stringify(symbol)} (known: ${[...this.instruments.keys()].join(', ')})`);
    return i;
  }

  subscribe(symbol: string, tf: TimeframeSpec): void {
    this.instrument(symbol);
    if (tf.text === this.baseTimeframe.text) return;
    if (tf.ms <= this.baseTimeframe.ms) {
      throw new Pi5Error('PI5_ERR_BAD_USAGE', `cannot subscribe to ${tf.text} bars of ${symbol}: the run's base timeframe is ${this.baseTimeframe.text}; only coarser timeframes can be built`);
    }
    const key = `${symbol}|${tf.text}`;
    if (this.coarser.has(key)) return;
    const hist = new BufferHistory(symbol, tf.text);
    this.coarser.set(key, hist);
    const agg = new BarAggregator(symbol, tf, this.baseTimeframe.ms, (bar) => {
      hist.push(bar);
      this.emitCoarser(bar);
    });
    const list = this.aggregators.get(symbol);
    if (list) list.push(agg);
    else this.aggregators.set(symbol, [agg]);
  }

  history(symbol: string, timeframe?: string): BarHistory {
    if (timeframe === undefined || timeframe === this.baseTimeframe.text) {
      const h = this.base.get(symbol);
      if (!h) this.instrument(symbol);
      return h as BarHistory;
    }
    const h = this.coarser.get(`${symbol}|${timeframe}`);
    if (!h) throw new Pi5Error('PI5_ERR_BAD_USAGE', `no ${timeframe} history for ${symbol}: call ctx.subscribe('${symbol}', '${timeframe}') in onStart`);
    return h;
  }

  /** Before a base bar is processed: completes coarser bars that ended before it. */
  beforeBar(symbol: string, ts: number): void {
    const list = this.aggregators.get(symbol);
    if (list) for (const a of list) a.beforeBar(ts);
  }

  /** After the base bar is processed by the exchange: records the close and feeds aggregators. */
  onBar(bar: Bar): void {
    if (bar.symbol !== this.cachedSymbol) {
      this.cachedSymbol = bar.symbol;
      let c = this.closes.get(bar.symbol);
      if (!c) {
        c = { close: NaN };
        this.closes.set(bar.symbol, c);
      }
      this.cachedClose = c;
    }
    this.cachedClose.close = bar.close;
    if (this.aggregators.size > 0) {
      const list = this.aggregators.get(bar.symbol);
      if (list) for (const a of list) a.add(bar);
    }
  }

  get hasAggregators(): boolean {
    return this.aggregators.size > 0;
  }

  lastClose(symbol: string): number {
    return this.closes.get(symbol)?.close ?? NaN;
  }

  onQuote(q: Quote): void {
    this.quotes.set(q.symbol, q);
  }

  lastQuote(symbol: string): Quote | undefined {
    return this.quotes.get(symbol);
  }
}
