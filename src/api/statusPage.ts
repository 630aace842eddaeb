// The minimal status page at `/` (the full dashboard comes later): sign in, then the paper session's state,
// account, positions, recent orders and an equity sparkline, refreshed every two seconds over the REST API.

export function statusPage(version: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>pi5-trading</title>
<style>
body{font:14px system-ui,sans-serif;margin:0;background:#0f1419;color:#d9dee3}
header{padding:12px 20px;background:#151b22;display:flex;gap:16px;align-items:center}
h1{font-size:18px;margin:0}main{padding:16px 20px;display:grid;gap:16px;grid-template-columns:repeat(auto-fit,minmax(320px,1fr))}
section{background:#151b22;border-radius:8px;padding:12px 16px}h2{font-size:14px;margin:0 0 8px;color:#8fa1b3}
table{width:100%;border-collapse:collapse}td,th{padding:3px 6px;text-align:right}td:first-child,th:first-child{text-align:left}
.big{font-size:24px}.pos{color:#4caf50}.neg{color:#ef5350}form{display:flex;gap:8px;padding:20px}input,button{font:inherit;padding:6px}
#err{color:#ef5350;padding:0 20px}a{color:#8ab4f8}[hidden]{display:none!important}
</style></head><body>
<header><h1>pi5-trading</h1><span id="state">signed out</span><span style="flex:1"></span><a href="/docs">API docs</a><span>v${version}</span></header>
<form id="login"><input id="u" placeholder="username" autocomplete="username"><input id="p" type="password" placeholder="password" autocomplete="current-password"><button>Sign in</button></form>
<form id="change" hidden><span>This account has a one-time password: choose a new one (12+ characters)</span><input id="np" type="password" placeholder="new password" autocomplete="new-password"><button>Change password</button></form>
<div id="err"></div>
<main id="main" hidden>
<section><h2>Account</h2><div class="big" id="equity"></div><table id="account"></table><svg id="spark" width="100%" height="60" viewBox="0 0 300 60" preserveAspectRatio="none"></svg></section>
<section><h2>Positions</h2><table id="positions"></table></section>
<section><h2>Recent orders</h2><table id="orders"></table></section>
</main>
<script>
const $ = (id) => document.getElementById(id);
let token = sessionStorage.getItem('pi5.token');
const fmt = (x) => x == null ? '–' : Number(x).toLocaleString(undefined, { maximumFractionDigits: 2 });
const cls = (x) => x > 0 ? 'pos' : x < 0 ? 'neg' : '';
function esc(s) { return String(s).replace(/[&<>"']/g, (c) => '&#' + c.charCodeAt(0) + ';'); }
async function api(path) {
  const r = await fetch('/api/v1' + path, { headers: { authorization: 'Bearer ' + token } });
  if (r.status === 401) { token = null; sessionStorage.removeItem('pi5.token'); show(); throw new Error('signed out'); }
  const body = await r.json();
  if (!r.ok) throw new Error(body.error ? body.error.message : r.statusText);
  return body;
}
function rows(el, head, list) {
  $(el).innerHTML = '<tr>' + head.map((h) => '<th>' + h + '</th>').join('') + '</tr>' + list.map((r) => '<tr>' + r.map((c) => '<td class="' + (c[1] || '') + '">' + esc(c[0]) + '</td>').join('') + '</tr>').join('');
}
async function refresh() {
  if (!token) return;
  try {
    const [s, p, pos, ord, hist] = await Promise.all([api('/session'), api('/portfolio'), api('/positions'), api('/orders?limit=15'), api('/portfolio/history?points=300')]);
    $('state').textContent = s.state + ' · step ' + s.step + '/' + s.steps + (s.marketTime ? ' · ' + new Date(s.marketTime).toISOString().slice(0, 10) : '') + (s.killSwitch === 'tripped' ? ' · KILL SWITCH TRIPPED' : '');
    $('equity').textContent = fmt(p.equity);
    rows('account', ['', ''], [['cash', ''], ['positions value', ''], ['day P&L', ''], ['realized P&L', ''], ['unrealized P&L', '']].map((r, i) => {
      const v = [p.cash, p.positionsValue, p.dayPnl, p.realizedPnl, p.unrealizedPnl][i];
      return [[r[0]], [fmt(v), i > 1 ? cls(v) : '']];
    }));
    rows('positions', ['symbol', 'qty', 'avg', 'last', 'unrealized'], pos.items.filter((x) => x.quantity !== 0).map((x) => [[x.symbol], [x.quantity], [fmt(x.avgPrice)], [fmt(x.lastPrice)], [fmt(x.unrealizedPnl), cls(x.unrealizedPnl)]]));
    rows('orders', ['id', 'side', 'qty', 'symbol', 'status', 'avg fill'], ord.items.map((o) => [[o.id], [o.side], [o.quantity], [o.symbol], [o.status], [o.avgFillPrice ? fmt(o.avgFillPrice) : '']]));
    const pts = hist.points; if (pts.length > 1) {
      const ys = pts.map((q) => q.equity), lo = Math.min(...ys), hi = Math.max(...ys), k = hi > lo ? 56 / (hi - lo) : 0;
      $('spark').innerHTML = '<polyline fill="none" stroke="#8ab4f8" stroke-width="1.5" points="' + ys.map((y, i) => (i * 300 / (ys.length - 1)).toFixed(1) + ',' + (58 - (y - lo) * k).toFixed(1)).join(' ') + '"/>';
    }
    $('err').textContent = '';
  } catch (e) { $('err').textContent = e.message; }
}
function show() { $('login').hidden = !!token; $('main').hidden = !token; if (!token) $('state').textContent = 'signed out'; }
$('login').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const r = await fetch('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: $('u').value, password: $('p').value }) });
  const body = await r.json();
  if (!r.ok) { $('err').textContent = body.error.message; return; }
  token = body.accessToken; sessionStorage.setItem('pi5.token', token);
  const me = await (await fetch('/api/v1/auth/me', { headers: { authorization: 'Bearer ' + token } })).json();
  if (me.user && me.user.mustChangePassword) { oldPassword = $('p').value; $('login').hidden = true; $('change').hidden = false; return; }
  show(); refresh();
});
let oldPassword = '';
$('change').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const r = await fetch('/api/v1/auth/password', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token }, body: JSON.stringify({ oldPassword, newPassword: $('np').value }) });
  const body = await r.json();
  if (!r.ok) { $('err').textContent = body.error.message; return; }
  token = body.accessToken; sessionStorage.setItem('pi5.token', token); $('change').hidden = true; $('err').textContent = ''; show(); refresh();
});
show(); refresh(); setInterval(refresh, 2000);
</script></body></html>`;
}
