// Markets: symbol search, timeframe, candlesticks with volume, overlays, and the session's fills marked.

import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../context.js';
import { day } from '../format.js';
import { useResource } from '../hooks.js';
import { timeframeMs, type OHLCV } from '../markets/indicators.js';
import { PriceChart, type Fill, type Overlay } from '../markets/PriceChart.js';
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

interface BarsAnswer {
  readonly symbol: string;
  readonly timeframe: string;
  readonly source: string;
  readonly items: OHLCV[];
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
  const [bars, setBars] = useState<BarsAnswer | null>(null);
  const [fills, setFills] = useState<Fill[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (symbol === null) return;
    let stale = false;
    const q = `symbol=${encodeURIComponent(symbol)}&timeframe=${encodeURIComponent(timeframe)}`;
    Promise.all([api.get<BarsAnswer>(`/bars?${q}&limit=10000`), api.get<Paged<Order>>(`/orders?symbol=${encodeURIComponent(symbol)}&limit=1000`)]).then(
      ([b, o]) => {
        if (stale) return;
        setBars(b);
        setFills(o.items.filter((x) => x.filledQuantity > 0).map((x) => ({ ts: x.updatedAt, side: x.side, price: x.avgFillPrice, quantity: x.filledQuantity })));
        setError(null);
      },
      (e: unknown) => !stale && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      stale = true;
    };
  }, [api, symbol, timeframe]);

  const go = (sym: string, tf?: string): void => {
    location.hash = hrefOf('markets', tf ? { symbol: sym, tf } : { symbol: sym });
  };
  const toggle = (o: Overlay): void => setOverlays(overlays.includes(o) ? overlays.filter((x) => x !== o) : [...overlays, o]);
  const barMs = timeframeMs(bars?.timeframe ?? timeframe) ?? 86_400_000;

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
        <ErrorLine error={error ?? symbols.error} />
        {bars && symbol ? <PriceChart symbol={symbol} timeframe={bars.timeframe} bars={bars.items} overlays={overlays} fills={fills} barMs={barMs} intraday={barMs < 86_400_000} /> : null}
        {bars ? (
          <p class="muted small" id="chart-info">
            {bars.items.length} bars from {bars.source}
            {bars.items.length ? `, ${day(bars.items[0]?.ts)} to ${day(bars.items[bars.items.length - 1]?.ts)}` : ''}; {fills.length} filled orders. ▲ buy, ▼ sell.
          </p>
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
