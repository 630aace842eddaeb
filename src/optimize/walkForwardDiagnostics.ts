// Overfitting diagnostics of a whole walk-forward analysis. Each window's in-sample optimization has its own
// diagnostics (diagnostics.ts); this adds the verdict on the procedure: the stitched out-of-sample returns are
// deflated for every trial tried over all windows (as if the record were the best of that many), read beside the
// walk-forward efficiency, out-of-sample against in-sample Sharpe, the windows' own verdicts and parameter drift.
//
// The deflation's variance is that of a zero-skill Sharpe ratio estimated over the out-of-sample record, 1/(T−1)
// per bar, not the spread of the trials' in-sample Sharpe ratios (diagnostics.ts): on a real edge every trial
// has skill, and their spread would measure skill, not luck (a strong edge then read as overfit).

import { quantileLinear } from '../core/stats/numeric.js';
import type { BarReturns } from './barReturns.js';
import { deflatedSharpe, returnShape } from './deflatedSharpe.js';
import { judgeDeflatedSharpe, type Diagnostics, type Judgement } from './diagnostics.js';

/** Below this walk-forward efficiency out of sample kept less than half the in-sample gain. */
export const MIN_EFFICIENCY = 0.5;


export interface WalkForwardDiagnostics {
  /** Trials over every window: the selection the out-of-sample result is deflated for. */
  readonly trials: number;
  /** Annualized Sharpe ratio of the stitched out-of-sample returns. */
  readonly oosSharpe: number;
  /** Mean in-sample Sharpe ratio of the windows' chosen trials. */
  readonly meanIsSharpe: number;
  /** Deflated Sharpe ratio of the stitched out-of-sample returns for `trials` trials. */
  readonly deflatedSharpe: number;
  /** The annualized Sharpe ratio the best of `trials` zero-skill trials would show by luck. */
  readonly expectedMaxSharpe: number;
  readonly skew: number;
  readonly kurtosis: number;
  /** Windows whose in-sample optimization alone reads likely overfit, of those with diagnostics. */
  readonly overfitWindows: number;
  readonly judgedWindows: number;
  /** Median probability of backtest overfitting over the windows that had enough trials and bars (null: none). */
  readonly medianPbo: number | null;
  readonly judgement: Judgement;
  readonly verdict: string;
}

/** What the verdict reads, each fact from the walk-forward result or its windows' diagnostics. */
export interface WalkForwardFacts {
  readonly dsr: number;
  readonly expectedMaxSharpe: number;
  readonly trials: number;
  readonly oosSharpe: number;
  readonly meanIsSharpe: number;
  readonly efficiency: number;
  readonly windows: number;
  readonly judgedWindows: number;
  readonly overfitWindows: number;
  readonly medianPbo: number | null;
  readonly drift: readonly { readonly name: string; readonly changes: number; readonly cv: number | null }[];
}

/**
 * Likely overfit when the stitched out-of-sample Sharpe is not positive, or when its deflated Sharpe is below 0.5
 * and either out of sample kept less than half the in-sample gain (efficiency < 0.5, or none to measure) or most
 * windows' in-sample optimizations read likely overfit on their own; likely genuine when the deflated Sharpe is at
 * least 0.95 and the efficiency is not below 0.5; inconclusive between (e.g. an edge that held out of sample but
 * not strongly enough to beat the best of every trial by luck).
 */
export function judgeWalkForward(f: Pick<WalkForwardFacts, 'dsr' | 'oosSharpe' | 'efficiency' | 'judgedWindows' | 'overfitWindows'>): Judgement {
  const byDsr = judgeDeflatedSharpe(f.dsr);
  if (byDsr === 'none') return 'none';
  const weak = !(f.efficiency >= MIN_EFFICIENCY) || 2 * f.overfitWindows > f.judgedWindows;
  if (!(f.oosSharpe > 0) || (byDsr === 'overfit' && weak)) return 'overfit';
  return byDsr === 'genuine' && !(f.efficiency < MIN_EFFICIENCY) ? 'genuine' : 'inconclusive';
}

const f2 = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');
const pct = (x: number): string => `${(x * 100).toFixed(0)} %`;

function efficiencySentence(f: WalkForwardFacts): string {
  const sharpe = ` Out-of-sample Sharpe ${f2(f.oosSharpe)} against ${f2(f.meanIsSharpe)} in sample (mean of the chosen trials)`;
  if (!Number.isFinite(f.efficiency)) return `${sharpe}.`;
  const read = f.efficiency >= 1 ? 'as much as in sample or more' : f.efficiency >= MIN_EFFICIENCY ? 'most of the in-sample gain' : f.efficiency > 0 ? 'less than half of the in-sample gain' : 'none of the in-sample gain';
  return `${sharpe}; walk-forward efficiency ${f2(f.efficiency)}: out of sample kept ${read}.`;
}

function windowsSentence(f: WalkForwardFacts): string {
  if (f.judgedWindows === 0) return '';
  const pbo = f.medianPbo === null ? '' : `; median probability of backtest overfitting ${pct(f.medianPbo)}`;
  return ` ${f.overfitWindows} of ${f.judgedWindows} windows' in-sample optimizations read likely overfit on their own${pbo}.`;
}

/** A parameter drifts when its choice changed in more than half the steps between windows. */
function driftSentence(f: WalkForwardFacts): string {
  const steps = f.windows - 1;
  if (steps < 1 || f.drift.length === 0) return '';
  const drifting = f.drift.filter((d) => d.changes * 2 > steps);
  if (drifting.length === 0) return ' The chosen parameters are steady across windows.';
  const which = drifting.map((d) => `${d.name} changed in ${d.changes} of ${steps} steps${d.cv === null ? '' : ` (cv ${f2(d.cv)})`}`).join(', ');
  return ` The chosen parameters drift (${which}): the optimum moves with the data, a sign of fitting each window's noise.`;
}

export function walkForwardVerdict(f: WalkForwardFacts): string {
  const what = `the stitched out-of-sample Sharpe ratio ${f2(f.oosSharpe)} against ${f2(f.expectedMaxSharpe)} expected from the best of ${f.trials} trials (all windows) by luck alone; deflated Sharpe ${Number.isFinite(f.dsr) ? f.dsr.toFixed(3) : 'n/a'}`;
  const details = efficiencySentence(f) + windowsSentence(f) + driftSentence(f);
  switch (judgeWalkForward(f)) {
    case 'none':
      return 'No verdict: too few feasible trials or out-of-sample returns to judge.';
    case 'genuine':
      return `Likely genuine: ${what}. The edge held out of sample.${details}`;
    case 'inconclusive':
      return `Inconclusive: ${what}. Out of sample kept part of the edge, not enough to rule out selection luck.${details}`;
    case 'overfit':
      return `Likely overfit: ${what}. The in-sample optima did not carry out of sample.${details}`;
  }
}

function median(xs: readonly number[]): number | null {
  return xs.length === 0 ? null : quantileLinear([...xs].sort((a, b) => a - b), 0.5);
}

export interface WalkForwardDiagnosticsInput {
  readonly oos: BarReturns;
  readonly oosSharpe: number;
  readonly efficiency: number;
  readonly windows: readonly { readonly trials: number; readonly isMetrics: { readonly sharpe: number }; readonly diagnostics: Diagnostics | null }[];
  readonly drift: WalkForwardFacts['drift'];
}

export function diagnoseWalkForward(x: WalkForwardDiagnosticsInput): WalkForwardDiagnostics {
  const root = Math.sqrt(x.oos.periodsPerYear);
  const trials = x.windows.reduce((s, w) => s + w.trials, 0);
  const { skew, kurtosis } = returnShape(x.oos.returns);
  const n = x.oos.returns.length;
  const { dsr, expectedMax } = deflatedSharpe({ sharpe: x.oosSharpe / root, observations: n, skew, kurtosis, trials, sharpeVariance: n > 1 ? 1 / (n - 1) : NaN });
  const judged = x.windows.flatMap((w) => (w.diagnostics === null ? [] : [w.diagnostics]));
  const finiteSharpes = x.windows.map((w) => w.isMetrics.sharpe).filter(Number.isFinite);
  const facts: WalkForwardFacts = {
    dsr, expectedMaxSharpe: expectedMax * root, trials, oosSharpe: x.oosSharpe,
    meanIsSharpe: finiteSharpes.length === 0 ? NaN : finiteSharpes.reduce((a, b) => a + b, 0) / finiteSharpes.length,
    efficiency: x.efficiency, windows: x.windows.length, judgedWindows: judged.length,
    overfitWindows: judged.filter((d) => judgeDeflatedSharpe(d.deflatedSharpe) === 'overfit').length,
    medianPbo: median(judged.flatMap((d) => (d.pbo === null ? [] : [d.pbo.pbo]))),
    drift: x.drift,
  };
  return {
    trials, oosSharpe: x.oosSharpe, meanIsSharpe: facts.meanIsSharpe, deflatedSharpe: dsr, expectedMaxSharpe: facts.expectedMaxSharpe, skew, kurtosis,
    overfitWindows: facts.overfitWindows, judgedWindows: facts.judgedWindows, medianPbo: facts.medianPbo,
    judgement: judgeWalkForward(facts), verdict: walkForwardVerdict(facts),
  };
}
