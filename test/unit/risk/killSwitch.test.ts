// The kill switch through a whole backtest: a drawdown trips it at a time-step close, working orders are
// canceled, opening orders are denied with RISK_KILL_SWITCH while reducing ones pass, and the state written
// to a file makes the next run start tripped until a person resets it.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileRiskStateStore } from '../../../src/risk/fileStateStore.js';
import { KillSwitch, MemoryRiskStateStore } from '../../../src/risk/killSwitch.js';
import { day, runScript, type Action, type Row } from '../engine/fixtures.js';
import { parseRiskSpec } from '../../../src/engine/riskSpec.js';

// Bought 100 at 100 with 10 000 of cash; the close of bar 2 at 80 is a 20% drawdown (equity 8000).
const ROWS: Row[] = [
  [100, 101, 99, 100],
  [100, 101, 99, 100],
  [100, 100, 80, 80],
  [80, 81, 79, 80],
  [80, 81, 79, 80],
  [80, 81, 79, 80],
];

const ACTIONS: Record<number, Action> = {
  0: (ctx) => {
    ctx.buy('AAA', 100);
    ctx.submit({ symbol: 'AAA', side: 'buy', quantity: 10, type: 'limit', limitPrice: 50 });
  },
  3: (ctx) => {
    ctx.buy('AAA', 10);
    ctx.sell('AAA', 40);
  },
  4: (ctx) => void ctx.sell('AAA', 100),
};

const RISK = { global: { maxDrawdownPct: 15 } };

describe('kill switch in a backtest', () => {
  it('a 20% drawdown trips it at the close of bar 2: the working limit is canceled, opening orders are denied, reducing ones fill', () => {
    const run = runScript(ROWS, ACTIONS, { cash: 10_000, limits: { maxLeverage: 2 }, risk: parseRiskSpec(RISK) });
    expect(run.order(2).status).toBe('canceled');
    expect(run.order(2).updatedAt).toBe(day(2));
    expect(run.result.rejections.map((r) => [r.code, r.time])).toEqual([
      ['RISK_KILL_SWITCH_TRIPPED', day(2)],
      ['RISK_KILL_SWITCH', day(3)],
      ['RISK_KILL_SWITCH', day(4)],
    ]);
    expect(run.result.rejections[0]?.message).toBe('kill switch tripped by limit: drawdown 20.00% from peak 10000.00 reached maxDrawdownPct 15%');
    // The sell of 40 reduces (admitted, fills at bar 4's open); the sell of 100 at bar 4 would go short 40.
    expect(run.order(4).status).toBe('filled');
    expect(run.result.openPositions.map((p) => [p.side, p.quantity])).toEqual([['long', 60]]);
  });

  it('with flattenOnTrip the position is closed by a market order at the next open', () => {
    const run = runScript(ROWS, { 0: ACTIONS[0] as Action }, { cash: 10_000, limits: { maxLeverage: 2 }, risk: parseRiskSpec({ ...RISK, killSwitch: { flattenOnTrip: true } }) });
    const flatten = run.order(3);
    expect([flatten.side, flatten.quantity, flatten.tag, flatten.status]).toEqual(['sell', 100, 'kill-switch flatten', 'filled']);
    expect(run.result.openPositions).toEqual([]);
  });

  it('autoTrip false: the drawdown check denies opening orders but nothing is canceled', () => {
    const run = runScript(ROWS, ACTIONS, { cash: 10_000, limits: { maxLeverage: 2 }, risk: parseRiskSpec({ ...RISK, killSwitch: { autoTrip: false } }) });
    expect(run.order(2).status).toBe('accepted');
    expect(run.result.rejections.map((r) => r.code)).toEqual(['RISK_MAX_DRAWDOWN', 'RISK_MAX_DRAWDOWN']);
  });

  it('a daily loss limit trips it too', () => {
    const run = runScript(ROWS, ACTIONS, { cash: 10_000, limits: { maxLeverage: 2 }, risk: parseRiskSpec({ global: { maxDailyLoss: 2000 } }) });
    expect(run.result.rejections[0]?.code).toBe('RISK_KILL_SWITCH_TRIPPED');
    expect(run.result.rejections[0]?.message).toMatch(/daily loss 2000\.00 from 10000\.00 reached maxDailyLoss 2000/);
  });
});

describe('kill switch state survives a restart', () => {
  let dir = '';
  afterEach(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('a new run on the same state file starts tripped until a person resets it', () => {
    dir = mkdtempSync(join(tmpdir(), 'pi5-risk-'));
    const store = new FileRiskStateStore(join(dir, 'risk-state.json'));
    runScript(ROWS, ACTIONS, { cash: 10_000, limits: { maxLeverage: 2 }, risk: parseRiskSpec(RISK), riskStore: store });
    expect(store.load()).toMatchObject({ tripped: true, changedBy: 'limit', changedAt: day(2) });

    const buyOnly: Record<number, Action> = { 0: (ctx) => void ctx.buy('AAA', 10) };
    const restarted = runScript(ROWS, buyOnly, { riskStore: new FileRiskStateStore(store.path) });
    expect(restarted.result.rejections.map((r) => r.code)).toEqual(['RISK_KILL_SWITCH_TRIPPED', 'RISK_KILL_SWITCH']);
    expect(restarted.result.rejections[0]?.message).toMatch(/^kill switch still tripped from an earlier session: drawdown/);

    expect(new KillSwitch(new FileRiskStateStore(store.path)).reset('alice', Date.UTC(2024, 1, 1))).toBe(true);
    const afterReset = runScript(ROWS, buyOnly, { riskStore: new FileRiskStateStore(store.path) });
    expect(afterReset.result.rejections).toEqual([]);
    expect(afterReset.order(1).status).toBe('filled');
  });

  it('trip and reset by hand on a kernel-less switch publish nothing twice', () => {
    const seen: string[] = [];
    const ks = new KillSwitch(new MemoryRiskStateStore());
    ks.listen((s, restored) => seen.push(`${s.tripped ? 'tripped' : 'reset'}${restored ? ' (restored)' : ''} by ${s.changedBy}`));
    expect(ks.trip('manual', 'bob', 1)).toBe(true);
    expect(ks.trip('again', 'bob', 2)).toBe(false);
    expect(ks.reset('alice', 3)).toBe(true);
    expect(ks.reset('alice', 4)).toBe(false);
    expect(seen).toEqual(['tripped by bob', 'reset by alice']);
  });
});
