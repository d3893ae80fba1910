// entente web application: the form of a process step, derived from the
// request body the process table gives for it (GET /process: each step's
// "body", the very fields the server checks), so that a step's form and the
// server cannot disagree.
import { api, newKey } from './api.js';
import { field, h, input, ruleBadge, select, textarea } from './dom.js';
import { act, confirmStep } from './ui.js';

const humanize = (name) => name.replaceAll('_', ' ').replace(/^./, (c) => c.toUpperCase());

// The widget of one field. choices: { owner_id: [[v, label]], body_id: ..., reason: ... } by field name.
function widget(f, choices, prefix) {
  const name = prefix + f.name;
  if (choices[f.name] && ['enum', 'id'].includes(f.type)) return select(name, choices[f.name]); // people, committees, reasons in words
  switch (f.type) {
    case 'text': return textarea(name, '', { rows: 3 });
    case 'array': return textarea(name, '', { rows: 3 }); // one item per line, by its first field
    case 'enum': return select(name, f.enum.map((v) => [v, v.replaceAll('_', ' ')]));
    case 'bool': return h('input', { type: 'checkbox', name });
    case 'id': case 'int': return input(name, '', { type: 'number' });
    default: return input(name, '', { type: /_at$/.test(f.name) && prefix ? 'datetime-local' : 'text' });
  }
}

// The fields of a body as [field, element] pairs (an object's fields nested).
function build(fields, choices, prefix = '') {
  return fields.map((f) => {
    if (f.type === 'object') return [f, h('fieldset', {}, h('legend', {}, f.label || humanize(f.name))), build(f.fields, choices, `${f.name}.`)];
    return [f, widget(f, choices, prefix)];
  });
}

function valueOf(f, el) {
  if (f.type === 'bool') return el.checked;
  if (!el.value) return undefined;
  if (f.type === 'id' || f.type === 'int') return Number(el.value);
  if (f.type === 'array') return el.value.split('\n').filter(Boolean).map((line) => ({ [f.fields[0].name]: line }));
  if (/_at$/.test(f.name) && el.type === 'datetime-local') return el.value.slice(0, 16);
  return el.value;
}

// The body; a nested object only when something was typed into it (a
// choice from a list or a checkbox alone does not make one).
function collect(built) {
  const body = {};
  let typed = false;
  for (const [f, el, inner] of built) {
    if (inner) {
      const sub = collect(inner);
      if (sub.typed) body[f.name] = sub.body;
      continue;
    }
    const v = valueOf(f, el);
    if (v === undefined) continue;
    body[f.name] = v;
    typed ||= !['enum', 'bool'].includes(f.type);
  }
  return { body, typed };
}

// A step: a button when its body is at most an optional note, else a form.
// step: a row of the process table; path: where to POST; label: the button's text.
// Issue 25: a step that cannot be undone (the table's consequence) asks
// first; the form as drawn has one Idempotency-Key, so that submitting it
// twice takes the step once.
export function stepForm(step, path, label, choices = {}) {
  const fields = step.body.filter((f) => !(f.name === 'note' && step.body.length === 1));
  const key = newKey();
  const what = step.summary || label;
  const take = async (body, form) => {
    if (step.consequence && !(await confirmStep(`${what[0].toUpperCase()}${what.slice(1)}?`, step.consequence, `Yes, ${what}`))) return;
    await act(() => api('POST', path, body, { key }), `Done: ${label}`, form);
  };
  if (!fields.length) {
    return h('div', { class: 'action' }, h('button', { type: 'button', onclick: () => take(step.body.length ? {} : undefined) }, label),
      h('span', { class: 'why' }, step.text), ruleBadge(step.rule), step.consequence ? h('span', { class: 'muted' }, ' Asks first: it cannot be undone.') : null);
  }
  const built = build(fields, choices);
  const show = (list) => list.map(([f, el, inner]) => {
    if (!inner) return field(f.label || humanize(f.name), el);
    for (const x of show(inner)) el.append(x);
    return el;
  });
  return h('form', {
    class: 'card', 'aria-label': label,
    onsubmit: (ev) => { ev.preventDefault(); take(collect(built).body, ev.target); },
  }, h('div', { class: 'muted' }, step.text, ruleBadge(step.rule)), show(built), h('p', {}, h('button', { type: 'submit' }, label)));
}
