// Worker-thread entry of an API optimization: the search and its trials run here (or on a trial pool started
// from here, the bars shared once) so the server's event loop stays free. It posts every batch of trials as
// it is scored, progress, then the result document (`pi5 optimize --json` without its trial list, which is
// in the trials table) and the HTML report. A cancel terminates this thread, and with it the pool's threads.

import { parentPort, workerData } from 'node:worker_threads';
import { runInputOf } from '../../backtest/jobs/runInput.js';
import { jsonNumber } from '../../backtest/report/json.js';
import { isPi5Error } from '../../core/errors.js';
import { findBuiltin } from '../../strategy/registry.js';
import { diagnose, localReturns } from '../diagnostics.js';
import { localEvaluator, optimize } from '../optimizer.js';
import { poolSetup, TrialPool } from '../pool.js';
import { renderOptimizationReport, renderWalkForwardReport } from '../report/html.js';
import { optimizationJson, storedTrial, type OptimizationMeta } from '../resultJson.js';
import type { ParamPoint } from '../space.js';
import { better, type Trial, type TrialBase } from '../trial.js';
import { StoredTrials } from '../resume.js';
import { walkForward } from '../walkForward.js';
import { walkForwardDocument } from '../walkForwardJson.js';
import { optimizationSpecJson, rulesOf, searchOf, spaceOf, walkForwardOf, type WorkerInput, type WorkerMessage } from './optimizationRequest.js';

function post(m: WorkerMessage): void {
  parentPort?.postMessage(m);
}

async function run(input: WorkerInput): Promise<void> {
  const { spec } = input;
  const strategy = findBuiltin(spec.run.strategy);
  if (strategy === undefined) throw new Error(`unknown strategy ${spec.run.strategy}`);
  const base: TrialBase = { ...runInputOf(spec.run, input.series), strategy };
  const space = spaceOf(spec);
  const rules = rulesOf(spec);
  const search = searchOf(spec);
  const wf = walkForwardOf(spec);
  const meta: OptimizationMeta = {
    strategy: strategy.id, method: spec.method, objective: rules.objective.text, constraints: rules.constraints.map((c) => c.text),
    seed: spec.seed, budget: spec.budget, workers: spec.workers, config: optimizationSpecJson(spec),
  };
  let trials = 0;
  let best: Trial | undefined;
  let progress = 0;
  const bestObjective = (): number | null => (best?.feasible === true ? jsonNumber(best.objective) : null);
  const tell = (): void => post({ kind: 'progress', progress, trials, bestObjective: bestObjective() });
  let window: number | null = null;
  const stored = new StoredTrials(input.resume, Object.keys(strategy.params));
  const onTrials = (done: readonly Trial[]): void => {
    // Trials the store already holds (a resumed run's) count for progress but are not written again.
    const fresh = input.resume.length === 0 ? done : done.filter((t) => !stored.has(window, t.point));
    if (fresh.length > 0) post({ kind: 'trials', trials: fresh.map((t) => storedTrial(t, window)) });
    trials += done.length;
    for (const t of done) if (better(t, best)) best = t;
  };
  const pool = spec.workers > 1 ? await TrialPool.start(poolSetup(base, spec.run.strategy, space.fixed as ParamPoint), spec.workers) : null;
  const batch = pool?.batch ?? 8;
  let resultJson: string;
  let html: string;
  try {
    if (wf === null) {
      const result = await optimize({
        ...search, space, rules, batch, onTrials,
        evaluate: stored.evaluator(pool === null ? localEvaluator(base, space, rules) : pool.evaluator(rules), null, rules),
        onProgress: (done, total) => {
          progress = Math.min(1, done / total);
          tell();
        },
      });
      const full = { ...meta, diagnostics: await diagnose(pool === null ? localReturns(base) : pool.returnsSource(), result, space) };
      resultJson = JSON.stringify(optimizationJson(full, space, result));
      html = renderOptimizationReport(full, space, result);
    } else {
      const result = await walkForward({
        ...search, base, space, rules, spec: wf, batch, onTrials,
        evaluatorFor: (b, inSample) => {
          window = (window ?? -1) + 1;
          return stored.evaluator(pool === null ? localEvaluator(b, space, rules) : pool.evaluator(rules, inSample), window, rules);
        },
        returnsFor: (b, inSample) => (pool === null ? localReturns(b) : pool.returnsSource(inSample)),
        onWindow: (done, total) => {
          progress = Math.min(1, done / total);
          tell();
        },
      });
      resultJson = JSON.stringify(walkForwardDocument(meta, wf, result));
      html = renderWalkForwardReport(meta, wf, result);
    }
  } finally {
    await pool?.close();
  }
  post({ kind: 'done', resultJson, html, trials, bestObjective: bestObjective(), reused: stored.restored });
}

run(workerData as WorkerInput).catch((e: unknown) => {
  post({ kind: 'failed', code: isPi5Error(e) ? e.code : 'PI5_ERR_INTERNAL', message: e instanceof Error ? e.message : String(e) });
});
