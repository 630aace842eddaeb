// One finished run: every metric, equity and drawdown charts, the monthly-returns heatmap, the trade list
// with CSV export, the trades marked on the price chart, and the HTML report (fetched with the token, opened as a file).

import { useEffect, useMemo, useState } from 'preact/hooks';
import { useApp } from '../context.js';
import { num, pct, signed, tone } from '../format.js';
import { LineChart } from '../LineChart.js';
import { toCsv } from '../table.js';
import { download, ErrorLine } from '../ui.js';
import { drawdown, monthlyGrid, type MonthlyReturn } from './curves.js';
import { TradesChart } from './TradesChart.js';
import { MetricsTable } from './runFields.js';

interface ResultJson {
  readonly metrics: Record<string, number | null>;
  readonly trades: { symbol: string; side: string; quantity: number; entryTime: string | null; entryPrice: number; exitTime: string | null; exitPrice: number; pnl: number; commission: number }[];
  readonly equityCurve: [string | null, number | null][];
  readonly monthlyReturns: MonthlyReturn[];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function BacktestResult(props: { id: number }) {
  const { api } = useApp();
  const [r, setR] = useState<ResultJson | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setR(null);
    api.get<ResultJson>(`/backtests/${props.id}/result`).then(setR, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [api, props.id]);
  const curve = useMemo(() => {
    const pts = (r?.equityCurve ?? []).flatMap(([t, e]) => (t === null || e === null ? [] : [[Date.parse(t), e] as const]));
    const values = pts.map((p) => p[1]);
    return { times: pts.map((p) => p[0]), values, dd: drawdown(values) };
  }, [r]);
  const report = async (): Promise<void> => {
    try {
      const html = await api.request<string>('GET', `/backtests/${props.id}/report`);
      download(`backtest-${props.id}.html`, html, 'text/html');
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  if (!r) return <ErrorLine error={error} />;
  const trades = r.trades;
  return (
    <div id="bt-result" data-id={props.id}>
      <div class="row">
        <button id="bt-report" onClick={() => void report()}>
          Download HTML report
        </button>
        <button id="bt-trades-csv" onClick={() => download(`backtest-${props.id}-trades.csv`, toCsv(trades, Object.keys(trades[0] ?? { symbol: '' }).map((k) => [k, (t) => (t as Record<string, unknown>)[k]] as const)))}>
          Export trades CSV
        </button>
      </div>
      <ErrorLine error={error} />
      <h3>Metrics</h3>
      <MetricsTable id="bt-metrics" label="Metrics" metrics={r.metrics} />
      <h3>Equity</h3>
      <LineChart id="bt-equity" label="Backtest equity curve" times={curve.times} values={curve.values} />
      <h3>Trades on the price chart</h3>
      <TradesChart id={props.id} trades={trades} />
      <h3>Drawdown</h3>
      <LineChart id="bt-drawdown" label="Backtest drawdown below the running peak" times={curve.times} values={curve.dd} area percent />
      <h3>Monthly returns</h3>
      <div class="scroll">
        <table class="heatmap" id="bt-monthly" aria-label="Monthly returns">
          <thead>
            <tr>
              <th scope="col">Year</th>
              {MONTHS.map((m) => (
                <th scope="col" class="r" key={m}>
                  {m}
                </th>
              ))}
              <th scope="col" class="r">Year</th>
            </tr>
          </thead>
          <tbody>
            {monthlyGrid(r.monthlyReturns).map((row) => (
              <tr key={row.year}>
                <th scope="row">{row.year}</th>
                {[...row.cells, row.total].map((c, i) => (
                  <td key={i} class={`r ${tone(c, 4)}`} style={c === null ? undefined : { '--heat': String(Math.min(1, Math.abs(c) * 10)) }}>
                    {c === null ? '' : pct(c, 1)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3>Trades ({trades.length})</h3>
      <div class="scroll">
        <table id="bt-trades" aria-label="Backtest trades">
          <thead>
            <tr>
              <th scope="col">Symbol</th>
              <th scope="col">Side</th>
              <th scope="col" class="r">Qty</th>
              <th scope="col">Entry</th>
              <th scope="col" class="r">Entry price</th>
              <th scope="col">Exit</th>
              <th scope="col" class="r">Exit price</th>
              <th scope="col" class="r">P&L</th>
            </tr>
          </thead>
          <tbody>
            {trades.slice(0, 200).map((t, i) => (
              <tr key={i}>
                <td>{t.symbol}</td>
                <td>{t.side}</td>
                <td class="r">{num(t.quantity, 0)}</td>
                <td>{t.entryTime?.slice(0, 10)}</td>
                <td class="r">{num(t.entryPrice)}</td>
                <td>{t.exitTime?.slice(0, 10)}</td>
                <td class="r">{num(t.exitPrice)}</td>
                <td class={`r ${tone(t.pnl)}`}>{signed(t.pnl)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {trades.length > 200 ? <p class="small muted">First 200 of {trades.length}; the CSV has them all.</p> : null}
    </div>
  );
}
