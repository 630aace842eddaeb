// Pieces the backtest and optimization pages share: the strategy and data-source pickers of their forms, and
// the table of every metric of a result (fixed decimals, right-aligned).

import { num } from '../format.js';
import type { ParamSchema } from '../params.js';
import { humanize } from './curves.js';

export interface StrategyInfo {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly params: ParamSchema;
}

export function StrategySelect(props: { id: string; strategies: readonly StrategyInfo[]; value: string; onChange: (id: string) => void }) {
  return (
    <label>
      Strategy
      <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
        {props.strategies.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
    </label>
  );
}

export function SourceSelect(props: { id: string; value: string; onChange: (source: string) => void }) {
  return (
    <label>
      Data
      <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
        <option value="demo">generated demo bars</option>
        <option value="store">stored bars</option>
      </select>
    </label>
  );
}

export function MetricsTable(props: { id: string; label: string; metrics: Readonly<Record<string, number | null>> }) {
  return (
    <table class="metrics" id={props.id} aria-label={props.label}>
      <tbody>
        {Object.entries(props.metrics).map(([k, v]) => (
          <tr key={k} data-metric={k}>
            <th scope="row">{humanize(k)}</th>
            <td class="r">{num(v, Math.abs(v ?? 0) >= 100 ? 2 : 4)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
