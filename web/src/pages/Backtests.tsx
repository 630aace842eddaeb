// Backtests: the form (traders), runs with live progress (the `backtests` channel), history, and the
// selected run's result.

import { useState } from 'preact/hooks';
import { BacktestForm } from '../backtests/BacktestForm.js';
import { BacktestResult } from '../backtests/BacktestResult.js';
import { allows, useApp } from '../context.js';
import { dateTime, pct } from '../format.js';
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
                        <button class="bt-open" onClick={() => setSelected(j.id)} aria-label={`show result of run ${j.id}`}>
                          Result
                        </button>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </Panel>
      {selected !== null && (progress[selected]?.status ?? items.find((j) => j.id === selected)?.status) === 'done' ? (
        <Panel title={`Run #${selected}`} id="bt-view" wide>
          <BacktestResult id={selected} />
        </Panel>
      ) : null}
    </div>
  );
}
