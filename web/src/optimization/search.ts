// The optimization form's logic and the heatmap's data. Rows of searched parameters are generated from the
// strategy's parameter schema (from/to/step for numbers, every option for enums and booleans) and checked
// against its bounds before sending; the heatmap is the best objective per cell of two parameters over the
// others. Pure, unit-tested.

import type { ParamSchema, ParamSpec } from '../params.js';

export interface GridRow {
  readonly search: boolean;
  readonly from: string;
  readonly to: string;
  readonly step: string;
}

const isNumeric = (s: ParamSpec): boolean => s.type === 'int' || s.type === 'integer' || s.type === 'number';

/** A row per parameter: numbers from the default to twice it (within bounds), the first two numeric ones searched. */
export function initialRows(schema: ParamSchema): Record<string, GridRow> {
  const out: Record<string, GridRow> = {};
  let searched = 0;
  for (const [k, s] of Object.entries(schema)) {
    if (isNumeric(s)) {
      const d = typeof s.default === 'number' ? s.default : (s.min ?? 1);
      const hi = s.max === undefined ? d * 2 : Math.min(s.max, d * 2);
      const integer = s.type !== 'number';
      const step = integer ? Math.max(1, Math.round((hi - d) / 4)) : (hi - d) / 4 || 1;
      out[k] = { search: searched < 2, from: String(d), to: String(hi), step: String(step) };
      searched++;
    } else {
      out[k] = { search: false, from: '', to: '', step: '' };
    }
  }
  return out;
}

function number(text: string): number | null {
  const t = text.trim();
  return /^-?(\d+(\.\d*)?|\.\d+)$/.test(t) ? Number(t) : null;
}

/** The request's `grid` ({ name: "from:to:step" | "*" }) or errors keyed by parameter. */
export function gridOf(schema: ParamSchema, rows: Readonly<Record<string, GridRow>>): { grid: Record<string, string>; errors: Record<string, string> } {
  const grid: Record<string, string> = {};
  const errors: Record<string, string> = {};
  for (const [k, s] of Object.entries(schema)) {
    const r = rows[k];
    if (r === undefined || !r.search) continue;
    if (!isNumeric(s)) {
      if (s.type === 'enum' || s.type === 'boolean') grid[k] = '*';
      else errors[k] = 'cannot be searched';
      continue;
    }
    const [from, to, step] = [number(r.from), number(r.to), number(r.step)];
    const integer = s.type !== 'number';
    if (from === null || to === null || step === null) errors[k] = 'from, to and step must be numbers';
    else if (integer && ![from, to, step].every(Number.isInteger)) errors[k] = 'must be whole numbers';
    else if (!(step > 0)) errors[k] = 'step must be above 0';
    else if (to < from) errors[k] = 'to must not be below from';
    else if (s.min !== undefined && from < s.min) errors[k] = `from must be at least ${s.min}`;
    else if (s.max !== undefined && to > s.max) errors[k] = `to must be at most ${s.max}`;
    else grid[k] = `${from}:${to}:${step}`;
  }
  if (Object.keys(grid).length === 0 && Object.keys(errors).length === 0) errors[''] = 'search at least one parameter';
  return { grid, errors };
}

/** Points of a grid row, to say how many trials a search will make before it starts. */
export function gridCount(grid: Readonly<Record<string, string>>, schema: ParamSchema): number {
  let n = 1;
  for (const [k, spec] of Object.entries(grid)) {
    const s = schema[k];
    if (spec === '*') n *= s?.type === 'boolean' ? 2 : (s?.options?.length ?? 1);
    else {
      const [a = 0, b = 0, c = 1] = spec.split(':').map(Number);
      n *= Math.floor((b - a) / c + 1e-9) + 1;
    }
  }
  return n;
}

export interface HeatTrial {
  readonly point: Readonly<Record<string, unknown>>;
  readonly objective: number | null;
  readonly feasible: boolean;
}

export interface Heatmap {
  readonly xs: readonly (string | number | boolean)[];
  readonly ys: readonly (string | number | boolean)[];
  /** cells[y][x]: the best feasible objective over the other parameters, null when none. */
  readonly cells: readonly (readonly (number | null)[])[];
  readonly min: number;
  readonly max: number;
}

type Value = string | number | boolean;

function sorted(values: Iterable<Value>): Value[] {
  return [...values].sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b))));
}

/** The objective over two searched parameters (x, y), each cell the best over the other parameters. */
export function heatmapOf(trials: readonly HeatTrial[], x: string, y: string): Heatmap {
  const xs = sorted(new Set(trials.map((t) => t.point[x] as Value)));
  const ys = sorted(new Set(trials.map((t) => t.point[y] as Value)));
  const cells = ys.map(() => xs.map((): number | null => null));
  let [min, max] = [Infinity, -Infinity];
  for (const t of trials) {
    if (!t.feasible || t.objective === null) continue;
    const row = cells[ys.indexOf(t.point[y] as Value)];
    const i = xs.indexOf(t.point[x] as Value);
    if (row === undefined || i < 0) continue;
    const cur = row[i] ?? null;
    if (cur === null || t.objective > cur) row[i] = t.objective;
    min = Math.min(min, t.objective);
    max = Math.max(max, t.objective);
  }
  return { xs, ys, cells, min, max };
}

/** A cell as the API aggregates it over every stored trial (GET /optimizations/:id/heatmap). */
export interface HeatCell {
  readonly x: Value;
  readonly y: Value;
  /** Best feasible objective of the cell's trials; null when none was feasible. */
  readonly objective: number | null;
  readonly trials: number;
}

/** A numeric axis the API cut into equal bins (too many values): bin k starts at from + k·width. */
export interface HeatBin {
  readonly from: number;
  readonly width: number;
}

/** The heatmap of the API's aggregated cells: each cell stands for its trials' best. */
export function heatmapOfCells(cells: readonly HeatCell[], x: string, y: string): Heatmap {
  return heatmapOf(cells.map((c) => ({ point: x === y ? { [x]: c.x } : { [x]: c.x, [y]: c.y }, objective: c.objective, feasible: c.objective !== null })), x, y);
}

/** 0..1 position of a value between the map's min and max (0.5 when they are equal). */
export function shade(v: number, h: Heatmap): number {
  return h.max > h.min ? (v - h.min) / (h.max - h.min) : 0.5;
}
