// entente web application: messages, running an action, who is signed in.
import { api, Problem, session } from './api.js';
import { h } from './dom.js';

// The router registers how to draw the page again after an action.
let redraw = async () => {};
export function onRender(fn) { redraw = fn; }
export function render() { return redraw(); }

// A message to show once the next page is drawn (after a navigation).
let pending = null;
export function flashAfterNavigation(message) { pending = message; }
export function takePending() { const m = pending; pending = null; return m; }

export function flash(message, kind = 'info') {
  const f = document.getElementById('flash');
  f.replaceChildren(message ? h('div', { class: `msg ${kind}` }, message) : '');
}
export function fail(e) {
  if (e instanceof Problem) {
    if (e.status === 401) { session.me = null; location.hash = '#/login'; }
    // issue 24: a role that requires a second factor, not yet set up
    if (e.status === 403 && String(e.body.type || '').endsWith(':TWO_FACTOR_REQUIRED')) { session.twoFactorRequired = true; location.hash = '#/account'; }
    flash(e.describe(), 'error');
  } else {
    flash(String(e), 'error');
  }
}
// Run an action from a button or form; report success or the problem.
// The message shows once the page is drawn again, so what it announces is
// on the page when it appears.
export async function act(fn, okMessage) {
  try {
    await fn();
  } catch (e) { fail(e); return; }
  await render();
  if (okMessage) flash(okMessage, 'info');
}

// ---- who am I ----
export async function loadMe() {
  const { json } = await api('GET', '/me');
  session.me = json;
  session.csrf = json.csrf_token || session.csrf;
  const roles = Object.entries(json.roles).filter(([, v]) => v).map(([k]) => k.replace('_', ' '));
  document.getElementById('who').replaceChildren(
    h('span', {}, `${json.name} `, h('span', { class: 'muted' }, roles.length ? `(${roles.join(', ')})` : '(partner representative)')),
    h('button', { class: 'secondary', type: 'button', onclick: signOut }, 'Sign out'));
  document.getElementById('nav-admin').hidden = !json.roles.admin;
  document.getElementById('nav-ballots').hidden = !json.roles.staff;
  document.getElementById('nav-overlaps').hidden = !json.roles.staff;
}
export async function signOut() {
  try { await api('DELETE', '/session'); } catch { /* the session may have ended already */ }
  session.me = null; session.csrf = null;
  document.getElementById('who').replaceChildren();
  location.hash = '#/login';
}

