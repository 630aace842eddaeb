// The walk-forward part of `pi5 optimize --walk-forward ... --json`, and its console summary.

import { jsonNumber, metricsJson } from '../backtest/report/json.js';
import { ENGINE_VERSION } from '../engine/backtestResult.js';
import type { Diagnostics } from './diagnostics.js';
import type { OptimizationMeta } from './resultJson.js';
import type { WalkForwardResult, WalkForwardSpec } from './walkForward.js';

const iso = (t: number): string => new Date(t).toISOString();

/** A window's diagnostics as a plain run's, but without the CSCV logits (up to 12,870 a window: the document stays small). */
function windowDiagnosticsJson(d: Diagnostics | null): Record<string, unknown> | null {
  if (d === null) return null;
  const { logits: _logits, ...pbo } = d.pbo ?? { logits: [] };
  return { ...d, pbo: d.pbo === null ? null : pbo };
}

export function walkForwardJson(spec: WalkForwardSpec, r: WalkForwardResult): Record<string, unknown> {
  return {
    inSample: spec.inSample.text,
    outOfSample: spec.outOfSample.text,
    mode: spec.anchored ? 'anchored' : 'rolling',
    efficiency: jsonNumber(r.efficiency),
    oosMetrics: metricsJson(r.oosMetrics),
    drift: r.drift.map((d) => ({ ...d, cv: d.cv === null ? null : jsonNumber(d.cv) })),
    // The whole analysis's verdict; each window's own diagnostics (as a plain run's) are in its entry.
    diagnostics: r.diagnostics,
    windows: r.windows.map((w) => ({
      // Half-open spans [from, to): `to` is the first instant not in the span.
      isFrom: iso(w.isFrom), isTo: iso(w.isTo), oosFrom: iso(w.oosFrom), oosTo: iso(w.oosTo),
      params: w.params, trials: w.trials, isObjective: jsonNumber(w.isObjective),
      isMetrics: metricsJson(w.isMetrics), oosMetrics: metricsJson(w.oosMetrics), diagnostics: windowDiagnosticsJson(w.diagnostics),
    })),
    equityCurve: Array.from(r.times, (t, i) => [iso(t), jsonNumber(r.equity[i + 1] as number)]),
  };
}

/** The whole `--json` document of a walk-forward run (the API stores the same as the run's result). */
export function walkForwardDocument(meta: OptimizationMeta, spec: WalkForwardSpec, r: WalkForwardResult): Record<string, unknown> {
  return { version: ENGINE_VERSION, strategy: meta.strategy, method: meta.method, objective: meta.objective, constraints: meta.constraints, config: meta.config, walkForward: walkForwardJson(spec, r) };
}

const f4 = (x: number): string => (Number.isFinite(x) ? x.toFixed(4) : 'n/a');
const f3 = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');

export function formatWalkForward(spec: WalkForwardSpec, r: WalkForwardResult): string {
  const lines = [`walk-forward (${spec.anchored ? 'anchored' : 'rolling'}, in-sample ${spec.inSample.text}, out-of-sample ${spec.outOfSample.text}): ${r.windows.length} windows`];
  for (const w of r.windows) {
    const p = Object.entries(w.point).map(([k, v]) => `${k}=${String(v)}`).join(' ');
    const d = w.diagnostics;
    const diag = d === null ? '' : `  IS deflated Sharpe ${f3(d.deflatedSharpe)}${d.pbo === null ? '' : ` PBO ${f3(d.pbo.pbo)}`}${d.stability.ratio === null ? '' : ` stability ${f3(d.stability.ratio)}`}`;
    lines.push(`  OOS ${iso(w.oosFrom).slice(0, 10)}..${iso(w.oosTo - 1).slice(0, 10)}  ${p}  IS objective ${f4(w.isObjective)}  OOS return ${f4(w.oosMetrics.totalReturn)}${diag}`);
  }
  lines.push(`stitched out-of-sample: return ${f4(r.oosMetrics.totalReturn)}, CAGR ${f4(r.oosMetrics.cagr)}, Sharpe ${f4(r.oosMetrics.sharpe)}, max drawdown ${f4(r.oosMetrics.maxDrawdown)}`);
  lines.push(`walk-forward efficiency (OOS CAGR / mean IS CAGR): ${f4(r.efficiency)}`);
  for (const d of r.drift) lines.push(`  drift ${d.name}: ${d.changes} changes over ${d.values.length} windows${d.cv === null ? '' : `, cv ${f4(d.cv)}`}`);
  lines.push(r.diagnostics.verdict);
  return lines.join('\n') + '\n';
}
