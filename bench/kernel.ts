// Kernel throughput: the SMA crossover through the full event path (bus, strategy, risk, OMS, simulated
// exchange, portfolio), single symbol and 100 symbols, against a plain loop; and the bus against EventEmitter.

import { EventEmitter } from 'node:events';
import { MessageBus } from '../src/core/bus.js';
import { generateSyntheticBars } from '../src/data/synthetic.js';
import { replayBacktest } from '../src/engine/backtestRunner.js';
import type { BarSeries } from '../src/model/barSeries.js';
import { smaCross } from '../src/strategy/builtin/smaCross.js';
import { plainLoopSmaCross } from './baselines.js';
import { bestMs, rate, type BenchRecord } from './measure.js';
import { parseSize } from '../src/engine/specs.js';

function smaRun(series: readonly BarSeries[]): () => void {
  return () => {
    replayBacktest({ series, strategy: smaCross, params: { fast: 10, slow: 30 }, size: parseSize('100'), cash: 1e9 });
  };
}

export function benchKernelSingle(): BenchRecord {
  const s = generateSyntheticBars({ symbol: 'SYN', bars: 1_000_000, seed: 42, timeframe: '1m' });
  const ours = bestMs(7, smaRun([s]));
  const plain = bestMs(3, () => plainLoopSmaCross(s, 10, 30));
  return rate('kernel.smaCross.singleSymbol', 1e6 / (ours / 1000), 1e6 / (plain / 1000), 'bars/s', 'baseline: plain array loop, no engine');
}

export function benchKernel100(): BenchRecord {
  const series = Array.from({ length: 100 }, (_, i) => generateSyntheticBars({ symbol: `S${i}`, bars: 10_000, seed: 1000 + i, timeframe: '1m' }));
  const ours = bestMs(7, smaRun(series));
  const plain = bestMs(3, () => {
    for (const s of series) plainLoopSmaCross(s, 10, 30);
  });
  return rate('kernel.smaCross.100symbols', 1e6 / (ours / 1000), 1e6 / (plain / 1000), 'bars/s', 'baseline: plain array loop per symbol, no engine');
}

export function benchBus(): BenchRecord {
  const n = 10_000_000;
  interface Events {
    tick: { v: number };
  }
  const bus = new MessageBus<Events>();
  let sum = 0;
  bus.subscribe('tick', (e) => {
    sum += e.v;
  });
  const publish = bus.publisher('tick');
  const ev = { v: 1 };
  const ours = bestMs(3, () => {
    for (let i = 0; i < n; i++) publish(ev);
  });
  const emitter = new EventEmitter();
  emitter.on('tick', (e: { v: number }) => {
    sum += e.v;
  });
  const base = bestMs(3, () => {
    for (let i = 0; i < n; i++) emitter.emit('tick', ev);
  });
  if (sum === 0) throw new Error('bus delivered nothing');
  return rate('bus.events', n / (ours / 1000), n / (base / 1000), 'events/s', "baseline: node:events EventEmitter");
}
