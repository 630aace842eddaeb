// Data hooks: load a resource from the API (with reload), reload it when live events arrive (throttled so a
// fast replay costs at most one request per interval), and listen to a live channel.

import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api.js';
import { useApp } from './context.js';
import type { LiveEvent } from './live.js';

export interface Loaded<T> {
  readonly data: T | null;
  readonly error: string | null;
  readonly reload: () => void;
}

export function useResource<T>(path: string | null): Loaded<T> {
  const { api } = useApp();
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);
  const reload = useCallback(() => {
    if (path === null) return;
    const mine = ++seq.current;
    api.get<T>(path).then(
      (d) => {
        if (mine !== seq.current) return;
        setData(d);
        setError(null);
      },
      (e: unknown) => {
        if (mine === seq.current) setError(e instanceof ApiError ? e.message : String(e));
      },
    );
  }, [api, path]);
  useEffect(reload, [reload]);
  return { data, error, reload };
}

export function useChannel(channel: string, fn: (e: LiveEvent) => void): void {
  const { live } = useApp();
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => live.on(channel, (e) => ref.current(e)), [live, channel]);
}

/** Calls `reload` after events on any of `channels`, at most once per `ms`. */
export function useReloadOn(channels: readonly string[], reload: () => void, ms = 1000): void {
  const { live } = useApp();
  const key = channels.join(',');
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const fire = (): void => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        reload();
      }, ms);
    };
    const offs = key.split(',').map((c) => live.on(c, fire));
    return () => {
      offs.forEach((off) => off());
      if (timer) clearTimeout(timer);
    };
  }, [live, key, reload, ms]);
}
