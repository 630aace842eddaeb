// The session's state and pace (pause/resume and replay speed for traders) and the server's health checks
// (database, cache, broker, data feed from /ready).

import { useEffect, useState } from 'preact/hooks';
import { allows, useApp } from './context.js';
import { day } from './format.js';
import { useChannel, useReloadOn, useResource } from './hooks.js';
import { ErrorLine } from './ui.js';

export interface SessionStatus {
  readonly id: string;
  readonly state: string;
  readonly failure: string | null;
  readonly step: number;
  readonly steps: number;
  readonly marketTime: number | null;
  readonly stepIntervalMs: number;
  readonly killSwitch: 'tripped' | 'reset';
  readonly source: 'replay' | 'live';
}

interface Ready {
  readonly status: string;
  readonly checks: Record<string, { ok: boolean; detail: string }>;
}

const PACES = [
  { ms: 2000, label: 'slow (2 s/step)' },
  { ms: 500, label: 'normal (500 ms/step)' },
  { ms: 100, label: 'fast (100 ms/step)' },
  { ms: 10, label: 'faster (10 ms/step)' },
  { ms: 0, label: 'fastest' },
];

export function SessionPanel() {
  const { api, me } = useApp();
  const res = useResource<SessionStatus>('/session');
  const [status, setStatus] = useState<SessionStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setStatus(res.data), [res.data]);
  useChannel('status', (e) => setStatus(e.data as SessionStatus));
  // Status events come on state changes only; the step moves with every portfolio event.
  useReloadOn(['portfolio'], res.reload, 500);
  const s = status;
  const trader = allows(me.role, 'trader');
  const call = async (method: string, path: string, body?: unknown): Promise<void> => {
    try {
      setStatus(await api.request<SessionStatus>(method, path, body));
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  if (!s) return <ErrorLine error={res.error} />;
  return (
    <div id="session">
      <p id="session-state">
        <strong>{s.state}</strong> · step <span class="num">{s.step}</span> of <span class="num">{s.steps}</span>
        {s.marketTime ? ` · market date ${day(s.marketTime)}` : ''} · {s.source}
      </p>
      {s.failure ? <p class="error">{s.failure}</p> : null}
      {trader && s.source === 'replay' ? (
        <div class="row">
          {s.state === 'running' ? (
            <button id="pause" onClick={() => void call('POST', '/session/pause')}>
              Pause
            </button>
          ) : (
            <button id="resume" onClick={() => void call('POST', '/session/resume')}>
              Resume
            </button>
          )}
          <label>
            Pace
            <select id="pace" value={String(s.stepIntervalMs)} onChange={(e) => void call('PUT', '/session/pace', { stepIntervalMs: Number(e.currentTarget.value) })}>
              {PACES.some((p) => p.ms === s.stepIntervalMs) ? null : <option value={String(s.stepIntervalMs)}>{s.stepIntervalMs} ms/step</option>}
              {PACES.map((p) => (
                <option key={p.ms} value={String(p.ms)}>
                  {p.label}
                </option>
              ))}
            </select>
          </label>
        </div>
      ) : null}
      <ErrorLine error={error} />
    </div>
  );
}

/** /ready is outside /api/v1 and needs no token; it answers 503 with the same body when a check fails. */
export function Health() {
  const [ready, setReady] = useState<Ready | null>(null);
  useEffect(() => {
    let stop = false;
    const load = (): void => {
      fetch('/ready')
        .then((r) => r.json() as Promise<Ready>)
        .then((b) => !stop && setReady(b))
        .catch(() => !stop && setReady({ status: 'unreachable', checks: {} }));
    };
    load();
    const t = setInterval(load, 10_000);
    return () => {
      stop = true;
      clearInterval(t);
    };
  }, []);
  if (!ready) return null;
  return (
    <ul class="health" id="health">
      {Object.entries(ready.checks).map(([name, c]) => (
        <li key={name} class={c.ok ? 'ok' : 'bad'}>
          <span aria-hidden="true">{c.ok ? '✓' : '✗'}</span> <strong>{name}</strong> {c.ok ? 'ok' : 'failing'}: {c.detail}
        </li>
      ))}
      {ready.status === 'unreachable' ? <li class="bad">✗ server unreachable</li> : null}
    </ul>
  );
}
