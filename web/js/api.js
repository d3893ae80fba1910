// entente web application: the client of the JSON API, and what the session knows.

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
  const res = await fetch('/api/v1' + path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = { title: text }; }
  if (!res.ok) throw new Problem(res.status, json || {});
  return { json, etag: res.headers.get('ETag'), status: res.status };
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

// A process table (GET /process?name=), kept for the page's life.
export async function processStates(name = 'work_register') {
  if (!processTables[name]) processTables[name] = (await api('GET', `/process?name=${name}`)).json;
  return processTables[name];
}
