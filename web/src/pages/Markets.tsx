// Markets: symbol search, timeframe, candlesticks with volume, overlays, and the session's fills marked; older
// bars load as the user scrolls to the left edge (or all at once), up to the whole stored history; the line under
// the chart says how many bars one candle stands for at the zoom shown.

import { useCallback, useEffect, useState } from 'preact/hooks';
import { useApp } from '../context.js';
import { day } from '../format.js';
import { useResource } from '../hooks.js';
import { timeframeMs } from '../markets/indicators.js';
import { NO_BARS } from '../markets/history.js';
import { levelLabel } from '../markets/levelOfDetail.js';
import { PriceChart, type ChartSpan, type Fill, type Overlay } from '../markets/PriceChart.js';
import { useBarHistory } from '../markets/useBarHistory.js';
import { hrefOf, type Route } from '../router.js';
import type { Order, Paged } from '../types.js';
import { ErrorLine, Panel } from '../ui.js';

interface SymbolInfo {
  readonly symbol: string;
  readonly inStore: boolean;
  readonly inSession: boolean;
  readonly timeframes: string[];
  readonly firstTs: number | null;
  readonly lastTs: number | null;
  readonly bars: number | null;
}

const OVERLAYS: { id: Overlay; label: string }[] = [
  { id: 'sma20', label: 'SMA 20' },
  { id: 'sma50', label: 'SMA 50' },
  { id: 'ema20', label: 'EMA 20' },
  { id: 'bb20', label: 'Bollinger 20, 2σ' },
  { id: 'vwap', label: 'VWAP' },
];

export function Markets(props: { route: Route }) {
  const { api } = useApp();
  const [query, setQuery] = useState(props.route.params.symbol ?? '');
  const symbols = useResource<{ items: SymbolInfo[] }>(`/market/symbols?limit=50&q=${encodeURIComponent(query.trim())}`);
  const list = symbols.data?.items ?? [];
  const symbol = props.route.params.symbol ?? list[0]?.symbol ?? null;
  const info = list.find((s) => s.symbol === symbol);
  const timeframe = props.route.params.tf ?? info?.timeframes[0] ?? '1d';
  const [overlays, setOverlays] = useState<Overlay[]>(['sma20']);
  const history = useBarHistory(symbol, timeframe);
  const [fills, setFills] = useState<Fill[]>([]);
  const [fillsError, setFillsError] = useState<string | null>(null);
  // What the chart shows (loaded bars and the live ones after them), for the line under it.
  const [span, setSpan] = useState<(ChartSpan & { key: string }) | null>(null);

  useEffect(() => {
    if (symbol === null) return;
    let stale = false;
    api.get<Paged<Order>>(`/orders?symbol=${encodeURIComponent(symbol)}&limit=1000`).then(
      (o) => {
        if (stale) return;
        setFills(o.items.filter((x) => x.filledQuantity > 0).map((x) => ({ ts: x.updatedAt, side: x.side, price: x.avgFillPrice, quantity: x.filledQuantity })));
        setFillsError(null);
      },
      (e: unknown) => !stale && setFillsError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      stale = true;
    };
  }, [api, symbol]);

  const go = (sym: string, tf?: string): void => {
    location.hash = hrefOf('markets', tf ? { symbol: sym, tf } : { symbol: sym });
  };
  const toggle = (o: Overlay): void => setOverlays(overlays.includes(o) ? overlays.filter((x) => x !== o) : [...overlays, o]);
  const bars = history.state;
  const barMs = timeframeMs(bars?.timeframe ?? timeframe) ?? 86_400_000;
  const shown = bars?.bars ?? NO_BARS;
  const chartKey = `${symbol ?? ''} ${bars?.timeframe ?? timeframe}`;
  const onSpan = useCallback((x: ChartSpan) => setSpan({ ...x, key: chartKey }), [chartKey]);
  const seen: ChartSpan = span?.key === chartKey ? span : { bars: shown.length, firstTs: shown.ts[0] ?? null, lastTs: shown.ts[shown.length - 1] ?? null, perCandle: 1 };

  return (
    <div class="grid">
      <Panel title={symbol ? `${symbol} · ${bars?.timeframe ?? timeframe}` : 'Chart'} id="market" wide>
        <div class="row">
          <label>
            Symbol
            <input
              id="symbol-search"
              list="symbol-list"
              value={query}
              placeholder="search"
              autocomplete="off"
              onInput={(e) => setQuery(e.currentTarget.value)}
              onChange={(e) => {
                // Any name goes: an unknown one gets the API's answer (which symbols exist) in the error line.
                const v = e.currentTarget.value.trim().toUpperCase();
                if (v) go(v);
              }}
            />
            <datalist id="symbol-list">
              {list.map((s) => (
                <option key={s.symbol} value={s.symbol} />
              ))}
            </datalist>
          </label>
          <label>
            Timeframe
            <select id="timeframe" value={timeframe} onChange={(e) => symbol && go(symbol, e.currentTarget.value)}>
              {(info?.timeframes.length ? info.timeframes : [timeframe]).map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </label>
          <fieldset class="overlays">
            <legend>Overlays</legend>
            {OVERLAYS.map((o) => (
              <label class="check" key={o.id}>
                <input type="checkbox" id={`overlay-${o.id}`} checked={overlays.includes(o.id)} onChange={() => toggle(o.id)} /> {o.label}
              </label>
            ))}
          </fieldset>
        </div>
        <ErrorLine error={history.error ?? fillsError ?? symbols.error} />
        {bars && symbol ? (
          <PriceChart key={chartKey} symbol={symbol} timeframe={bars.timeframe} bars={shown} overlays={overlays} fills={fills} barMs={barMs} intraday={barMs < 86_400_000} onOlder={(oldestTs) => void history.older(oldestTs)} onSpan={onSpan} />
        ) : null}
        {bars ? (
          <div class="row">
            <p class="muted small" id="chart-info" aria-live="polite">
              {seen.bars.toLocaleString('en-US')} bars from {bars.source}
              {seen.bars ? `, ${day(seen.firstTs)} to ${day(seen.lastTs)}` : ''}
              {seen.bars ? (
                <>
                  {' · '}
                  <span id="chart-level">{levelLabel(seen.perCandle, barMs)}</span>
                </>
              ) : null}
              {bars.complete ? ' (the whole history)' : history.loading ? ' · loading older bars…' : ' · scroll left for older bars'}; {fills.length} filled {fills.length === 1 ? 'order' : 'orders'}. ▲ buy, ▼ sell.
            </p>
            {bars.complete ? null : (
              <button type="button" id="load-history" disabled={history.loading} onClick={() => void history.all(info?.firstTs ?? null)}>
                Load the whole history
              </button>
            )}
          </div>
        ) : null}
      </Panel>
      <Panel title="Symbols" id="symbols" wide>
        <ul class="symbols">
          {list.map((s) => (
            <li key={s.symbol}>
              <a href={hrefOf('markets', { symbol: s.symbol })} aria-current={s.symbol === symbol ? 'true' : undefined}>
                {s.symbol}
              </a>{' '}
              <span class="muted small">
                {s.inSession ? 'session' : ''}
                {s.inStore ? ` store ${s.timeframes.join(' ')}` : ''}
              </span>
            </li>
          ))}
        </ul>
      </Panel>
    </div>
  );
}
