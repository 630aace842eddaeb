// Admin: users and roles (create, disable, enable), the audit log with filters, system info, providers'
// circuit breakers, and the server log (recent entries, then live over the `logs` channel).

import { useState } from 'preact/hooks';
import { allows, useApp } from '../context.js';
import { useChannel, useResource } from '../hooks.js';
import { plain, systemRows } from '../systemInfo.js';
import { ErrorLine, Panel } from '../ui.js';

interface User {
  readonly id: number;
  readonly username: string;
  readonly role: string;
  readonly disabledAt: string | null;
  readonly mustChangePassword: boolean;
  readonly lastLoginAt: string | null;
}

interface AuditEntry {
  readonly id: number;
  readonly ts: string;
  readonly userId: number | null;
  readonly action: string;
  readonly target: string | null;
  readonly outcome: string;
}

export function Admin() {
  const { me } = useApp();
  if (!allows(me.role, 'admin')) return <p id="admin-only">This page is for admins.</p>;
  return (
    <div class="grid">
      <Panel title="Users" id="users" wide>
        <Users />
      </Panel>
      <Panel title="Audit log" id="audit" wide>
        <Audit />
      </Panel>
      <Panel title="System" id="system">
        <System />
      </Panel>
      <Panel title="Server log" id="logs">
        <Logs />
      </Panel>
    </div>
  );
}

function Users() {
  const { api } = useApp();
  const r = useResource<{ items: User[] }>('/users');
  const [username, setUsername] = useState('');
  const [role, setRole] = useState('viewer');
  const [otp, setOtp] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const act = async (f: () => Promise<unknown>): Promise<void> => {
    try {
      await f();
      setError(null);
      r.reload();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const create = (ev: Event): void => {
    ev.preventDefault();
    void act(async () => {
      const u = await api.request<{ oneTimePassword?: string }>('POST', '/users', { username: username.trim(), role });
      setOtp(u.oneTimePassword ? `One-time password for ${username.trim()}: ${u.oneTimePassword} (shown once; they choose a new one at first sign-in)` : null);
      setUsername('');
    });
  };
  return (
    <div>
      <table aria-label="Users">
        <thead><tr><th scope="col">User</th><th scope="col">Role</th><th scope="col">State</th><th scope="col">Last sign-in</th><th scope="col">Actions</th></tr></thead>
        <tbody>
          {(r.data?.items ?? []).map((u) => (
            <tr key={u.id} data-user={u.username}>
              <td>{u.username}</td>
              <td>{u.role}</td>
              <td class="state">{u.disabledAt ? 'disabled' : u.mustChangePassword ? 'must change password' : 'active'}</td>
              <td>{u.lastLoginAt?.slice(0, 19).replace('T', ' ') ?? '–'}</td>
              <td>
                <button class="toggle-user" onClick={() => void act(() => api.request('POST', `/users/${encodeURIComponent(u.username)}/${u.disabledAt ? 'enable' : 'disable'}`))}>
                  {u.disabledAt ? 'Enable' : 'Disable'}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form class="row" onSubmit={create} id="new-user" aria-label="New user">
        <label>Username<input id="new-username" required value={username} onInput={(e) => setUsername(e.currentTarget.value)} /></label>
        <label>
          Role
          <select id="new-role" value={role} onChange={(e) => setRole(e.currentTarget.value)}>
            <option>viewer</option><option>trader</option><option>admin</option>
          </select>
        </label>
        <button type="submit" class="primary">Create user</button>
      </form>
      {otp ? <p role="status" id="new-user-otp">{otp}</p> : null}
      <ErrorLine error={error ?? r.error} />
    </div>
  );
}

function Audit() {
  const [action, setAction] = useState('');
  const [before, setBefore] = useState<number[]>([]);
  const q = new URLSearchParams({ limit: '25' });
  if (action.trim()) q.set('action', action.trim());
  const cursor = before[before.length - 1];
  if (cursor !== undefined) q.set('beforeId', String(cursor));
  const r = useResource<{ items: AuditEntry[]; nextBeforeId: number | null }>(`/audit?${q.toString()}`);
  const users = useResource<{ items: User[] }>('/users');
  const nameOf = (id: number | null): string => (id === null ? '–' : (users.data?.items.find((u) => u.id === id)?.username ?? `#${id}`));
  return (
    <div>
      <div class="row" role="search" aria-label="Filter the audit log">
        <label>Action<input id="audit-action" placeholder="e.g. order.submit" value={action} onInput={(e) => { setAction(e.currentTarget.value); setBefore([]); }} /></label>
      </div>
      <ErrorLine error={r.error} />
      <div class="scroll">
        <table aria-label="Audit log" id="audit-table">
          <thead><tr><th scope="col">Time</th><th scope="col">User</th><th scope="col">Action</th><th scope="col">Target</th><th scope="col">Outcome</th></tr></thead>
          <tbody>
            {(r.data?.items ?? []).map((e) => (
              <tr key={e.id} data-action={e.action}><td>{e.ts.slice(0, 19).replace('T', ' ')}</td><td>{nameOf(e.userId)}</td><td>{e.action}</td><td>{e.target ?? ''}</td><td>{e.outcome}</td></tr>
            ))}
          </tbody>
        </table>
      </div>
      <div class="row pager">
        <button disabled={before.length === 0} onClick={() => setBefore(before.slice(0, -1))}>‹ Newer</button>
        <button disabled={!r.data?.nextBeforeId} onClick={() => r.data?.nextBeforeId && setBefore([...before, r.data.nextBeforeId])}>Older ›</button>
      </div>
    </div>
  );
}

function System() {
  const version = useResource<{ version: string; node: string }>('/system/version');
  const status = useResource<Record<string, unknown>>('/system/status');
  const breakers = useResource<{ items: { name?: string; state?: string }[] }>('/system/breakers');
  return (
    <div id="system-info">
      <p>pi5-trading {version.data?.version} on Node {version.data?.node}</p>
      <table class="metrics" aria-label="System status">
        <tbody>
          {systemRows(status.data ?? {}).map(([k, v]) => (
            <tr key={k}><th scope="row">{k}</th><td class="wrap">{v}</td></tr>
          ))}
        </tbody>
      </table>
      <h3>Circuit breakers</h3>
      {(breakers.data?.items ?? []).length === 0 ? <p class="muted small">No provider used yet.</p> : null}
      <ul class="small">{(breakers.data?.items ?? []).map((b, i) => <li key={i}>{plain(b)}</li>)}</ul>
    </div>
  );
}

function Logs() {
  const r = useResource<{ items: Record<string, unknown>[] }>('/system/logs?limit=100');
  const [live, setLive] = useState<Record<string, unknown>[]>([]);
  useChannel('logs', (e) => setLive((cur) => [...cur.slice(-199), e.data as Record<string, unknown>]));
  const all = [...(r.data?.items ?? []), ...live].slice(-200).reverse();
  if (r.data !== null && all.length === 0) return <p class="muted" id="log-lines">No log entries yet at the server's log level; new ones appear here as they are written.</p>;
  return (
    <ol class="logs small" id="log-lines" aria-label="Server log, newest first">
      {all.map((l, i) => (
        <li key={i}>
          <code>{String(l.msg ?? '')}</code> <span class="muted">{Object.entries(l).filter(([k]) => !['msg', 'time', 'pid', 'hostname', 'v'].includes(k)).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(' ').slice(0, 300)}</span>
        </li>
      ))}
    </ol>
  );
}
