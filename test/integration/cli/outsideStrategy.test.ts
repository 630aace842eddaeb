// A strategy file outside the repository (a temporary folder, no node_modules, no package.json) imports
// 'pi5-trading/strategy' and 'pi5-trading' from the running installation, compiled as CommonJS (.ts) or as an
// ES module (.mts), and backtests with the built CLI.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pi5 } from '../../helpers/cli.js';
import { sharedData } from '../../helpers/shared.js';

const SOURCE = `
import { defineStrategy, SMA, crossedAbove, crossedBelow } from 'pi5-trading/strategy';
import { ENGINE_VERSION } from 'pi5-trading';

export default defineStrategy({
  id: 'outside-cross',
  name: 'Outside crossover ' + ENGINE_VERSION,
  description: 'price crossing its moving average',
  params: { period: { type: 'int', default: 20, min: 2, max: 500, description: 'average period' } },
  create(p) {
    const smas = new Map<string, SMA>();
    let prevClose = NaN;
    let prevAvg = NaN;
    return {
      onBar(bar, ctx) {
        const sma = smas.get(bar.symbol) ?? new SMA(p.period);
        smas.set(bar.symbol, sma);
        const avg = sma.update(bar.close);
        if (crossedAbove(prevClose, prevAvg, bar.close, avg)) ctx.buy(bar.symbol);
        else if (crossedBelow(prevClose, prevAvg, bar.close, avg) && ctx.position(bar.symbol) > 0) ctx.close(bar.symbol);
        prevClose = bar.close;
        prevAvg = avg;
      },
    };
  },
});
`;

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pi5-outside-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('a strategy file outside the repository', () => {
  it.each(['cross.ts', 'cross.mts'])('%s resolves pi5-trading from the running installation and backtests', async (name) => {
    await writeFile(join(dir, name), SOURCE);
    const json = join(dir, `${name}.json`);
    const r = pi5(['backtest', '--data', sharedData('NVDA-1999-2014.csv'), '--strategy', `./${name}`, '--size', '10', '--json', json, '--quiet'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const result = JSON.parse(await readFile(json, 'utf8')) as { config: { strategy: string }; trades: unknown[] };
    expect(JSON.stringify(result.config)).toContain('outside-cross');
    expect(result.trades.length).toBeGreaterThan(10);
  });
});
