// Risk: the kill switch, the latest snapshot (exposure, VaR/ES, drawdown gauge), exposure by symbol and by
// strategy, recent refusals in plain words, and the limits (admins edit them field by field; the server validates the whole
// config and changes nothing on a bad one).

import { useEffect, useState } from 'preact/hooks';
import { allows, useApp } from '../context.js';
import { num, pct } from '../format.js';
import { useReloadOn, useResource } from '../hooks.js';
import { KillSwitch, type SwitchState } from '../KillSwitch.js';
import { ErrorLine, Num, Panel, Stat } from '../ui.js';
import { buildRiskConfig, LIMIT_FIELDS, limitLabel, limitText, limitValues, type LimitValues } from '../riskForm.js';
import { rejectionInWords } from '../words.js';

interface Snapshot {
  readonly equity: number;
  readonly grossExposure: number;
  readonly netExposure: number;
  readonly grossFraction: number;
  readonly netFraction: number;
  readonly peakEquity: number;
  readonly drawdown: number;
  readonly var95: number | null;
  readonly es95: number | null;
  readonly var99: number | null;
  readonly es99: number | null;
}

interface Allocation {
  readonly bySymbol: { symbol: string; marketValue: number | null; weight: number }[];
  readonly byStrategy: { strategy: string; marketValue: number; weight: number }[];
}

export function Risk() {
  const status = useResource<{ killSwitch: SwitchState; snapshot: Snapshot | null; recentDenials: { code: string; message: string; ts?: number }[] }>('/risk/status');
  const alloc = useResource<Allocation>('/portfolio/allocation');
  useReloadOn(['risk', 'positions'], status.reload, 1000);
  useReloadOn(['positions'], alloc.reload, 1000);
  const snap = status.data?.snapshot ?? null;
  return (
    <div class="grid">
      <Panel title="Kill switch" id="risk-kill">
        <ErrorLine error={status.error} />
        <KillSwitch state={status.data?.killSwitch ?? null} onChange={status.reload} />
      </Panel>
      <Panel title="Exposure and loss risk" id="risk-snapshot">
        {snap ? (
          <>
            <div class="stats">
              <Stat label="Gross exposure"><Num value={snap.grossExposure} /> <span class="small muted">({pct(snap.grossFraction, 1)})</span></Stat>
              <Stat label="Net exposure"><Num value={snap.netExposure} /> <span class="small muted">({pct(snap.netFraction, 1)})</span></Stat>
              <Stat label="VaR 95 / ES 95"><Num value={snap.var95} /> / <Num value={snap.es95} /></Stat>
              <Stat label="VaR 99 / ES 99"><Num value={snap.var99} /> / <Num value={snap.es99} /></Stat>
            </div>
            <label>
              Drawdown from the peak ({pct(-Math.abs(snap.drawdown), 2)} of {num(snap.peakEquity, 2)})
              <meter id="drawdown-gauge" min={0} max={0.5} low={0.1} high={0.2} optimum={0} value={Math.abs(snap.drawdown)} aria-label="drawdown gauge" />
            </label>
          </>
        ) : (
          <p class="muted">No risk snapshot yet: the session has not stepped.</p>
        )}
      </Panel>
      <Panel title="Exposure by symbol and strategy" id="risk-exposure">
        <ErrorLine error={alloc.error} />
        {!alloc.data ? null : alloc.data.bySymbol.length === 0 && alloc.data.byStrategy.length === 0 ? (
          <p class="muted" id="exposure-empty">No exposure: there are no open positions.</p>
        ) : (
          <>
            <ExposureTable label="Exposure by symbol" head="Symbol" rows={alloc.data.bySymbol.map((x) => ({ name: x.symbol, value: x.marketValue, weight: x.weight }))} />
            <ExposureTable label="Exposure by strategy" head="Strategy" rows={alloc.data.byStrategy.map((x) => ({ name: x.strategy, value: x.marketValue, weight: x.weight }))} />
          </>
        )}
      </Panel>
      <Panel title="Recent refusals" id="risk-denials">
        {(status.data?.recentDenials ?? []).length === 0 ? <p class="muted">None.</p> : null}
        <ul class="small">
          {(status.data?.recentDenials ?? []).slice(0, 20).map((d, i) => (
            <li key={i}>{rejectionInWords(`${d.code}: ${d.message}`)}</li>
          ))}
        </ul>
      </Panel>
      <Panel title="Limits" id="risk-limits" wide>
        <Limits />
      </Panel>
    </div>
  );
}

/** One exposure table, or a line saying it is empty (bare headers read as a fault). */
function ExposureTable(props: { label: string; head: string; rows: { name: string; value: number | null; weight: number }[] }) {
  if (props.rows.length === 0) return <p class="muted small">{props.label}: none.</p>;
  return (
    <table aria-label={props.label}>
      <thead><tr><th scope="col">{props.head}</th><th scope="col" class="r">Value</th><th scope="col" class="r">Weight</th></tr></thead>
      <tbody>
        {props.rows.map((x) => (
          <tr key={x.name}><td>{x.name}</td><td class="r"><Num value={x.value} /></td><td class="r">{pct(x.weight, 1)}</td></tr>
        ))}
      </tbody>
    </table>
  );
}

function Limits() {
  const { api, me } = useApp();
  const r = useResource<{ global: Record<string, unknown>; config: unknown }>('/risk/limits');
  const [values, setValues] = useState<LimitValues>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => setValues(r.data ? limitValues(r.data.config, r.data.global) : {}), [r.data]);
  const admin = allows(me.role, 'admin');
  const edit = (key: string, value: string): void => {
    setValues({ ...values, [key]: value });
    setSaved(false);
  };
  const save = async (ev: Event): Promise<void> => {
    ev.preventDefault();
    const built = buildRiskConfig(r.data?.config ?? {}, values);
    setErrors(built.errors);
    if (built.config === null) return setError('Fix the marked fields; nothing was sent.');
    try {
      await api.request('PUT', '/risk/limits', built.config);
      setError(null);
      setSaved(true);
      r.reload();
    } catch (e) {
      setSaved(false);
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <div>
      <h3>In force (global)</h3>
      <table class="metrics" id="limits-global" aria-label="Global limits">
        <tbody>
          {Object.entries(r.data?.global ?? {}).map(([k, v]) => (
            <tr key={k} data-limit={k}><th scope="row">{limitLabel(k)}</th><td class="r">{limitText(v)}</td></tr>
          ))}
        </tbody>
      </table>
      {admin ? (
        <form onSubmit={save} id="limits-form" noValidate>
          <p class="small muted">Global limits; leave a field blank to turn that limit off. Per-strategy and per-symbol limits (docs/risk.md) are kept as they are.</p>
          <div class="row">
            {LIMIT_FIELDS.map((f) => (
              <label key={f.key}>
                {f.label}
                {f.kind === 'boolean' ? (
                  <select id={`limit-${f.key}`} value={values[f.key] ?? ''} onChange={(e) => edit(f.key, e.currentTarget.value)}>
                    <option value="true">yes</option>
                    <option value="false">no</option>
                  </select>
                ) : (
                  <input id={`limit-${f.key}`} inputMode="decimal" value={values[f.key] ?? ''} placeholder="off" onInput={(e) => edit(f.key, e.currentTarget.value)} aria-invalid={errors[f.key] ? 'true' : undefined} aria-describedby={errors[f.key] ? `limit-${f.key}-err` : undefined} />
                )}
                {errors[f.key] ? <span class="error small" id={`limit-${f.key}-err`}>{errors[f.key]}</span> : null}
              </label>
            ))}
          </div>
          <button type="submit" class="primary" id="limits-save">Save limits</button>
          {saved ? <span role="status" id="limits-saved"> Saved.</span> : null}
          <ErrorLine error={error} />
        </form>
      ) : null}
    </div>
  );
}
