// Rolling correlation of simple close-to-close returns between two symbols over the last `lookback`
// returns, aligned bar by bar from the newest (series with gaps in different places are misaligned).

/** Newest-first closes, as BarHistory gives them. */
export interface CloseSeries {
  readonly length: number;
  close(ago?: number): number;
  /** Time of a bar (newest first): a changed newest time means new data. */
  time(ago?: number): number;
}

/** Pearson correlation of the last `lookback` returns; null when either series is too short or flat. */
export function returnsCorrelation(a: CloseSeries, b: CloseSeries, lookback: number): number | null {
  if (a.length < lookback + 1 || b.length < lookback + 1) return null;
  let sa = 0;
  let sb = 0;
  let saa = 0;
  let sbb = 0;
  let sab = 0;
  for (let i = 0; i < lookback; i++) {
    const ra = a.close(i) / a.close(i + 1) - 1;
    const rb = b.close(i) / b.close(i + 1) - 1;
    sa += ra;
    sb += rb;
    saa += ra * ra;
    sbb += rb * rb;
    sab += ra * rb;
  }
  const n = lookback;
  const cov = sab - (sa * sb) / n;
  const va = saa - (sa * sa) / n;
  const vb = sbb - (sb * sb) / n;
  if (!(va > 1e-18) || !(vb > 1e-18)) return null;
  const r = cov / Math.sqrt(va * vb);
  return Math.max(-1, Math.min(1, r));
}
