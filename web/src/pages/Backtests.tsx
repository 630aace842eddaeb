// Backtests: the form (traders), runs with live progress (the `backtests` channel), history, and the
// selected run's result.

import { useState } from 'preact/hooks';
import { BacktestForm } from '../backtests/BacktestForm.js';
import { BacktestResult } from '../backtests/BacktestResult.js';
import { allows, useApp } from '../context.js';
import { humanize } from '../backtests/curves.js';
import { dateTime, num, pct } from '../format.js';
import { useChannel, useResource } from '../hooks.js';
import type { Paged } from '../types.js';
import { ErrorLine, Panel } from '../ui.js';

interface Job {
  readonly id: number;
  readonly strategy: string;
  readonly status: string;
  readonly progress: number;
  readonly config: { symbols?: string[] };
  readonly metrics: Record<string, number | null> | null;
  readonly error: string | null;
  readonly createdAt: number;
}

export function Backtests() {
  const { me } = useApp();
  const jobs = useResource<Paged<Job>>('/backtests?limit=50');
  const [progress, setProgress] = useState<Record<number, { status: string; progress: number; error: string | null }>>({});
  const [selected, setSelected] = useState<number | null>(null);
  const [compare, setCompare] = useState<number[]>([]);
  const toggleCompare = (id: number): void => setCompare(compare.includes(id) ? compare.filter((x) => x !== id) : [...compare, id].slice(-2));
  useChannel('backtests', (e) => {
    const p = e.data as { id: number; status: string; progress: number; error: string | null };
    setProgress((cur) => ({ ...cur, [p.id]: p }));
    if (p.status !== 'running' && p.status !== 'queued') jobs.reload();
  });
  const items = jobs.data?.items ?? [];
  return (
    <div class="grid">
      {allows(me.role, 'trader') ? (
        <Panel title="New backtest" id="bt-new" wide>
          <BacktestForm
            onQueued={(id) => {
              setSelected(id);
              jobs.reload();
            }}
          />
        </Panel>
      ) : null}
      <Panel title="Runs" id="bt-runs" wide>
        <ErrorLine error={jobs.error} />
        {items.length === 0 ? <p class="muted">No runs yet.</p> : null}
        <div class="scroll">
          <table aria-label="Backtest runs">
            <tbody>
              {items.map((j) => {
                const live = progress[j.id];
                const status = live?.status ?? j.status;
                const frac = live?.progress ?? j.progress;
                return (
                  <tr key={j.id} data-job={j.id} data-status={status} aria-selected={selected === j.id}>
                    <td class="r">#{j.id}</td>
                    <td>{j.strategy}</td>
                    <td>{(j.config.symbols ?? []).join(', ')}</td>
                    <td>{dateTime(j.createdAt)}</td>
                    <td>
                      <progress max={1} value={frac} aria-label={`run ${j.id} progress`} /> {status} {status === 'running' ? pct(frac, 0) : ''}
                      {j.error ? <div class="small error">{j.error}</div> : null}
                    </td>
                    <td class="r">{j.metrics?.totalReturn !== undefined ? pct(j.metrics.totalReturn) : ''}</td>
                    <td>
                      {status === 'done' ? (
                        <div class="row nowrap">
                          <button class="bt-open" onClick={() => setSelected(j.id)} aria-label={`show result of run ${j.id}`}>
                            Result
                          </button>
                          <label class="check">
                            <input type="checkbox" class="bt-compare" checked={compare.includes(j.id)} onChange={() => toggleCompare(j.id)} aria-label={`compare run ${j.id}`} /> compare
                          </label>
                        </div>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </Panel>
      {compare.length === 2 ? <Compare a={items.find((j) => j.id === compare[0])} b={items.find((j) => j.id === compare[1])} /> : null}
      {selected !== null && (progress[selected]?.status ?? items.find((j) => j.id === selected)?.status) === 'done' ? (
        <Panel title={`Run #${selected}`} id="bt-view" wide>
          <BacktestResult id={selected} />
        </Panel>
      ) : null}
    </div>
  );
}

/** Two runs' metrics side by side with the difference (b − a). */
function Compare(props: { a: Job | undefined; b: Job | undefined }) {
  const { a, b } = props;
  if (!a?.metrics || !b?.metrics) return null;
  const keys = [...new Set([...Object.keys(a.metrics), ...Object.keys(b.metrics)])];
  const d = (x: number | null | undefined): number => (Math.abs(x ?? 0) >= 100 ? 2 : 4);
  return (
    <Panel title={`Compare #${a.id} and #${b.id}`} id="bt-compare" wide>
      <div class="scroll">
        <table class="metrics" aria-label="Metrics of two runs">
          <thead>
            <tr>
              <th scope="col">Metric</th>
              <th scope="col" class="r">#{a.id} {a.strategy}</th>
              <th scope="col" class="r">#{b.id} {b.strategy}</th>
              <th scope="col" class="r">Difference</th>
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => {
              const x = a.metrics?.[k];
              const y = b.metrics?.[k];
              return (
                <tr key={k} data-metric={k}>
                  <th scope="row">{humanize(k)}</th>
                  <td class="r">{num(x, d(x))}</td>
                  <td class="r">{num(y, d(y))}</td>
                  <td class="r">{x === null || x === undefined || y === null || y === undefined ? '–' : num(y - x, d(y - x))}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </Panel>
  );
}
