// `pi5 risk kill-switch` and `pi5 backtest --risk` through the built CLI, on a temporary PI5_DATA_DIR.
// Real processes for a fresh status, a first trip, exit 2 on bad usage and a bad file; the other calls run the
// same built program in this process (pi5InProcess): what they check is the command's output and state file.

import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pi5, pi5InProcess } from '../../helpers/cli.js';
import { sharedData } from '../../helpers/shared.js';

const tmp = mkdtempSync(join(tmpdir(), 'pi5-cli-risk-'));
const dataDir = join(tmp, 'data');
const stateFile = join(dataDir, 'risk-state.json');
let previous: string | undefined;

beforeAll(() => {
  previous = process.env.PI5_DATA_DIR;
  process.env.PI5_DATA_DIR = dataDir;
});
afterAll(() => {
  if (previous === undefined) delete process.env.PI5_DATA_DIR;
  else process.env.PI5_DATA_DIR = previous;
});

describe('pi5 risk kill-switch', () => {
  it('status on a fresh data dir is clear and writes nothing', () => {
    const r = pi5(['risk', 'kill-switch', 'status']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('kill switch: clear (never tripped)');
    expect(existsSync(stateFile)).toBe(false);
  });

  it('trip records reason and person in $PI5_DATA_DIR/risk-state.json', () => {
    const r = pi5(['risk', 'kill-switch', 'trip', '--reason', 'desk halt', '--by', 'alice']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/kill switch: TRIPPED at \S+Z by alice: desk halt/);
    const saved = JSON.parse(readFileSync(stateFile, 'utf8')) as { killSwitch: { tripped: boolean; changedBy: string } };
    expect(saved.killSwitch).toMatchObject({ tripped: true, changedBy: 'alice', reason: 'desk halt' });
  });

  it('a second trip changes nothing; status --json reports the trip', async () => {
    expect((await pi5InProcess(['risk', 'kill-switch', 'trip', '--by', 'bob'])).stdout).toContain('already tripped; nothing changed');
    const s = JSON.parse((await pi5InProcess(['risk', 'kill-switch', 'status', '--json'])).stdout) as { tripped: boolean; changedBy: string; stateFile: string };
    expect(s).toMatchObject({ tripped: true, changedBy: 'alice', stateFile });
  });

  it('reset clears it', async () => {
    const r = await pi5InProcess(['risk', 'kill-switch', 'reset', '--by', 'carol']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/kill switch: clear \(reset at \S+ by carol: reset by hand\)/);
    expect(JSON.parse((await pi5InProcess(['risk', 'kill-switch', 'status', '--json'])).stdout)).toMatchObject({ tripped: false });
  });

  it('an unknown action is bad usage (exit 2)', () => {
    const r = pi5(['risk', 'kill-switch', 'explode']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('PI5_ERR_BAD_USAGE');
  });
});

describe('pi5 backtest --risk', () => {
  const NVDA = sharedData('NVDA-1999-2014.csv');
  const base = ['backtest', '--data', NVDA, '--strategy', 'sma-cross', '--size', '100', '--quiet'];

  it('applies the limits of a RiskConfig file: the rejections name the code', async () => {
    const risk = join(tmp, 'risk.json');
    writeFileSync(risk, JSON.stringify({ global: { maxPositionQty: 50 } }));
    const out = join(tmp, 'out.json');
    const r = await pi5InProcess([...base, '--risk', risk, '--json', out]);
    expect(r.code).toBe(0);
    const result = JSON.parse(readFileSync(out, 'utf8')) as { rejections: { code: string }[]; trades: unknown[] };
    expect(result.trades).toEqual([]);
    expect(result.rejections.length).toBeGreaterThan(0);
    expect(new Set(result.rejections.map((x) => x.code))).toEqual(new Set(['RISK_MAX_POSITION_QTY']));
  });

  it('a bad file fails with exit 2 naming the file and the field', () => {
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, JSON.stringify({ global: { maxDrawdownPct: 0 } }));
    const r = pi5([...base, '--risk', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('PI5_ERR_BAD_CONFIG');
    expect(r.stderr).toContain(`${bad}: global.maxDrawdownPct`);
  });
});
