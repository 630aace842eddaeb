// The Markets page's bars of one symbol and timeframe: the latest page first, then older pages on demand (the
// chart's left edge), or the whole history in time slices fetched all at once; answers for another symbol dropped.

import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api.js';
import { useApp } from '../context.js';
import { barsInRange, barsOf, FIRST_PAGE, historySlices, joinBars, nextPageSize, olderPageTo, withOlder, type BarColumns, type PageOf } from './history.js';
import type { Bars } from './indicators.js';

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
  readonly bars: Bars;
  /** The oldest stored bar is loaded. */
  readonly complete: boolean;
}

export interface BarHistory {
  readonly state: BarHistoryState | null;
  readonly loading: boolean;
  readonly error: string | null;
  /**
   * Loads the next older page before the chart's oldest bar (nothing when one is on its way, the history is
   * complete, or older bars than the chart's are loaded already: a scroll at the old left edge that comes between
   * a page's answer and its drawing asks for nothing more).
   */
  readonly older: (oldestShownTs: number) => Promise<void>;
  /**
   * Loads everything older than what is loaded: with the symbol's first bar time known, in slices fetched at
   * once and drawn once; without, page after page back to the first.
   */
  readonly all: (firstTs: number | null) => Promise<void>;
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

  /** One answer: the last `limit` bars up to `to`, or with `from` the first `limit` bars from it (up to `to`). */
  const page = useCallback(
    async (limit: number, from: number | null, to: number | null): Promise<{ bars: Bars; answer: ColumnsAnswer }> => {
      const q = `/bars?symbol=${encodeURIComponent(symbol ?? '')}&timeframe=${encodeURIComponent(timeframe)}&format=columns&limit=${limit}${from === null ? '' : `&from=${from}`}${to === null ? '' : `&to=${to}`}`;
      const answer = await api.get<ColumnsAnswer>(q);
      return { bars: barsOf(answer.columns), answer };
    },
    [api, symbol, timeframe],
  );

  /** Runs `load` as this key's one request in flight and puts what it makes, unless another key is shown by then. */
  const run = useCallback(async (mine: string, load: () => Promise<BarHistoryState>): Promise<void> => {
    cur.current.busy = true;
    setLoading(true);
    try {
      const next = await load();
      if (cur.current.key !== mine) return;
      cur.current.state = next;
      setState(next);
      setError(null);
    } catch (e) {
      if (cur.current.key === mine) setError(message(e));
    } finally {
      if (cur.current.key === mine) {
        cur.current.busy = false;
        setLoading(false);
      }
    }
  }, []);

  useEffect(() => {
    cur.current = { key, state: null, busy: false };
    setState(null);
    if (symbol === null) return;
    void run(key, async () => {
      const { bars, answer } = await page(FIRST_PAGE, null, null);
      return { key, timeframe: answer.timeframe, source: answer.source, bars, complete: bars.length < FIRST_PAGE };
    });
  }, [key, symbol, page, run]);

  const older = useCallback(async (oldestShownTs: number): Promise<void> => {
    const { key: mine, state: s, busy } = cur.current;
    if (s === null || s.complete || busy || s.bars.ts[0] !== oldestShownTs) return;
    const limit = nextPageSize(s.bars.length);
    await run(mine, async () => {
      const { bars } = await page(limit, null, olderPageTo(s.bars));
      return { ...s, bars: withOlder(s.bars, bars), complete: bars.length < limit };
    });
  }, [page, run]);

  const all = useCallback(
    async (firstTs: number | null): Promise<void> => {
      const mine = cur.current.key;
      while (cur.current.busy && cur.current.key === mine) await new Promise((r) => setTimeout(r, 50));
      const s = cur.current.state;
      const to = s === null ? null : olderPageTo(s.bars);
      if (cur.current.key !== mine || s === null || s.complete || to === null) return;
      await run(mine, async () => {
        const slices = firstTs === null ? [{ from: null, to }] : historySlices(firstTs, to, s.bars);
        const bySlice: PageOf = async (limit, from, to) => (await page(limit, from, to)).bars;
        const parts = await Promise.all(slices.map((x) => barsInRange(bySlice, x.from, x.to)));
        return { ...s, bars: joinBars([...parts, s.bars]), complete: true };
      });
    },
    [page, run],
  );

  return { state: state?.key === key ? state : null, loading, error, older, all };
}
