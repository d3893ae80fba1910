// entente web application: change requests through the feedback portal
// (DSP4003 5.3, R42-R45): the list, the Change Request form a partner's
// representative fills in, and one request with its conversation, steps and
// joint meetings.
import { all, api, markdown, processStates, session } from '../api.js';
import { date, field, h, input, ruleBadge, select, statusBadge, textarea } from '../dom.js';
import { stepForm } from '../steps.js';
import { act, fail, flashAfterNavigation } from '../ui.js';

const directions = { to_submitter: 'to the submitter', from_submitter: 'from the submitter', note: 'note' };

export async function crListView() {
  const [items, standards, orgs] = await Promise.all([all('/change-requests'), all('/dmtf-standards?all=true'), all('/organizations')]);
  const dsp = Object.fromEntries(standards.map((s) => [s.id, `${s.dsp} ${s.title}`]));
  const org = Object.fromEntries(orgs.map((o) => [o.id, o.short_name]));
  return [h('h1', {}, 'Change requests'),
    h('p', {}, 'A partner asks for a change to a DMTF standard here; the request goes to the body that owns the standard (R42, R44). ',
      h('a', { href: '#/change-requests/new' }, 'Submit a change request')),
    items.length ? h('table', {}, h('caption', { class: 'muted' }, `${items.length} change request(s)`),
      h('thead', {}, h('tr', {}, ['Request', 'Standard', 'Section', 'Partner', 'Status', 'Submitted'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, items.map((c) => h('tr', {}, h('td', {}, h('a', { href: `#/change-request/${c.id}` }, `Change request ${c.id}`)),
        h('td', {}, dsp[c.dmtf_standard_id] || c.dsp), h('td', {}, c.section || ''), h('td', {}, c.partner_id ? org[c.partner_id] : 'an individual'),
        h('td', {}, statusBadge(c.status, 'change_request')), h('td', {}, date(c.created_at))))))
      : h('p', {}, 'No change request yet.')];
}

// The DMTF Change Request template (5.3.1), usable without help.
export async function crNewView() {
  const [standards, wrs, orgs] = await Promise.all([all('/dmtf-standards'), all('/work-registers'), all('/organizations')]);
  const me = session.me;
  const myOrg = orgs.find((o) => o.id === me.org_id);
  const partner = myOrg && myOrg.kind === 'partner';
  const f = {
    dmtf_standard_id: select('dmtf_standard_id', [['', 'choose the standard'], ...standards.map((s) => [s.id, `${s.dsp} ${s.title} (${s.version})`])], '', { required: true }),
    standard_version: input('standard_version', '', { required: true, placeholder: 'e.g. 2.8.0' }),
    section: input('section', '', { placeholder: 'e.g. 5.1.2 Qualifiers' }),
    problem: textarea('problem', '', { required: true, rows: 5 }),
    proposed_change: textarea('proposed_change', '', { rows: 5 }),
    rationale: textarea('rationale', '', { rows: 4 }),
    wr_id: select('wr_id', [['', 'none: free of restrictions'], ...wrs.filter((w) => w.partner_id === me.org_id).map((w) => [w.id, w.title])]),
    attests: h('input', { type: 'checkbox', name: 'attests', required: partner || null }),
  };
  // the version the register knows, as a start
  f.dmtf_standard_id.addEventListener('change', () => {
    const s = standards.find((x) => String(x.id) === f.dmtf_standard_id.value);
    if (s && !f.standard_version.value) f.standard_version.value = s.version;
  });
  const attachments = h('div', {});
  const addAttachment = () => attachments.append(h('fieldset', { class: 'card' }, h('legend', {}, `Attachment ${attachments.children.length + 1}`),
    field('Name', input('att_name', '', { placeholder: 'e.g. example.mof' })), field('Text', textarea('att_text', '', { rows: 4 }))));
  const form = h('form', {
    onsubmit: async (ev) => {
      ev.preventDefault();
      const body = {
        dmtf_standard_id: Number(f.dmtf_standard_id.value), standard_version: f.standard_version.value,
        problem: f.problem.value, proposed_change: f.proposed_change.value, rationale: f.rationale.value,
      };
      if (f.section.value) body.section = f.section.value;
      if (f.wr_id.value) body.wr_id = Number(f.wr_id.value);
      if (partner) body.attests = f.attests.checked;
      const atts = [...attachments.querySelectorAll('fieldset')].map((fs) => ({ name: fs.querySelector('[name=att_name]').value, text: fs.querySelector('[name=att_text]').value }))
        .filter((a) => a.name || a.text);
      if (atts.length) body.attachments = atts;
      try {
        const { json } = await api('POST', '/change-requests', body);
        flashAfterNavigation(`Change request ${json.id} submitted: the chair of the body that owns ${json.dsp} is told (R44).`);
        location.hash = `#/change-request/${json.id}`;
      } catch (e) { fail(e); }
    },
  },
  field('Standard', f.dmtf_standard_id, 'The DMTF standard you ask to change (R42).'),
  field('Version of the standard', f.standard_version),
  field('Section', f.section, 'Optional: where in the standard.'),
  field('The problem', f.problem, 'What is wrong or missing (Markdown). The template\'s next two parts are preferred (R42); this one alone, in free text, is a request too.'),
  field('The proposed change', f.proposed_change, 'Preferably: what the text should say or do (Markdown).'),
  field('The rationale', f.rationale, 'Preferably: why the change is needed.'),
  h('h2', {}, 'Attachments'), attachments, h('p', {}, h('button', { type: 'button', class: 'secondary', onclick: addAttachment }, 'Add an attachment')),
  partner ? [field('Under the Work Register', f.wr_id, 'Feedback is free of restrictions unless your Work Register agreed some (R43).'),
    field(`I may represent ${myOrg.name} in this request and comply with its rules on sharing information (R43)`, f.attests)] : null,
  h('p', {}, h('button', { type: 'submit' }, 'Submit the change request')));
  return [h('h1', {}, 'Submit a change request'), h('p', { class: 'muted' }, 'The DMTF Change Request template.', ruleBadge('R42')), form];
}

export async function crView(id) {
  const [{ json: c }, table, bodies, { json: next }] = await Promise.all([api('GET', `/change-requests/${id}`), processStates('change_request'), all('/bodies'),
    api('GET', `/change-requests/${id}/actions`)]);
  const body = bodies.find((b) => b.id === c.body_id);
  const [problem, change, rationale] = await markdown([c.problem, c.proposed_change, c.rationale]);
  const closed = table.states.find((s) => s.state === c.status)?.final;
  // issue 25: only the steps that are the person's (the server's answer), never one it would refuse them
  const mine = new Set(next.items.filter((a) => a.yours).map((a) => a.action));
  const steps = table.steps.filter((s) => s.from.split('|').includes(c.status) && mine.has(s.action));
  const text = textarea('text', '', { rows: 3 });
  return [h('h1', {}, `Change request ${c.id}: ${c.dsp} ${c.standard_version}${c.section ? ', ' + c.section : ''}`),
    h('p', {}, statusBadge(c.status, 'change_request'), ` routed to ${body ? body.name : 'body ' + c.body_id}`, ruleBadge('R44'), ` · submitted ${date(c.created_at)} by ${c.submitter_email}`,
      c.closed_at ? ` · closed ${date(c.closed_at)}` : ''),
    h('p', { class: c.restrictions === 'free' ? 'muted' : 'msg info' }, c.restrictions === 'free' ? 'Free of restrictions (R43).' : `Under the restrictions the Work Register agreed: ${c.restrictions_text}`,
      c.attested ? ' The submitter attested that they may represent the partner.' : ''),
    c.decision ? h('p', { class: 'msg info' }, `Decision: ${c.decision}`) : null,
    h('section', { 'aria-labelledby': 'cr-steps' }, h('h2', { id: 'cr-steps' }, 'Next steps'),
      steps.length ? h('div', { class: 'actions' }, steps.map((s) => stepForm({ ...s, text: `${s.text} (${s.who})` },
        `/change-requests/${id}/${s.action.slice(3).replaceAll('_', '-')}`, s.action.slice(3).replaceAll('_', ' '))))
        : h('p', { class: 'muted' }, 'No step is open from here.')),
    h('h2', {}, 'The problem'), h('div', { trustedHtml: problem }),
    h('h2', {}, 'The proposed change'), h('div', { trustedHtml: change }),
    h('h2', {}, 'The rationale'), h('div', { trustedHtml: rationale }),
    c.attachments.length ? [h('h2', {}, 'Attachments'), c.attachments.map((a) => [h('h3', {}, a.name), h('pre', {}, a.text)])] : null,
    h('h2', {}, 'Messages'), c.messages.length ? h('ol', { class: 'messages' }, c.messages.map((m) => h('li', { class: 'card' },
      h('p', { class: 'muted' }, `${directions[m.direction]} · ${m.author} · ${m.created_at.replace('T', ' ').replace('Z', ' UTC')}`), h('p', {}, m.text)))) : h('p', { class: 'muted' }, 'No message yet.'),
    closed ? h('p', { class: 'muted' }, 'The request is closed: reopen it, with a reason, to write more.', ruleBadge('R44')) : h('form', {
      class: 'card', onsubmit: (ev) => { ev.preventDefault(); act(() => api('POST', `/change-requests/${id}/messages`, { text: text.value }), 'Message sent'); },
    }, field('Write a message (the chair writes to the submitter by e-mail; the submitter replies here)', text), h('p', {}, h('button', { type: 'submit' }, 'Send the message'))),
    h('h2', {}, 'Joint meetings'), c.meetings.length ? h('ul', {}, c.meetings.map((m) => h('li', {}, h('a', { href: `#/meeting/${m.id}` }, m.title), ` ${m.starts_at.replace('T', ' ')} (${m.time_zone}) `, statusBadge(m.status, 'meeting'))))
      : h('p', { class: 'muted' }, 'None yet.')];
}
