import { describe, expect, it } from 'vitest';
import { generateSyntheticBars } from '../../../src/data/synthetic.js';
import { localReturns } from '../../../src/optimize/diagnostics.js';
import { parseObjective } from '../../../src/optimize/objective.js';
import { localEvaluator } from '../../../src/optimize/optimizer.js';
import { buildSpace } from '../../../src/optimize/space.js';
import type { TrialBase } from '../../../src/optimize/trial.js';
import { addSpan, parseWalkForward, walkForward, walkForwardWindows } from '../../../src/optimize/walkForward.js';
import { defineStrategy } from '../../../src/strategy/api.js';
import { smaCross } from '../../../src/strategy/builtin/smaCross.js';

const d = (s: string): number => Date.parse(`${s}T00:00:00Z`);

describe('walk-forward windows', () => {
  it('reads is/oos lengths and the mode', () => {
    expect(parseWalkForward('is=2y,oos=6m')).toMatchObject({ inSample: { n: 2, unit: 'y' }, outOfSample: { n: 6, unit: 'm' }, anchored: false });
    expect(parseWalkForward('is=30d, oos=2w, anchored').anchored).toBe(true);
    for (const bad of ['is=2y', 'is=2y,oos=0m', 'is=2x,oos=1m', 'is=1y,oos=1m,sideways']) expect(() => parseWalkForward(bad)).toThrow(/--walk-forward/);
    expect(addSpan(d('2020-01-31'), { n: 1, unit: 'm', text: '1m' })).toBe(d('2020-02-29'));
  });

  it('tiles the out-of-sample spans exactly after the first in-sample span (rolling and anchored)', () => {
    const spec = parseWalkForward('is=1y,oos=6m');
    expect(walkForwardWindows(d('2020-01-01'), d('2021-12-31'), spec)).toEqual([
      { isFrom: d('2020-01-01'), isTo: d('2021-01-01'), oosFrom: d('2021-01-01'), oosTo: d('2021-07-01') },
      { isFrom: d('2020-07-01'), isTo: d('2021-07-01'), oosFrom: d('2021-07-01'), oosTo: d('2021-12-31') + 1 },
    ]);
    const anchored = walkForwardWindows(d('2020-01-01'), d('2022-03-01'), parseWalkForward('is=1y,oos=6m,anchored'));
    expect(anchored.map((w) => [w.isFrom, w.oosFrom, w.oosTo])).toEqual([
      [d('2020-01-01'), d('2021-01-01'), d('2021-07-01')],
      [d('2020-01-01'), d('2021-07-01'), d('2022-01-01')],
      [d('2020-01-01'), d('2022-01-01'), d('2022-03-01') + 1],
    ]);
  });
});

// Every bar any in-sample trial sees, to prove that no out-of-sample bar reaches the optimization.
const seen: number[] = [];
const spy = defineStrategy({
  id: 'spy',
  name: 'spy',
  description: 'sma-cross that records the bars it sees',
  params: smaCross.params,
  create(p) {
    const inner = smaCross.create(p);
    return {
      ...inner,
      onBar(bar, ctx) {
        seen.push(bar.ts);
        inner.onBar?.(bar, ctx);
      },
    };
  },
});

describe('walk-forward analysis', () => {
  const series = generateSyntheticBars({ symbol: 'WF', bars: 900, seed: 11, timeframe: '1d' });
  const base: TrialBase = { series: [series], strategy: spy, cash: 100_000 };
  const space = buildSpace({ strategyId: 'spy', schema: spy.params, grid: ['fast=3:15:4', 'slow=20:60:20'] });
  const rules = { objective: parseObjective('totalReturn'), constraints: [] };
  const spec = parseWalkForward('is=1y,oos=6m');

  it('never lets an out-of-sample bar reach the in-sample optimization, and stitches the out-of-sample equity', async () => {
    const windows = walkForwardWindows(series.ts[0] as number, series.ts[series.length - 1] as number, spec);
    let k = 0;
    let replays = 0;
    const result = await walkForward({
      base, space, rules, spec, method: 'grid',
      evaluatorFor: (isBase) => {
        const w = windows[k++];
        const inner = localEvaluator(isBase, space, rules);
        return async (batch) => {
          seen.length = 0;
          const trials = await inner(batch);
          expect(seen.length).toBeGreaterThan(0);
          expect(Math.max(...seen)).toBeLessThan(w?.oosFrom ?? -Infinity);
          expect(Math.min(...seen)).toBeGreaterThanOrEqual(w?.isFrom ?? Infinity);
          return trials;
        };
      },
      // The windows' diagnostics replay trials for their returns: on the in-sample bars only, too.
      returnsFor: (isBase, inSample) => {
        const inner = localReturns(isBase);
        return async (params) => {
          seen.length = 0;
          const out = await inner(params);
          expect(Math.max(...seen)).toBeLessThan(inSample.to);
          expect(Math.min(...seen)).toBeGreaterThanOrEqual(inSample.from);
          replays++;
          return out;
        };
      },
    });
    expect(k).toBe(windows.length);
    expect(replays).toBeGreaterThanOrEqual(windows.length);
    expect(result.windows.every((w) => w.diagnostics !== null)).toBe(true);
    expect(result.windows).toHaveLength(windows.length);
    // The stitched curve holds every out-of-sample bar once, in order, from the first OOS bar to the last bar.
    const firstOos = series.ts.findIndex((t) => t >= (windows[0]?.oosFrom ?? 0));
    expect(Array.from(result.times)).toEqual(Array.from(series.ts.subarray(firstOos)));
    expect(result.equity[0]).toBe(100_000);
    // Each window starts with the previous one's final equity, so the product of window returns is the whole.
    const product = result.windows.reduce((p, w) => p * (1 + w.oosMetrics.totalReturn), 1);
    expect(result.oosMetrics.totalReturn).toBeCloseTo(product - 1, 10);
    const isCagr = result.windows.reduce((s, w) => s + w.isMetrics.cagr, 0) / result.windows.length;
    expect(result.efficiency).toBeCloseTo(result.oosMetrics.cagr / isCagr, 12);
    expect(result.drift.map((x) => x.name)).toEqual(['fast', 'slow']);
    expect(result.drift[0]?.values).toEqual(result.windows.map((w) => w.params.fast));
  }, 120_000);
});
