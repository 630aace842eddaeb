// The backtest form (traders): strategy with its generated parameter fields, symbols, timeframe, dates,
// cash, sizing and costs, data source; checked before sending, then POST /backtests (202, queued).

import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../context.js';
import { useResource } from '../hooks.js';
import { ParamFields } from '../ParamFields.js';
import { initialValues, parseParams } from '../params.js';
import { SourceSelect, StrategySelect, type StrategyInfo } from './runFields.js';
import { ErrorLine } from '../ui.js';

export type { StrategyInfo } from './runFields.js';

const FIELDS = [
  ['symbols', 'Symbols (comma-separated)', 'DEMOA'],
  ['timeframe', 'Timeframe', '1d'],
  ['from', 'From (date)', ''],
  ['to', 'To (date)', ''],
  ['cash', 'Cash', '100000'],
  // Blank: the API's default, the account split evenly over the symbols (what the CLI does too).
  ['size', 'Size (blank: equity split over the symbols; 100, 10%, $5000, risk:1%)', ''],
  ['commission', 'Commission (per-share:0.005:min=1)', ''],
  ['slippage', 'Slippage (bps:2)', ''],
] as const;

export function BacktestForm(props: { onQueued: (id: number) => void }) {
  const { api } = useApp();
  const list = useResource<{ items: StrategyInfo[] }>('/strategies/available');
  const strategies = (list.data?.items ?? []).filter((s) => s.id !== 'signals');
  const [strategy, setStrategy] = useState('sma-cross');
  const spec = strategies.find((s) => s.id === strategy);
  const [params, setParams] = useState<Record<string, string>>({});
  const [paramErrors, setParamErrors] = useState<Record<string, string>>({});
  const [f, setF] = useState<Record<string, string>>(Object.fromEntries(FIELDS.map(([k, , d]) => [k, d])));
  const [source, setSource] = useState('demo');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setParams(spec ? initialValues(spec.params) : {}), [spec]);

  const submit = async (ev: Event): Promise<void> => {
    ev.preventDefault();
    if (!spec) return;
    const parsed = parseParams(spec.params, params);
    setParamErrors(parsed.errors);
    const symbols = (f.symbols ?? '').split(',').map((x) => x.trim().toUpperCase()).filter(Boolean);
    if (symbols.length === 0) return setError('Give at least one symbol.');
    if (Object.keys(parsed.errors).length > 0) return setError('Some parameters are out of range.');
    const cash = Number(f.cash);
    if (!(cash > 0)) return setError('Cash must be a number above zero.');
    const body: Record<string, unknown> = { strategy, params: parsed.params, symbols, timeframe: f.timeframe || '1d', cash, source };
    for (const k of ['from', 'to', 'size', 'commission', 'slippage'] as const) if ((f[k] ?? '').trim()) body[k] = (f[k] ?? '').trim();
    try {
      const job = await api.request<{ id: number }>('POST', '/backtests', body);
      setError(null);
      props.onQueued(job.id);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <form id="backtest-form" onSubmit={submit} aria-label="New backtest" noValidate>
      <div class="row">
        <StrategySelect id="bt-strategy" strategies={strategies} value={strategy} onChange={setStrategy} />
        <SourceSelect id="bt-source" value={source} onChange={setSource} />
      </div>
      {spec ? <p class="small muted">{spec.description}</p> : null}
      {spec ? <ParamFields schema={spec.params} values={params} errors={paramErrors} onChange={setParams} idPrefix="bt-param" /> : null}
      <div class="row">
        {FIELDS.map(([k, label]) => (
          <label key={k}>
            {label}
            <input id={`bt-${k}`} value={f[k] ?? ''} onInput={(e) => setF({ ...f, [k]: e.currentTarget.value })} />
          </label>
        ))}
        <button type="submit" class="primary" id="bt-run">
          Run backtest
        </button>
      </div>
      <ErrorLine error={error ?? list.error} />
    </form>
  );
}
