// Strategies: running instances with P&L, allocation, start/stop and parameter changes (traders), a form to
// add an instance with fields generated from the parameter schema, and the catalogue.

import { useState } from 'preact/hooks';
import type { StrategyInfo } from '../backtests/BacktestForm.js';
import { allows, useApp } from '../context.js';
import { pct } from '../format.js';
import { useReloadOn, useResource } from '../hooks.js';
import { ParamFields } from '../ParamFields.js';
import { initialValues, parseParams, type ParamSchema } from '../params.js';
import { ErrorLine, Num, Panel } from '../ui.js';

interface Instance {
  readonly id: string;
  readonly strategy: string;
  readonly params: Record<string, unknown>;
  readonly symbols: string[];
  readonly size: string | null;
  readonly running: boolean;
  readonly pnl: number;
  readonly marketValue: number;
  readonly fills: number;
}

interface Allocation {
  readonly strategies: { strategy: string; target: number; weight: number; capital: number }[];
}

export function Strategies() {
  const { me } = useApp();
  const catalogue = useResource<{ items: StrategyInfo[] }>('/strategies/available');
  const instances = useResource<{ items: Instance[] }>('/strategies');
  const alloc = useResource<Allocation>('/portfolio/allocation/policy');
  useReloadOn(['fills', 'status'], instances.reload, 1000);
  const trader = allows(me.role, 'trader');
  const schemaOf = (id: string): ParamSchema => catalogue.data?.items.find((s) => s.id === id)?.params ?? {};
  const allocOf = (id: string) => alloc.data?.strategies.find((a) => a.strategy === id);
  return (
    <div class="grid">
      <Panel title="Running in the session" id="instances" wide>
        <ErrorLine error={instances.error} />
        <div class="scroll">
          <table aria-label="Strategy instances">
            <thead>
              <tr>
                <th scope="col">Instance</th>
                <th scope="col">Strategy</th>
                <th scope="col">Symbols</th>
                <th scope="col">State</th>
                <th scope="col" class="r">P&L</th>
                <th scope="col" class="r">Market value</th>
                <th scope="col" class="r">Fills</th>
                <th scope="col" class="r">Allocation</th>
                {trader ? <th scope="col">Actions</th> : null}
              </tr>
            </thead>
            <tbody>
              {(instances.data?.items ?? []).map((i) => (
                <InstanceRow key={i.id} i={i} trader={trader} schema={schemaOf(i.strategy)} alloc={allocOf(i.id)} onChanged={instances.reload} />
              ))}
            </tbody>
          </table>
        </div>
      </Panel>
      {trader ? (
        <Panel title="Add a strategy instance" id="add-instance" wide>
          <AddInstance catalogue={catalogue.data?.items ?? []} onAdded={instances.reload} />
        </Panel>
      ) : null}
      <Panel title="Catalogue" id="catalogue" wide>
        {(catalogue.data?.items ?? []).map((s) => (
          <details key={s.id}>
            <summary>
              <strong>{s.name}</strong> <code>{s.id}</code>
            </summary>
            <p class="small">{s.description}</p>
            <ul class="small">
              {Object.entries(s.params).map(([k, p]) => (
                <li key={k}>
                  <code>{k}</code> ({p.type}, default {String(p.default)}
                  {p.min !== undefined ? `, ${p.min}…${p.max ?? ''}` : ''}
                  {p.options ? `: ${p.options.join(' | ')}` : ''}) {p.description}
                </li>
              ))}
            </ul>
          </details>
        ))}
      </Panel>
    </div>
  );
}

function InstanceRow(props: { i: Instance; trader: boolean; schema: ParamSchema; alloc: { weight: number; target: number } | undefined; onChanged: () => void }) {
  const { api } = useApp();
  const { i } = props;
  const [editing, setEditing] = useState(false);
  const [values, setValues] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const call = async (method: string, path: string, body?: unknown): Promise<void> => {
    try {
      await api.request(method, path, body);
      setError(null);
      setEditing(false);
      props.onChanged();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const edit = (): void => {
    setValues(Object.fromEntries(Object.keys(props.schema).map((k) => [k, i.params[k] === undefined ? String(props.schema[k]?.default ?? '') : String(i.params[k])])));
    setEditing(!editing);
  };
  const save = (ev: Event): void => {
    ev.preventDefault();
    const parsed = parseParams(props.schema, values);
    setErrors(parsed.errors);
    if (Object.keys(parsed.errors).length === 0) void call('PUT', `/strategies/${encodeURIComponent(i.id)}/params`, { params: parsed.params });
  };
  const enc = encodeURIComponent(i.id);
  return (
    <>
      <tr data-instance={i.id}>
        <td>{i.id}</td>
        <td>{i.strategy}</td>
        <td>{i.symbols.join(', ')}</td>
        <td class="state">{i.running ? '▶ running' : '■ stopped'}</td>
        <td class="r"><Num value={i.pnl} pnl /></td>
        <td class="r"><Num value={i.marketValue} /></td>
        <td class="r">{i.fills}</td>
        <td class="r">{props.alloc ? `${pct(props.alloc.weight, 1)} of ${pct(props.alloc.target, 1)}` : '–'}</td>
        {props.trader ? (
          <td class="row nowrap">
            {i.running ? (
              <button class="stop" onClick={() => void call('POST', `/strategies/${enc}/stop`)}>Stop</button>
            ) : (
              <button class="start" onClick={() => void call('POST', `/strategies/${enc}/start`)}>Start</button>
            )}
            <button class="params" aria-expanded={editing} onClick={edit}>Parameters</button>
          </td>
        ) : null}
      </tr>
      {editing || error ? (
        <tr>
          <td colSpan={9}>
            {editing ? (
              <form onSubmit={save} class="params-form" aria-label={`Parameters of ${i.id}`}>
                <ParamFields schema={props.schema} values={values} errors={errors} onChange={setValues} idPrefix={`p-${i.id}`} />
                <p class="small muted">Changing parameters restarts the instance (its indicators warm up again).</p>
                <button type="submit" class="primary">Apply</button>
              </form>
            ) : null}
            <ErrorLine error={error} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

function AddInstance(props: { catalogue: StrategyInfo[]; onAdded: () => void }) {
  const { api } = useApp();
  const list = props.catalogue.filter((s) => s.id !== 'signals');
  const [strategy, setStrategy] = useState('');
  const spec = list.find((s) => s.id === strategy);
  const [id, setId] = useState('');
  const [symbols, setSymbols] = useState('');
  const [size, setSize] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const submit = async (ev: Event): Promise<void> => {
    ev.preventDefault();
    if (!spec) return setError('Choose a strategy.');
    const parsed = parseParams(spec.params, values);
    setErrors(parsed.errors);
    if (Object.keys(parsed.errors).length) return setError('Some parameters are out of range.');
    const syms = symbols.split(',').map((x) => x.trim().toUpperCase()).filter(Boolean);
    if (!id.trim() || syms.length === 0) return setError('Give the instance a name and at least one symbol.');
    try {
      await api.request('POST', '/strategies', { id: id.trim(), strategy, params: parsed.params, symbols: syms, ...(size.trim() ? { size: size.trim() } : {}) });
      setError(null);
      props.onAdded();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <form id="add-instance-form" onSubmit={submit} noValidate>
      <div class="row">
        <label>
          Strategy
          <select id="new-strategy" value={strategy} onChange={(e) => { setStrategy(e.currentTarget.value); const s = list.find((x) => x.id === e.currentTarget.value); setValues(s ? initialValues(s.params) : {}); }}>
            <option value="">choose…</option>
            {list.map((s) => (
              <option key={s.id} value={s.id}>{s.name}</option>
            ))}
          </select>
        </label>
        <label>
          Instance name
          <input id="new-id" value={id} onInput={(e) => setId(e.currentTarget.value)} />
        </label>
        <label>
          Symbols
          <input id="new-symbols" value={symbols} placeholder="DEMOA, DEMOB" onInput={(e) => setSymbols(e.currentTarget.value)} />
        </label>
        <label>
          Size
          <input id="new-size" value={size} placeholder="10%" onInput={(e) => setSize(e.currentTarget.value)} />
        </label>
      </div>
      {spec ? <ParamFields schema={spec.params} values={values} errors={errors} onChange={setValues} idPrefix="new-param" /> : null}
      <button type="submit" class="primary" id="new-submit">Add and start</button>
      <ErrorLine error={error} />
    </form>
  );
}
