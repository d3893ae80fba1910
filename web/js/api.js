// entente web application: the client of the JSON API, and what the session knows.
import { stateWords } from './dom.js';

// The signed-in person (GET /me) and the session's CSRF token.
export const session = { me: null, csrf: null };
const processTables = {};

export class Problem extends Error {
  constructor(status, body) {
    super(body.detail || body.title || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
  describe() {
    const b = this.body;
    return `${b.title || 'Error'}${b.detail ? ': ' + b.detail : ''}${b.field ? ` (field: ${b.field})` : ''}${b.rule ? ` [rule ${b.rule}]` : ''}`;
  }
}
export async function api(method, path, body, opts = {}) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && session.csrf) headers['X-CSRF-Token'] = session.csrf;
  if (opts.ifMatch) headers['If-Match'] = opts.ifMatch;
  if (opts.key) headers['Idempotency-Key'] = opts.key; // issue 25: sent twice, done once
  const res = await fetch('/api/v1' + path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = { title: text }; }
  if (!res.ok) throw new Problem(res.status, json || {});
  return { json, etag: res.headers.get('ETag'), status: res.status };
}
// A key for one intended change (the Idempotency-Key of a form as drawn):
// a second submission of the same form is answered as the first, never
// done twice. From getRandomValues, which works outside secure contexts too.
export function newKey() {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}
export async function all(path) {
  let items = [];
  let cursor = null;
  for (let i = 0; i < 20; i++) {
    const sep = path.includes('?') ? '&' : '?';
    const { json } = await api('GET', `${path}${sep}limit=200${cursor ? '&cursor=' + cursor : ''}`);
    items = items.concat(json.items);
    cursor = json.next_cursor;
    if (!cursor) break;
  }
  return items;
}
export async function markdown(texts) {
  const { json } = await api('POST', '/markdown', { texts: texts.map((t) => ({ text: t || '' })) });
  return json.html;
}

// A process table (GET /process?name=), kept for the page's life; its
// states' words go into the one map of labels (dom.js).
export async function processStates(name = 'work_register') {
  if (!processTables[name]) {
    processTables[name] = (await api('GET', `/process?name=${name}`)).json;
    stateWords[name] = Object.fromEntries(processTables[name].states.map((st) => [st.state, { label: st.label, tone: st.tone }]));
  }
  return processTables[name];
}
// Every process's words, once signed in (before any page is drawn).
export const loadWords = () => Promise.all(['work_register', 'change_request', 'meeting'].map((n) => processStates(n)));
