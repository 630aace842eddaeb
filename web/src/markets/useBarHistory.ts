// The Markets page's bars of one symbol and timeframe: the latest page first, then older pages on demand (the
// chart's left edge, or "whole history"), one request at a time, answers for another symbol dropped.

import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api.js';
import { useApp } from '../context.js';
import { FIRST_PAGE, MAX_PAGE, nextPageSize, olderPageTo, rowsOf, withOlder, type BarColumns } from './history.js';
import type { OHLCV } from './indicators.js';

interface ColumnsAnswer {
  readonly symbol: string;
  readonly timeframe: string;
  readonly source: string;
  readonly columns: BarColumns;
}

export interface BarHistoryState {
  readonly key: string;
  readonly timeframe: string;
  readonly source: string;
  readonly bars: readonly OHLCV[];
  /** The oldest stored bar is loaded. */
  readonly complete: boolean;
}

export interface BarHistory {
  readonly state: BarHistoryState | null;
  readonly loading: boolean;
  readonly error: string | null;
  /** Loads the next older page (nothing when one is on its way or the history is complete). */
  readonly older: () => Promise<void>;
  /** Loads older pages until the history is complete. */
  readonly all: () => Promise<void>;
}

const message = (e: unknown): string => (e instanceof ApiError || e instanceof Error ? e.message : String(e));

export function useBarHistory(symbol: string | null, timeframe: string): BarHistory {
  const { api } = useApp();
  const key = symbol === null ? '' : `${symbol}\u0000${timeframe}`;
  const [state, setState] = useState<BarHistoryState | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The truth between renders: what is loaded for which key, and whether a request is on its way.
  const cur = useRef<{ key: string; state: BarHistoryState | null; busy: boolean }>({ key: '', state: null, busy: false });

  const path = useCallback(
    (limit: number, to: number | null) => `/bars?symbol=${encodeURIComponent(symbol ?? '')}&timeframe=${encodeURIComponent(timeframe)}&format=columns&limit=${limit}${to === null ? '' : `&to=${to}`}`,
    [symbol, timeframe],
  );

  /** Fetches one page and, if this key is still shown, puts what `put` makes of it; false when it failed or went stale. */
  const fetchPage = useCallback(
    async (mine: string, limit: number, to: number | null, put: (rows: OHLCV[], a: ColumnsAnswer) => BarHistoryState | null): Promise<boolean> => {
      cur.current.busy = true;
      setLoading(true);
      try {
        const a = await api.get<ColumnsAnswer>(path(limit, to));
        if (cur.current.key !== mine) return false;
        const next = put(rowsOf(a.columns), a);
        if (next === null) return true;
        cur.current.state = next;
        setState(next);
        setError(null);
        return true;
      } catch (e) {
        if (cur.current.key === mine) setError(message(e));
        return false;
      } finally {
        if (cur.current.key === mine) {
          cur.current.busy = false;
          setLoading(false);
        }
      }
    },
    [api, path],
  );

  useEffect(() => {
    cur.current = { key, state: null, busy: false };
    setState(null);
    if (symbol === null) return;
    void fetchPage(key, FIRST_PAGE, null, (rows, a) => ({ key, timeframe: a.timeframe, source: a.source, bars: rows, complete: rows.length < FIRST_PAGE }));
  }, [key, symbol, fetchPage]);

  const older = useCallback(async (): Promise<void> => {
    const { key: mine, state: s, busy } = cur.current;
    if (s === null || s.complete || busy) return;
    const limit = nextPageSize(s.bars.length);
    await fetchPage(mine, limit, olderPageTo(s.bars), (rows) => ({ ...s, bars: withOlder(s.bars, rows), complete: rows.length < limit }));
  }, [fetchPage]);

  // The whole history: the largest pages, gathered first and drawn once (each draw costs as much as the bars drawn).
  const all = useCallback(async (): Promise<void> => {
    const mine = cur.current.key;
    while (cur.current.busy && cur.current.key === mine) await new Promise((r) => setTimeout(r, 50));
    const s = cur.current.state;
    if (cur.current.key !== mine || s === null || s.complete) return;
    let bars: readonly OHLCV[] = s.bars;
    for (;;) {
      let complete = false;
      const ok = await fetchPage(mine, MAX_PAGE, olderPageTo(bars), (rows) => {
        bars = withOlder(bars, rows);
        complete = rows.length < MAX_PAGE;
        return complete ? { ...s, bars, complete } : null;
      });
      if (!ok || complete) return;
    }
  }, [fetchPage]);

  return { state: state?.key === key ? state : null, loading, error, older, all };
}
