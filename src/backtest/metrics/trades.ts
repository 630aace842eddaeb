// Trade statistics over closed round trips: win rate, gross profit and loss, profit factor, averages
// and extremes, expectancy, SQN, holding time and streaks (METRICS.md, "Trades").

import type { ClosedTrade } from '../../model/types.js';
import type { Metrics } from '../types.js';
import { DAY_MS } from './returns.js';

export type TradeStats = Pick<
  Metrics,
  | 'tradeCount'
  | 'winRate'
  | 'grossProfit'
  | 'grossLoss'
  | 'profitFactor'
  | 'avgWin'
  | 'avgLoss'
  | 'largestWin'
  | 'largestLoss'
  | 'expectancy'
  | 'sqn'
  | 'avgTradeDuration'
  | 'maxConsecutiveWins'
  | 'maxConsecutiveLosses'
>;

/** Trades in exit order; a stable sort keeps the runner's order for trades that exit at the same time. */
function inExitOrder(trades: readonly ClosedTrade[]): readonly ClosedTrade[] {
  for (let i = 1; i < trades.length; i++) {
    if ((trades[i] as ClosedTrade).exitTime < (trades[i - 1] as ClosedTrade).exitTime) {
      return [...trades].sort((a, b) => a.exitTime - b.exitTime);
    }
  }
  return trades;
}

/** Longest runs of winners and of losers; a zero-P&L trade is neither and breaks both runs. */
function streaks(trades: readonly ClosedTrade[]): { wins: number; losses: number } {
  let wins = 0;
  let losses = 0;
  let runW = 0;
  let runL = 0;
  for (const t of inExitOrder(trades)) {
    runW = t.pnl > 0 ? runW + 1 : 0;
    runL = t.pnl < 0 ? runL + 1 : 0;
    if (runW > wins) wins = runW;
    if (runL > losses) losses = runL;
  }
  return { wins, losses };
}

/** √n × mean / stdev (n − 1); null below two trades or when every trade made the same P&L. */
function systemQuality(trades: readonly ClosedTrade[], mean: number): number | null {
  const n = trades.length;
  if (n < 2) return null;
  let ss = 0;
  let allEqual = true;
  const first = (trades[0] as ClosedTrade).pnl;
  for (const t of trades) {
    const d = t.pnl - mean;
    ss += d * d;
    if (t.pnl !== first) allEqual = false;
  }
  if (allEqual) return null;
  return (Math.sqrt(n) * mean) / Math.sqrt(ss / (n - 1));
}

/**
 * Averages and extremes are over winners (P&L > 0) or losers (P&L < 0) only and are 0 when there are
 * none; every ratio over trades is 0 without trades, except profitFactor and sqn, which are null.
 */
export function tradeStats(trades: readonly ClosedTrade[]): TradeStats {
  const n = trades.length;
  let wins = 0;
  let losses = 0;
  let grossProfit = 0;
  let grossLoss = 0;
  let largestWin = 0;
  let largestLoss = 0;
  let heldMs = 0;
  for (const t of trades) {
    if (t.pnl > 0) {
      wins++;
      grossProfit += t.pnl;
      if (t.pnl > largestWin) largestWin = t.pnl;
    } else if (t.pnl < 0) {
      losses++;
      grossLoss += t.pnl;
      if (t.pnl < largestLoss) largestLoss = t.pnl;
    }
    heldMs += t.exitTime - t.entryTime;
  }
  // Net P&L as gross profit plus gross loss: the same two sums, so expectancy agrees with them exactly.
  const expectancy = n === 0 ? 0 : (grossProfit + grossLoss) / n;
  const run = streaks(trades);
  return {
    tradeCount: n,
    winRate: n === 0 ? 0 : wins / n,
    grossProfit,
    grossLoss,
    profitFactor: grossLoss === 0 ? null : grossProfit / -grossLoss,
    avgWin: wins === 0 ? 0 : grossProfit / wins,
    avgLoss: losses === 0 ? 0 : grossLoss / losses,
    largestWin,
    largestLoss,
    expectancy,
    sqn: systemQuality(trades, expectancy),
    avgTradeDuration: n === 0 ? 0 : heldMs / n / DAY_MS,
    maxConsecutiveWins: run.wins,
    maxConsecutiveLosses: run.losses,
  };
}
