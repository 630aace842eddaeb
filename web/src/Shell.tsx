// The signed-in layout: header (live indicator, theme, user, sign-out), navigation (a sidebar on a desktop,
// a menu on a phone), the routed page, and the re-login dialog shown over the page when the session expired.

import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ApiClient } from './api.js';
import { SignInForm } from './SignIn.js';
import { allows, Ctx, type AppCtx, type Me } from './context.js';
import { LiveFeed } from './live.js';
import { Page } from './pages/index.js';
import { parseHash, ROUTES } from './router.js';
import { applyTheme, nextTheme, savedTheme, saveTheme, type Theme } from './theme.js';

// onChange runs in the same handler as the route update, so its state changes land in the render that shows
// the new page (an effect keyed on the route would run only after that render). It must use stable setters
// only: the listener registered first is the one kept.
function useHashRoute(onChange: () => void) {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = (): void => {
      setHash(location.hash);
      onChange();
    };
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return parseHash(hash);
}

export function Shell(props: { api: ApiClient; me: Me; onSignOut: () => void }) {
  const { api, me } = props;
  const live = useMemo(() => new LiveFeed(() => api.accessToken, () => api.refresh()), [api]);
  const [liveState, setLiveState] = useState(live.state);
  const [menuOpen, setMenuOpen] = useState(false);
  const [theme, setTheme] = useState<Theme>(savedTheme(localStorage));
  const [reauth, setReauth] = useState<(() => void) | null>(null);
  const route = useHashRoute(() => setMenuOpen(false));

  useEffect(() => {
    live.onState = setLiveState;
    live.start();
    api.reauthenticate = () => new Promise<void>((resolve) => setReauth(() => resolve));
    return () => {
      live.stop();
      api.reauthenticate = null;
    };
  }, [api, live]);

  const toggleTheme = (): void => {
    const t = nextTheme(theme);
    setTheme(t);
    saveTheme(t, localStorage);
    applyTheme(t, document.documentElement);
  };
  const signOut = (): void => {
    live.stop();
    props.onSignOut();
  };
  const ctx: AppCtx = useMemo(() => ({ api, live, me }), [api, live, me]);
  const title = ROUTES.find((r) => r.path === route.path)?.label ?? '';

  return (
    <Ctx.Provider value={ctx}>
      <a class="skip" href="#content">
        Skip to content
      </a>
      <header class="top">
        <button class="menu-button" aria-expanded={menuOpen} aria-controls="nav" onClick={() => setMenuOpen(!menuOpen)}>
          Menu
        </button>
        <span class="brand">pi5-trading</span>
        <span class={`live ${liveState}`} id="live-state" role="status" aria-label={`live updates ${liveState}`}>
          {liveState === 'open' ? '● live' : liveState === 'connecting' ? '○ connecting' : '○ offline'}
        </span>
        <span class="spacer" />
        <button id="theme" onClick={toggleTheme} aria-label={`theme: ${theme}; switch`}>
          {theme === 'system' ? 'Theme: auto' : theme === 'dark' ? 'Theme: dark' : 'Theme: light'}
        </button>
        <span class="who" id="who">
          {me.username} <span class="role">({me.role})</span>
        </span>
        <button id="sign-out" onClick={signOut}>
          Sign out
        </button>
      </header>
      <div class="layout">
        <nav id="nav" class={menuOpen ? 'open' : ''} aria-label="Pages">
          <ul>
            {ROUTES.filter((r) => r.path !== 'admin' || allows(me.role, 'admin')).map((r) => (
              <li key={r.path}>
                <a href={`#/${r.path}`} aria-current={r.path === route.path ? 'page' : undefined}>
                  {r.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main id="content" tabIndex={-1} aria-label={title}>
          <h1 class="page-title">{title}</h1>
          <Page route={route} />
        </main>
      </div>
      {reauth ? (
        <div class="overlay">
          <div role="dialog" aria-modal="true" aria-labelledby="sign-in-title" class="dialog" id="reauth">
            <p>Your session has expired. Sign in again to carry on: nothing you typed is lost.</p>
            <SignInForm
              api={api}
              title="Sign in again"
              username={me.username}
              onDone={() => {
                reauth();
                setReauth(null);
              }}
            />
          </div>
        </div>
      ) : null}
    </Ctx.Provider>
  );
}
