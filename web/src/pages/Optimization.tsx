// Optimization: the form (traders), runs with live progress (the `optimizations` channel) and cancel
// (traders), the history of runs (API and `pi5 optimize --store`), and the selected run's result.

import { useState } from 'preact/hooks';
import { allows, useApp } from '../context.js';
import { dateTime, num, pct } from '../format.js';
import { useChannel, useResource } from '../hooks.js';
import { OptimizationForm } from '../optimization/OptimizationForm.js';
import { OptimizationResult } from '../optimization/OptimizationResult.js';
import type { Paged } from '../types.js';
import { ErrorLine, Panel } from '../ui.js';

interface Run {
  readonly id: number;
  readonly strategy: string;
  readonly method: string;
  readonly objective: string;
  readonly origin: string;
  readonly status: string;
  readonly progress: number;
  readonly trials: number;
  readonly trialsPlanned: number | null;
  readonly bestObjective: number | null;
  readonly config: { symbols?: string[]; grid?: Record<string, string> | string[] };
  readonly error: string | null;
  readonly createdAt: number;
  readonly resumes: number;
  readonly trialsReused: number;
}

type Live = Pick<Run, 'status' | 'progress' | 'trials' | 'bestObjective' | 'error' | 'trialsReused'>;

/** Names of the searched parameters: the API stores the grid as { name: spec }, the CLI as its config. */
function searchedOf(r: Run | undefined): string[] {
  const g = r?.config.grid;
  if (g === undefined) return [];
  return Array.isArray(g) ? g.map((x) => x.slice(0, x.indexOf('='))) : Object.keys(g);
}

export function Optimization() {
  const { me, api } = useApp();
  const runs = useResource<Paged<Run>>('/optimizations?limit=50');
  const [live, setLive] = useState<Record<number, Live>>({});
  const [selected, setSelected] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const trader = allows(me.role, 'trader');
  useChannel('optimizations', (e) => {
    const p = e.data as Live & { id: number };
    setLive((cur) => ({ ...cur, [p.id]: p }));
    if (p.status !== 'running' && p.status !== 'queued') runs.reload();
  });
  const cancel = async (id: number): Promise<void> => {
    try {
      await api.request('DELETE', `/optimizations/${id}`);
      runs.reload();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const items = runs.data?.items ?? [];
  const chosen = items.find((r) => r.id === selected);
  return (
    <div class="grid">
      {trader ? (
        <Panel title="New optimization" id="opt-new" wide>
          <OptimizationForm
            onQueued={(id) => {
              setSelected(id);
              runs.reload();
            }}
          />
        </Panel>
      ) : null}
      <Panel title="Runs" id="opt-runs" wide>
        <ErrorLine error={runs.error ?? error} />
        {items.length === 0 ? <p class="muted">No runs yet.</p> : null}
        <div class="scroll" hidden={items.length === 0}>
          <table aria-label="Optimization runs">
            <thead>
              <tr>
                <th scope="col" class="r">Run</th>
                <th scope="col">Strategy</th>
                <th scope="col">Search</th>
                <th scope="col">Started</th>
                <th scope="col">Progress</th>
                <th scope="col" class="r">Trials</th>
                <th scope="col" class="r">Best objective</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => {
                const l = live[r.id];
                const status = l?.status ?? r.status;
                const frac = l?.progress ?? r.progress;
                const ongoing = status === 'queued' || status === 'running';
                return (
                  <tr key={r.id} data-run={r.id} data-status={status} aria-selected={selected === r.id}>
                    <td class="r">#{r.id}</td>
                    <td>
                      {r.strategy}
                      <div class="small muted">{(r.config.symbols ?? []).join(', ')}</div>
                    </td>
                    <td>
                      {r.method} · {r.objective}
                      <div class="small muted">{r.origin === 'cli' ? 'from the command line' : searchedOf(r).join(' × ')}</div>
                    </td>
                    <td>{dateTime(r.createdAt)}</td>
                    <td>
                      <progress max={1} value={frac} aria-label={`run ${r.id} progress`} /> {status} {status === 'running' ? pct(frac, 0) : ''}
                      {(l?.error ?? r.error) ? <div class="small error">{l?.error ?? r.error}</div> : null}
                      {(l?.trialsReused ?? r.trialsReused) > 0 || r.resumes > 0 ? (
                        <div class="small muted opt-resumed">resumed after a restart · {l?.trialsReused ?? r.trialsReused} stored trials reused</div>
                      ) : null}
                    </td>
                    <td class="r">
                      {l?.trials ?? r.trials}
                      {r.trialsPlanned === null ? '' : ` / ${r.trialsPlanned}`}
                    </td>
                    <td class="r">{num(l?.bestObjective ?? r.bestObjective, 4)}</td>
                    <td>
                      {status === 'done' ? (
                        <button class="opt-open" onClick={() => setSelected(r.id)} aria-label={`show result of run ${r.id}`}>
                          Result
                        </button>
                      ) : null}
                      {trader && ongoing ? (
                        <button class="opt-cancel" onClick={() => void cancel(r.id)} aria-label={`cancel run ${r.id}`}>
                          Cancel
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
      {selected !== null && (live[selected]?.status ?? chosen?.status) === 'done' ? (
        <Panel title={`Run #${selected}`} id="opt-view" wide>
          <OptimizationResult key={selected} id={selected} searched={searchedOf(chosen)} />
        </Panel>
      ) : null}
    </div>
  );
}
