// `pi5 init strategy <name>`: a folder to start a strategy in, anywhere on disk: the strategy (importing the
// running installation's 'pi5-trading/strategy'), seeded sample bars, a test and the backtest command.

import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Pi5Error } from '../../core/errors.js';
import { generateSyntheticBars, writeBarsCsv } from '../../data/synthetic.js';

const strategySource = (id: string): string => `// ${id}: buys when the close crosses above its moving average, sells when it crosses below.
import { crossedAbove, crossedBelow, defineStrategy, SMA } from 'pi5-trading/strategy';

export default defineStrategy({
  id: '${id}',
  name: '${id}',
  description: 'Close crossing its simple moving average',
  params: {
    period: { type: 'int', default: 20, min: 2, max: 1_000, description: 'moving-average period (bars)' },
  },
  create(p) {
    const state = new Map<string, { sma: SMA; prevClose: number; prevAvg: number }>();
    return {
      onBar(bar, ctx) {
        const s = state.get(bar.symbol) ?? { sma: new SMA(p.period), prevClose: NaN, prevAvg: NaN };
        state.set(bar.symbol, s);
        const avg = s.sma.update(bar.close);
        if (crossedAbove(s.prevClose, s.prevAvg, bar.close, avg) && ctx.position(bar.symbol) === 0) ctx.buy(bar.symbol);
        else if (crossedBelow(s.prevClose, s.prevAvg, bar.close, avg) && ctx.position(bar.symbol) > 0) ctx.close(bar.symbol);
        s.prevClose = bar.close;
        s.prevAvg = avg;
      },
    };
  },
});
`;

const backtestCommand = (id: string): string => `pi5 backtest --data sample.csv --strategy ./${id}.ts --size 10% --report report.html`;

const testSource = (id: string): string => `// Backtests the strategy on the sample bars with the installed pi5 (or $PI5) and checks that it trades.
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';

test('${id} trades on the sample bars', () => {
  const pi5 = process.env.PI5 ?? 'pi5';
  execSync(\`\${pi5} backtest --data sample.csv --strategy ./${id}.ts --size 10% --json result.json --quiet\`, { stdio: 'inherit' });
  const result = JSON.parse(readFileSync('result.json', 'utf8'));
  assert.ok(result.trades.length > 0, 'no trades');
});
`;

async function initStrategy(name: string): Promise<void> {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new Pi5Error('PI5_ERR_BAD_USAGE', `strategy name ${JSON.stringify(name)}: use kebab-case (my-breakout)`);
  const dir = resolve(name);
  if (existsSync(dir)) throw new Pi5Error('PI5_ERR_BAD_USAGE', `${dir} already exists; choose another name or remove it`);
  await mkdir(dir, { recursive: true });
  const sample = generateSyntheticBars({ symbol: 'SAMPLE', bars: 1_000, seed: 42, startPrice: 50 });
  const pkg = { name, private: true, type: 'module', scripts: { backtest: backtestCommand(name), test: `node --test ${name}.test.mjs` } };
  await writeFile(join(dir, `${name}.ts`), strategySource(name));
  await writeFile(join(dir, `${name}.test.mjs`), testSource(name));
  await writeFile(join(dir, 'sample.csv'), writeBarsCsv(sample));
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  await writeFile(join(dir, 'backtest.sh'), `#!/bin/sh\n${backtestCommand(name)}\n`, { mode: 0o755 });
  process.stdout.write(`created ${dir}: ${name}.ts, ${name}.test.mjs, sample.csv, backtest.sh\n  cd ${name} && ${backtestCommand(name)}\n  npm test\n`);
}

export function registerInit(program: Command): void {
  const init = program.command('init').description('scaffold a project folder');
  init.command('strategy <name>').description('a strategy folder: the strategy, sample bars, a test and the backtest command').action(initStrategy);
}
