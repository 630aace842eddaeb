// Shrinks a long series to a few points per pixel column for drawing, keeping every column's extremes
// so spikes and drawdown troughs survive however many bars there are.

export interface SampledSeries {
  /** Indices into the original series, ascending. */
  readonly index: Int32Array;
  readonly value: Float64Array;
  readonly length: number;
}

function allFinite(values: ArrayLike<number>): SampledSeries {
  const index = new Int32Array(values.length);
  const value = new Float64Array(values.length);
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? Number.NaN;
    if (!Number.isFinite(v)) continue;
    index[k] = i;
    value[k++] = v;
  }
  return { index: index.subarray(0, k), value: value.subarray(0, k), length: k };
}

/**
 * Min/max decimation: the series is cut into `buckets` runs of consecutive points and each run
 * contributes its minimum and its maximum (in their original order), plus the first and last finite
 * points overall. Non-finite values are skipped. Short series come back whole.
 */
export function downsampleMinMax(values: ArrayLike<number>, buckets: number): SampledSeries {
  const n = values.length;
  const b = Math.max(1, Math.floor(buckets));
  if (n <= 2 * b + 2) return allFinite(values);
  const index = new Int32Array(2 * b + 2);
  const value = new Float64Array(2 * b + 2);
  let k = 0;
  const push = (i: number, v: number): void => {
    if (k > 0 && index[k - 1] === i) return;
    index[k] = i;
    value[k++] = v;
  };
  let first = 0;
  while (first < n && !Number.isFinite(values[first] ?? Number.NaN)) first++;
  let last = n - 1;
  while (last > first && !Number.isFinite(values[last] ?? Number.NaN)) last--;
  if (first >= n) return { index: index.subarray(0, 0), value: value.subarray(0, 0), length: 0 };
  push(first, values[first] ?? Number.NaN);
  for (let j = 0; j < b; j++) {
    const start = Math.floor((j * n) / b);
    const end = Math.floor(((j + 1) * n) / b);
    let lo = -1;
    let hi = -1;
    let loV = Infinity;
    let hiV = -Infinity;
    for (let i = start; i < end; i++) {
      const v = values[i] ?? Number.NaN;
      if (!Number.isFinite(v)) continue;
      if (v < loV) {
        lo = i;
        loV = v;
      }
      if (v > hiV) {
        hi = i;
        hiV = v;
      }
    }
    if (lo < 0) continue;
    if (lo <= hi) {
      push(lo, loV);
      push(hi, hiV);
    } else {
      push(hi, hiV);
      push(lo, loV);
    }
  }
  if (last > (index[k - 1] ?? -1)) push(last, values[last] ?? Number.NaN);
  return { index: index.subarray(0, k), value: value.subarray(0, k), length: k };
}
