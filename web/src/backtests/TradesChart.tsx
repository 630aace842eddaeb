// A finished backtest's trades on the price chart: the run's bars of one of its symbols (its timeframe and
// period, from GET /bars) with each entry and exit marked, ▲ buy and ▼ sell.

import { useEffect, useMemo, useState } from 'preact/hooks';
import { useApp } from '../context.js';
import { barsOf, type BarColumns } from '../markets/history.js';
import { timeframeMs, type Bars } from '../markets/indicators.js';
import { PriceChart } from '../markets/PriceChart.js';
import { ErrorLine } from '../ui.js';
import { tradeMarks, type TradeRow } from './curves.js';

interface RunConfig {
  readonly config: { readonly timeframe?: string; readonly from?: string | null; readonly to?: string | null };
}

export function TradesChart(props: { id: number; trades: readonly TradeRow[] }) {
  const { api } = useApp();
  const symbols = useMemo(() => [...new Set(props.trades.map((t) => t.symbol))], [props.trades]);
  const [symbol, setSymbol] = useState<string | null>(null);
  const [bars, setBars] = useState<{ timeframe: string; bars: Bars } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const shown = symbol ?? symbols[0] ?? null;
  useEffect(() => {
    if (shown === null) return;
    let stale = false;
    api
      .get<RunConfig>(`/backtests/${props.id}`)
      .then((run) => {
        const q = new URLSearchParams({ symbol: shown, timeframe: run.config.timeframe ?? '1d', limit: '10000', format: 'columns' });
        if (run.config.from) q.set('from', run.config.from);
        else if (run.config.to) q.set('to', run.config.to);
        return api.get<{ timeframe: string; columns: BarColumns }>(`/bars?${q.toString()}`);
      })
      .then(
        (b) => !stale && (setBars({ timeframe: b.timeframe, bars: barsOf(b.columns) }), setError(null)),
        (e: unknown) => !stale && setError(e instanceof Error ? e.message : String(e)),
      );
    return () => {
      stale = true;
    };
  }, [api, props.id, shown]);
  const marks = useMemo(() => (shown === null ? [] : tradeMarks(props.trades, shown)), [props.trades, shown]);
  if (shown === null) return <p class="muted">No trades to chart.</p>;
  const barMs = timeframeMs(bars?.timeframe ?? '1d') ?? 86_400_000;
  return (
    <div id="bt-chart">
      <label>
        Symbol{' '}
        <select id="bt-chart-symbol" value={shown} onChange={(e) => setSymbol(e.currentTarget.value)}>
          {symbols.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <ErrorLine error={error} />
      {bars ? <PriceChart id="bt-price-chart" symbol={shown} timeframe={bars.timeframe} bars={bars.bars} overlays={[]} fills={marks} barMs={barMs} intraday={barMs < 86_400_000} follow={false} /> : null}
    </div>
  );
}
