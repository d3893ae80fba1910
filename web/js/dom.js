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
  return h('div', { class: 'field' }, h('label', { for: id }, label), input, help ? h('div', { class: 'muted' }, help) : null);
}
export const input = (name, value, attrs = {}) => h('input', { name, value: value ?? '', ...attrs });
export const textarea = (name, value, attrs = {}) => { const t = h('textarea', { name, ...attrs }); t.value = value ?? ''; return t; };
export function select(name, options, value, attrs = {}) {
  const el = h('select', { name, ...attrs }, options.map(([v, l]) => h('option', { value: v }, l)));
  if (value !== undefined && value !== null) el.value = String(value);
  return el;
}
export const statusBadge = (st) => h('span', { class: 'status' }, st.replaceAll('_', ' '));
export const ruleBadge = (r) => (r ? h('span', { class: 'rule', title: `Rule ${r} of DSP4003 as entente enforces it` }, r) : null);
export const date = (iso) => (iso ? String(iso).slice(0, 10) : '');
