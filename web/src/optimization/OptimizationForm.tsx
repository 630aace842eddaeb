// The optimization form (traders): strategy, a row per parameter from its schema (search it over from/to/step,
// or every option), method, objective, constraints, walk-forward, data and sizing; checked before sending, then
// POST /optimizations (202, queued).

import { useEffect, useState } from 'preact/hooks';
import { SourceSelect, StrategySelect, type StrategyInfo } from '../backtests/runFields.js';
import { useApp } from '../context.js';
import { useResource } from '../hooks.js';
import { ErrorLine } from '../ui.js';
import { gridCount, gridOf, initialRows, type GridRow } from './search.js';

const METHODS = ['grid', 'random', 'bayes', 'genetic', 'pso'] as const;

const FIELDS = [
  ['symbols', 'Symbols (comma-separated)', 'DEMOA'],
  ['timeframe', 'Timeframe', '1d'],
  ['from', 'From (date)', ''],
  ['to', 'To (date)', ''],
  ['size', 'Size (blank: equity split over the symbols; 100, 10%, $5000)', ''],
  ['objective', 'Objective (metric or expression)', 'sharpe'],
  ['constraints', 'Constraints (; between them)', ''],
  ['where', 'Parameter rules (e.g. fast < slow)', ''],
  ['budget', 'Budget (trials; grid: all)', ''],
  ['walkForward', 'Walk-forward (is=2y,oos=6m)', ''],
  ['workers', 'Worker threads', '1'],
] as const;

const list = (text: string): string[] => text.split(';').map((x) => x.trim()).filter(Boolean);

export function OptimizationForm(props: { onQueued: (id: number) => void }) {
  const { api } = useApp();
  const strategies = (useResource<{ items: StrategyInfo[] }>('/strategies/available').data?.items ?? []).filter((s) => s.id !== 'signals');
  const [strategy, setStrategy] = useState('sma-cross');
  const spec = strategies.find((s) => s.id === strategy);
  const [rows, setRows] = useState<Record<string, GridRow>>({});
  const [rowErrors, setRowErrors] = useState<Record<string, string>>({});
  const [f, setF] = useState<Record<string, string>>(Object.fromEntries(FIELDS.map(([k, , d]) => [k, d])));
  const [method, setMethod] = useState('grid');
  const [source, setSource] = useState('demo');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setRows(spec ? initialRows(spec.params) : {}), [spec]);
  const setRow = (k: string, r: Partial<GridRow>): void => setRows({ ...rows, [k]: { ...(rows[k] as GridRow), ...r } });
  const checked = spec ? gridOf(spec.params, rows) : null;

  const submit = async (ev: Event): Promise<void> => {
    ev.preventDefault();
    if (!spec || checked === null) return;
    setRowErrors(checked.errors);
    if (Object.keys(checked.errors).length > 0) return setError(checked.errors[''] ?? 'Some searched parameters are out of range.');
    const symbols = (f.symbols ?? '').split(',').map((x) => x.trim().toUpperCase()).filter(Boolean);
    if (symbols.length === 0) return setError('Give at least one symbol.');
    const body: Record<string, unknown> = { strategy, grid: checked.grid, method, symbols, source, timeframe: f.timeframe || '1d', objective: (f.objective ?? '').trim() || 'sharpe' };
    for (const k of ['from', 'to', 'size', 'walkForward'] as const) if ((f[k] ?? '').trim()) body[k] = (f[k] ?? '').trim();
    for (const k of ['constraints', 'where'] as const) if (list(f[k] ?? '').length > 0) body[k] = list(f[k] ?? '');
    for (const k of ['budget', 'workers'] as const) {
      const t = (f[k] ?? '').trim();
      if (t === '') continue;
      if (!/^\d+$/.test(t) || Number(t) < 1) return setError(`${k === 'budget' ? 'Budget' : 'Worker threads'} must be a whole number of at least 1.`);
      body[k] = Number(t);
    }
    try {
      const run = await api.request<{ id: number }>('POST', '/optimizations', body);
      setError(null);
      props.onQueued(run.id);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <form id="opt-form" onSubmit={submit} aria-label="New optimization" noValidate>
      <div class="row">
        <StrategySelect id="opt-strategy" strategies={strategies} value={strategy} onChange={setStrategy} />
        <label>
          Method
          <select id="opt-method" value={method} onChange={(e) => setMethod(e.currentTarget.value)}>
            {METHODS.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <SourceSelect id="opt-source" value={source} onChange={setSource} />
      </div>
      {spec ? (
        <div class="scroll">
        <table class="params-grid" aria-label="Searched parameters">
          <thead>
            <tr>
              <th scope="col">Parameter</th>
              <th scope="col">Search</th>
              <th scope="col">From</th>
              <th scope="col">To</th>
              <th scope="col">Step</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(spec.params).map(([k, s]) => {
              const r = rows[k];
              if (r === undefined) return null;
              const numeric = s.type === 'int' || s.type === 'integer' || s.type === 'number';
              const err = rowErrors[k];
              return (
                <tr key={k} data-param={k}>
                  <th scope="row" title={s.description}>
                    {k}
                    <span class="small muted"> {s.min !== undefined || s.max !== undefined ? `${s.min ?? ''}…${s.max ?? ''}` : ''}</span>
                    {err ? (
                      <div class="small error" id={`opt-${k}-error`}>
                        {err}
                      </div>
                    ) : null}
                  </th>
                  <td>
                    <input type="checkbox" id={`opt-search-${k}`} checked={r.search} onChange={(e) => setRow(k, { search: e.currentTarget.checked })} aria-label={`search ${k}`} />
                  </td>
                  {numeric ? (
                    (['from', 'to', 'step'] as const).map((part) => (
                      <td key={part}>
                        <input id={`opt-${k}-${part}`} inputMode="decimal" size={6} value={r[part]} disabled={!r.search} aria-label={`${k} ${part}`} aria-invalid={err ? 'true' : undefined} onInput={(e) => setRow(k, { [part]: e.currentTarget.value })} />
                      </td>
                    ))
                  ) : (
                    <td colSpan={3} class="small muted">
                      {s.type === 'enum' || s.type === 'boolean' ? 'every option' : 'fixed at its default'}
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
        </div>
      ) : null}
      {checked !== null && Object.keys(checked.errors).length === 0 ? (
        <p class="small muted" id="opt-count">
          {gridCount(checked.grid, spec?.params ?? {})} grid points{method === 'grid' ? '' : ' (the method samples its budget from them)'}
        </p>
      ) : null}
      <div class="row">
        {FIELDS.map(([k, label]) => (
          <label key={k}>
            {label}
            <input id={`opt-${k}`} value={f[k] ?? ''} onInput={(e) => setF({ ...f, [k]: e.currentTarget.value })} />
          </label>
        ))}
        <button type="submit" class="primary" id="opt-run">
          Start optimization
        </button>
      </div>
      <ErrorLine error={error} />
    </form>
  );
}
