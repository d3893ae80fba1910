// entente web application: small DOM helpers (every text goes in through textContent; the only HTML
// inserted is Markdown rendered by the server, the trustedHtml attribute).
export function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'trustedHtml') el.innerHTML = v; // server-rendered Markdown only
    else if (k === 'value') el.value = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const kid of kids.flat(Infinity)) {
    if (kid === null || kid === undefined || kid === false) continue;
    el.append(kid instanceof Node ? kid : String(kid));
  }
  return el;
}
const svgNS = 'http://www.w3.org/2000/svg';
export function s(tag, attrs, ...kids) {
  const el = document.createElementNS(svgNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, v);
  for (const kid of kids.flat()) if (kid !== null && kid !== undefined) el.append(kid instanceof Node ? kid : String(kid));
  return el;
}
let uid = 0;
export function field(label, input, help) {
  const id = input.id || `f${++uid}`;
  input.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), input, input.companion || null, help ? h('div', { class: 'muted' }, help) : null);
}
export const input = (name, value, attrs = {}) => h('input', { name, value: value ?? '', ...attrs });
export const textarea = (name, value, attrs = {}) => { const t = h('textarea', { name, ...attrs }); t.value = value ?? ''; return t; };
export function select(name, options, value, attrs = {}) {
  const el = h('select', { name, ...attrs }, options.map(([v, l]) => h('option', { value: v }, l)));
  if (value !== undefined && value !== null) el.value = String(value);
  return el;
}
// Issue 25: one map of every state in words and its tone, from the process
// tables (GET /process: each state's label and tone), the same words the
// mails use; a ballot's own few states are here. The API's values stay.
export const stateWords = {
  ballot: {
    open: { label: 'Open', tone: 'vote' }, passed: { label: 'Passed', tone: 'done' },
    failed: { label: 'Failed', tone: 'ended' }, cancelled: { label: 'Cancelled', tone: 'ended' },
  },
  comment: {
    open: { label: 'Open', tone: 'vote' }, accepted: { label: 'Accepted', tone: 'done' },
    declined: { label: 'Declined', tone: 'ended' }, withdrawn: { label: 'Withdrawn', tone: 'ended' },
  },
  amendment: {
    pending: { label: 'Pending', tone: 'vote' }, applied: { label: 'Approved and applied', tone: 'done' },
    rejected: { label: 'Rejected', tone: 'ended' }, withdrawn: { label: 'Withdrawn', tone: 'ended' },
  },
};
export const stateLabel = (st, kind = 'work_register') => stateWords[kind]?.[st]?.label || String(st ?? '').replaceAll('_', ' ');
// A badge: the words, coloured by tone (never by colour alone: the words say it).
export const statusBadge = (st, kind = 'work_register') =>
  h('span', { class: `status tone-${stateWords[kind]?.[st]?.tone || 'none'}`, 'data-state': st }, stateLabel(st, kind));
export const ruleBadge = (r) => (r ? h('span', { class: 'rule', title: `Rule ${r} of DSP4003 as entente enforces it` }, r) : null);
export const date = (iso) => (iso ? String(iso).slice(0, 10) : '');

// Issue 25: a person picked by name (or e-mail), never by number: a text
// field searched as one types (a datalist of "Name <e-mail>"); its value
// becomes the person's id on submission (personId). Nothing is chosen
// until the person types: no default that is wrong for most.
let lists = 0;
export function personPicker(name, people) {
  const id = `people-${++lists}`;
  const el = h('input', { name, list: id, autocomplete: 'off', placeholder: 'Type a name or an e-mail address' });
  el.people = people;
  el.companion = h('datalist', { id }, people.map((p) => h('option', { value: `${p.name} <${p.email}>` })));
  return el;
}
// The id of the person a picker names; undefined when it names none (the
// server then says which field is missing).
export function personId(el) {
  const v = el.value.trim().toLowerCase();
  const p = el.people.find((x) => `${x.name} <${x.email}>`.toLowerCase() === v || x.email.toLowerCase() === v || x.name.toLowerCase() === v);
  return p ? p.id : undefined;
}
