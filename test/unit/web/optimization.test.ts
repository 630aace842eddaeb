// The optimization form's grid rows from a parameter schema and their checks, and the heatmap's cells.

import { describe, expect, it } from 'vitest';
import { gridCount, gridOf, heatmapOf, heatmapOfCells, initialRows, shade } from '../../../web/src/optimization/search.js';
import type { ParamSchema } from '../../../web/src/params.js';

const schema: ParamSchema = {
  fast: { type: 'int', default: 10, min: 1, max: 500 },
  slow: { type: 'int', default: 30, min: 2, max: 50 },
  ma: { type: 'enum', default: 'sma', options: ['sma', 'ema'] },
  k: { type: 'number', default: 2, min: 0.5 },
};

describe('optimization grid rows', () => {
  it('start from the defaults up to twice them within bounds, the first two numbers searched', () => {
    const rows = initialRows(schema);
    expect(rows.fast).toEqual({ search: true, from: '10', to: '20', step: '3' });
    expect(rows.slow).toEqual({ search: true, from: '30', to: '50', step: '5' });
    expect(rows.ma?.search).toBe(false);
    expect(rows.k).toEqual({ search: false, from: '2', to: '4', step: '0.5' });
  });

  it('become the request grid, or errors naming the parameter', () => {
    const rows = { ...initialRows(schema), ma: { search: true, from: '', to: '', step: '' } };
    expect(gridOf(schema, rows)).toEqual({ grid: { fast: '10:20:3', slow: '30:50:5', ma: '*' }, errors: {} });
    expect(gridCount({ fast: '10:20:3', slow: '30:50:5', ma: '*' }, schema)).toBe(4 * 5 * 2);
    expect(gridCount({ k: '0.5:1:0.1' }, schema)).toBe(6);
    const bad = gridOf(schema, { ...rows, fast: { search: true, from: '0', to: '5', step: '1' }, slow: { search: true, from: '30', to: '60', step: '5' }, k: { search: true, from: '1', to: '2', step: '0' } });
    expect(bad.errors).toEqual({ fast: 'from must be at least 1', slow: 'to must be at most 50', k: 'step must be above 0' });
    expect(gridOf(schema, { ...rows, fast: { search: true, from: '1.5', to: '5', step: '1' } }).errors.fast).toBe('must be whole numbers');
    expect(gridOf(schema, { fast: { search: false, from: '', to: '', step: '' } }).errors['']).toBe('search at least one parameter');
  });
});

describe('optimization heatmap', () => {
  it('holds the best feasible objective per cell over the other parameters, axes sorted', () => {
    const t = (fast: number, slow: number, ma: string, objective: number | null, feasible = true) => ({ point: { fast, slow, ma }, objective, feasible });
    const map = heatmapOf([t(10, 30, 'sma', 0.5), t(5, 30, 'sma', 0.2), t(10, 30, 'ema', 0.9), t(5, 40, 'ema', 3, false), t(5, 40, 'sma', null), t(10, 40, 'sma', -0.1)], 'fast', 'slow');
    expect(map.xs).toEqual([5, 10]);
    expect(map.ys).toEqual([30, 40]);
    expect(map.cells).toEqual([
      [0.2, 0.9],
      [null, -0.1],
    ]);
    expect([map.min, map.max]).toEqual([-0.1, 0.9]);
    expect(shade(0.9, map)).toBe(1);
    expect(shade(-0.1, map)).toBe(0);
    expect(shade(1, heatmapOf([t(1, 2, 'sma', 1)], 'fast', 'slow'))).toBe(0.5);
  });
});

describe('optimization heatmap from aggregated cells', () => {
  it('lays the API cells out as the map of their trials would be', () => {
    const cells = [
      { x: 10, y: 30, objective: 0.9, trials: 2 },
      { x: 5, y: 30, objective: 0.2, trials: 2 },
      { x: 5, y: 40, objective: null, trials: 2 },
      { x: 10, y: 40, objective: -0.1, trials: 1 },
    ];
    const map = heatmapOfCells(cells, 'fast', 'slow');
    expect(map.xs).toEqual([5, 10]);
    expect(map.ys).toEqual([30, 40]);
    expect(map.cells).toEqual([[0.2, 0.9], [null, -0.1]]);
    expect([map.min, map.max]).toEqual([-0.1, 0.9]);
    // One parameter across and down: its own values on both axes, the diagonal filled.
    const one = heatmapOfCells([{ x: 5, y: 5, objective: 1, trials: 3 }, { x: 10, y: 10, objective: 2, trials: 3 }], 'fast', 'fast');
    expect(one.cells).toEqual([[1, null], [null, 2]]);
  });
});
