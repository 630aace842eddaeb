// `npm start` runs `pi5 demo`: seeded sample data, a backtest and a report, with no network or services.

import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pi5 } from '../../helpers/cli.js';

describe('pi5 demo', () => {
  it('writes sample CSVs, a report and a result JSON, and the data backtests again from the CLI', () => {
    const out = mkdtempSync(join(tmpdir(), 'pi5-demo-'));
    const r = pi5(['demo', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Final equity/);
    expect(readdirSync(join(out, 'demo')).sort()).toEqual(['DEMOA.csv', 'DEMOB.csv', 'DEMOC.csv']);
    expect(existsSync(join(out, 'demo-report.html'))).toBe(true);
    const first = readFileSync(join(out, 'demo-result.json'), 'utf8');
    const again = pi5(['backtest', '--data', join(out, 'demo'), '--strategy', 'sma-cross', '--quiet']);
    expect(again.code, again.stderr).toBe(0);
    // Same seed, same data: a second demo run reproduces the result byte for byte.
    const out2 = mkdtempSync(join(tmpdir(), 'pi5-demo-'));
    expect(pi5(['demo', '--out', out2]).code).toBe(0);
    const second = readFileSync(join(out2, 'demo-result.json'), 'utf8').replaceAll(out2, out);
    expect(second).toBe(first);
  });
});
