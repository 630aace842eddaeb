// The app's top level: signed out → sign-in; a one-time password → the password change; else the shell.

import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiClient, type Tokens } from './api.js';
import type { Me } from './context.js';
import { Shell } from './Shell.js';
import { SignInForm } from './SignIn.js';
import { ErrorLine } from './ui.js';

export function App() {
  const api = useMemo(() => new ApiClient((u, i) => fetch(u, i), sessionStorage), []);
  const [signedIn, setSignedIn] = useState(api.accessToken !== null);
  const [me, setMe] = useState<Me | null>(null);
  const [oldPassword, setOldPassword] = useState('');

  useEffect(() => {
    if (!signedIn) return;
    api.get<{ user: Me }>('/auth/me').then(
      (r) => setMe(r.user),
      () => {
        api.setTokens(null);
        setSignedIn(false);
      },
    );
  }, [api, signedIn]);

  const signOut = async (): Promise<void> => {
    await api.logout();
    setMe(null);
    setSignedIn(false);
  };

  if (!signedIn) {
    return (
      <main class="center">
        <SignInForm
          api={api}
          title="Sign in to pi5-trading"
          onDone={(password) => {
            setOldPassword(password);
            setSignedIn(true);
          }}
        />
      </main>
    );
  }
  if (!me) return <main class="center" aria-busy="true">Loading…</main>;
  if (me.mustChangePassword) {
    return (
      <main class="center">
        <ChangePassword api={api} oldPassword={oldPassword} onDone={(user) => setMe(user)} onCancel={signOut} />
      </main>
    );
  }
  return <Shell api={api} me={me} onSignOut={signOut} />;
}

function ChangePassword(props: { api: ApiClient; oldPassword: string; onDone: (me: Me) => void; onCancel: () => void }) {
  const [current, setCurrent] = useState(props.oldPassword);
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (ev: Event): Promise<void> => {
    ev.preventDefault();
    if (next !== again) return setError('The two new passwords differ.');
    try {
      const t = await props.api.request<Tokens>('POST', '/auth/password', { oldPassword: current, newPassword: next });
      props.api.setTokens(t);
      props.onDone((await props.api.get<{ user: Me }>('/auth/me')).user);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <form class="card auth" id="change-password" onSubmit={submit} aria-labelledby="cp-title">
      <h1 id="cp-title">Choose your password</h1>
      <p>This account has a one-time password. Choose a new one (at least 12 characters) before you go on.</p>
      {props.oldPassword ? null : (
        <label>
          Current password
          <input id="current-password" type="password" autocomplete="current-password" required value={current} onInput={(e) => setCurrent(e.currentTarget.value)} />
        </label>
      )}
      <label>
        New password
        <input id="new-password" type="password" autocomplete="new-password" required minLength={12} value={next} onInput={(e) => setNext(e.currentTarget.value)} />
      </label>
      <label>
        New password again
        <input id="new-password-again" type="password" autocomplete="new-password" required minLength={12} value={again} onInput={(e) => setAgain(e.currentTarget.value)} />
      </label>
      <ErrorLine error={error} />
      <div class="row">
        <button type="submit" class="primary">
          Change password
        </button>
        <button type="button" onClick={props.onCancel}>
          Sign out
        </button>
      </div>
    </form>
  );
}
