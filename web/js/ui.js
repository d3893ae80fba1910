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
// Issue 25: a link followed before signing in (from a mail) is where the
// person lands after it: the address waits in sessionStorage meanwhile.
const RETURN = 'entente-return';
export function toSignIn() {
  const here = location.hash;
  if (/^#\/./.test(here) && !/^#\/(login|forgot|welcome\/|reset\/)/.test(here)) sessionStorage.setItem(RETURN, here);
  location.hash = '#/login';
}
export function takeReturn() {
  const r = sessionStorage.getItem(RETURN);
  sessionStorage.removeItem(RETURN);
  return r && /^#\/[\w/?=&.:-]*$/.test(r) ? r : null; // an address of this application only
}

export function fail(e) {
  if (e instanceof Problem) {
    if (e.status === 401) { session.me = null; toSignIn(); }
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
//
// Issue 25: one action at a time. While it runs, the page's buttons are
// disabled and a second click (a double click, an impatient one) does
// nothing; they come back if it fails, and the page is drawn anew if not.
let running = false;
export async function act(fn, okMessage, where) {
  if (running) return;
  running = true;
  const view = document.getElementById('view');
  const form = where || document.activeElement?.closest?.('form') || null; // the form being sent, if any
  const buttons = [...document.querySelectorAll('#view button:not([disabled])')];
  for (const b of buttons) b.disabled = true;
  view?.setAttribute('aria-busy', 'true');
  if (form) clearFormErrors(form);
  try {
    try {
      await fn();
    } catch (e) {
      for (const b of buttons) b.disabled = false;
      if (!(form && e instanceof Problem && e.status !== 401 && showFormError(form, e))) fail(e);
      return;
    }
    await render();
    if (okMessage) flash(okMessage, 'info');
  } finally {
    running = false;
    view?.removeAttribute('aria-busy');
  }
}

// Issue 25: a refusal that names a field of the form being sent shows in
// the form (GOV.UK's pattern): a summary at its top that links to the
// field and takes the focus, and the message beside the field, which is
// marked invalid. 0 when the form has no such field (the message then
// shows at the top of the page).
function clearFormErrors(form) {
  for (const el of form.querySelectorAll('.error-summary, .field-error')) el.remove();
  for (const el of form.querySelectorAll('[aria-invalid]')) { el.removeAttribute('aria-invalid'); el.removeAttribute('aria-describedby'); }
}
function showFormError(form, e) {
  const name = e.body.field;
  if (!name) return 0;
  const control = [...form.querySelectorAll('[name]')].find((el) => el.name === name || el.name.endsWith(`.${name}`));
  if (!control) return 0;
  flash('');
  if (!control.id) control.id = `f-${name.replace(/\W/g, '-')}`;
  const msgId = `${control.id || name}-error`;
  control.setAttribute('aria-invalid', 'true');
  control.setAttribute('aria-describedby', msgId);
  control.closest('.field')?.querySelector('label')?.after(h('p', { class: 'field-error', id: msgId }, e.body.detail || e.body.title));
  const link = h('a', { href: `#${control.id}`, onclick: (ev) => { ev.preventDefault(); control.focus(); } }, e.describe());
  const summary = h('div', { class: 'error-summary', role: 'alert', tabindex: '-1' }, h('h2', {}, 'There is a problem'), h('ul', {}, h('li', {}, link)));
  form.prepend(summary);
  summary.focus();
  return 1;
}

// Issue 25: a step that cannot be undone asks first, in words: a modal
// dialog with the question, what will happen, and two buttons; Escape or
// Cancel answer no. Resolves true when confirmed.
export function confirmStep(question, consequence, yesLabel) {
  return new Promise((resolve) => {
    const yes = h('button', { type: 'button', class: 'danger' }, yesLabel);
    const no = h('button', { type: 'button', class: 'secondary' }, 'Cancel');
    const d = h('dialog', { class: 'confirm', 'aria-labelledby': 'confirm-q', 'aria-describedby': 'confirm-what' },
      h('h2', { id: 'confirm-q' }, question), h('p', { id: 'confirm-what' }, consequence), h('p', { class: 'buttons' }, yes, ' ', no));
    const done = (v) => { d.close(); d.remove(); resolve(v); };
    yes.addEventListener('click', () => done(true));
    no.addEventListener('click', () => done(false));
    d.addEventListener('cancel', (ev) => { ev.preventDefault(); done(false); });
    document.body.append(d);
    d.showModal();
    no.focus(); // the safe answer is the one a stray Enter gives
  });
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

// The same from one sentence, "Question? What happens.": the button says
// "Yes, question".
export function confirmed(text) {
  const i = text.indexOf('? ');
  const q = text.slice(0, i + 1);
  return confirmStep(q, text.slice(i + 2), `Yes, ${q[0].toLowerCase()}${q.slice(1, -1)}`);
}
