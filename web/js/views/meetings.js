// entente web application: joint meetings under the DMTF IP policy
// (DSP4003 5.3.2, R45-R49): the list, and one meeting with its policy, who
// has acknowledged it, whether it is halted, its minutes and decisions.
import { all, api, processStates, session } from '../api.js';
import { field, h, input, ruleBadge, select, statusBadge, textarea } from '../dom.js';
import { stepForm } from '../steps.js';
import { act } from '../ui.js';

export async function meetingListView() {
  const [items, bodies, orgs] = await Promise.all([all('/meetings'), all('/bodies'), all('/organizations')]);
  const name = Object.fromEntries(bodies.map((b) => [b.id, b.name]));
  const org = Object.fromEntries(orgs.map((o) => [o.id, o.short_name]));
  return [h('h1', {}, 'Joint meetings'),
    items.length ? h('table', {}, h('thead', {}, h('tr', {}, ['Meeting', 'Body', 'Partner', 'When', 'Status'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, items.map((m) => h('tr', {}, h('td', {}, h('a', { href: `#/meeting/${m.id}` }, m.title)), h('td', {}, name[m.body_id]), h('td', {}, org[m.partner_id]),
        h('td', {}, `${m.starts_at.replace('T', ' ')} (${m.time_zone})`), h('td', {}, statusBadge(m.status, 'meeting'))))))
      : h('p', {}, 'No joint meeting yet. A chair schedules one from a change request that needs discussion (R45).')];
}

const ackText = { pending: 'not yet', accepted: 'accepted', declined: 'declined' };

export async function meetingView(id) {
  const [{ json: m }, table, bodies, orgs, { json: next }] = await Promise.all([api('GET', `/meetings/${id}`), processStates('meeting'), all('/bodies'), all('/organizations'),
    api('GET', `/meetings/${id}/actions`)]);
  const me = session.me;
  const body = bodies.find((b) => b.id === m.body_id);
  const partner = orgs.find((o) => o.id === m.partner_id);
  const staff = me.roles.staff;
  const path = `/meetings/${id}`;
  // issue 25: the steps that are the person's (a member of another body is not offered the chair's)
  const yours = new Set(next.items.filter((a) => a.yours).map((a) => a.action));
  const steps = table.steps.filter((s) => s.from.split('|').includes(m.status) && yours.has(s.action));
  const patch = (p, b, msg) => act(() => api('PATCH', `${path}/participants/${p.id}`, b), msg);
  const rows = m.participants.map((p) => {
    const mine = p.person_id && p.person_id === me.id;
    const gone = !!p.left_at;
    const controls = [];
    if (staff && !['ended', 'cancelled'].includes(m.status)) {
      if (!p.present || gone) controls.push(h('button', { type: 'button', class: 'secondary', onclick: () => patch(p, gone ? { present: true, left: false } : { present: true }, `${p.name} is present`) }, `${p.name} is present`));
      if (p.present && !gone) controls.push(h('button', { type: 'button', class: 'secondary', onclick: () => patch(p, { left: true }, `${p.name} left`) }, `${p.name} left`));
    }
    if ((staff || mine) && !p.dmtf_member && p.ip_ack !== 'accepted' && !['ended', 'cancelled'].includes(m.status)) {
      controls.push(h('button', { type: 'button', onclick: () => patch(p, { ip_ack: 'accepted' }, 'Acknowledgment recorded') }, mine ? 'I accept the DMTF IP policy' : `${p.name} accepts the IP policy`));
      if (p.ip_ack !== 'declined') controls.push(h('button', { type: 'button', class: 'secondary', onclick: () => patch(p, { ip_ack: 'declined' }, 'Recorded: declined') }, mine ? 'I do not accept' : `${p.name} declines`));
    }
    return h('tr', {}, h('td', {}, p.name, p.observer ? h('span', { class: 'muted' }, ' (observer)') : ''), h('td', {}, p.organization), h('td', {}, p.dmtf_member ? 'yes' : 'no'),
      h('td', {}, gone ? 'left' : p.present ? 'present' : 'not present'),
      h('td', {}, p.dmtf_member ? 'not needed' : ackText[p.ip_ack], p.ip_ack_at ? h('div', { class: 'muted' }, `${p.ip_ack_at.replace('T', ' ').replace('Z', ' UTC')}, text ${p.ip_ack_version}`) : ''),
      h('td', {}, controls));
  });
  const kind = select('kind', [['minutes', 'minutes'], ['decision', 'decision'], ['item', 'item']]);
  const text = textarea('text', '', { rows: 3 });
  const np = { name: input('name'), email: input('email', '', { type: 'email' }), organization: input('organization'), dmtf_member: h('input', { type: 'checkbox' }), observer: h('input', { type: 'checkbox' }) };
  return [h('h1', {}, m.title),
    h('p', {}, statusBadge(m.status, 'meeting'), ` ${body ? body.name : ''} with ${partner ? partner.name : ''} · ${m.starts_at.replace('T', ' ')} to ${m.ends_at.replace('T', ' ')} (${m.time_zone}) · ${m.kind.replace('_', ' ')}`,
      m.location ? ` · ${m.location}` : '', m.cr_id ? [' · ', h('a', { href: `#/change-request/${m.cr_id}` }, `change request ${m.cr_id}`)] : ''),
    m.halted ? h('div', { class: 'msg error', role: 'alert' }, h('strong', {}, 'The meeting is halted. '),
      m.halted_by.map((b) => `${b.name} ${b.ip_ack === 'declined' ? 'declined the IP policy and has not left' : 'has not acknowledged the IP policy'} (${b.rule}). `),
      'Nothing more is recorded until then.', ruleBadge('R49')) : null,
    h('section', { class: 'card', 'aria-labelledby': 'ip' }, h('h2', { id: 'ip' }, 'The DMTF IP policy', ruleBadge('R46')),
      h('p', {}, 'This meeting is governed by the DMTF IP policy. Participants whose companies are not DMTF members acknowledge it to take part in any form, silent observers included.', ruleBadge('R48')),
      m.ip_policy.url ? h('p', {}, h('a', { href: m.ip_policy.url }, m.ip_policy.url)) : null, m.ip_policy.text ? h('pre', {}, m.ip_policy.text) : null,
      h('p', { class: 'muted' }, `Text version ${m.ip_policy.version}.`, m.ip_read_at ? ` Read at the outset by ${m.ip_read_by}, ${m.ip_read_at.replace('T', ' ').replace('Z', ' UTC')} (R47).` : '')),
    staff && steps.length ? h('section', { 'aria-labelledby': 'm-steps' }, h('h2', { id: 'm-steps' }, 'Next steps'), h('div', { class: 'actions' }, steps.map((s) => {
      const verb = s.action.slice(8);
      return stepForm(s, `${path}/${verb}`, `${verb[0].toUpperCase()}${verb.slice(1)} the meeting`);
    }))) : null,
    h('h2', {}, 'Participants'),
    h('table', {}, h('thead', {}, h('tr', {}, ['Name', 'Company', 'DMTF member', 'Presence', 'IP policy', ''].map((c) => h('th', { scope: 'col' }, c)))), h('tbody', {}, rows)),
    staff && !['ended', 'cancelled'].includes(m.status) ? h('form', {
      class: 'card',
      onsubmit: (ev) => {
        ev.preventDefault();
        act(() => api('POST', `${path}/participants`, { name: np.name.value, email: np.email.value, organization: np.organization.value, dmtf_member: np.dmtf_member.checked, observer: np.observer.checked }), 'Participant added');
      },
    }, h('h3', {}, 'Add a participant'), field('Name', np.name), field('E-mail', np.email), field('Company', np.organization), field('The company is a DMTF member', np.dmtf_member),
    field('Silent observer', np.observer), h('p', {}, h('button', { type: 'submit' }, 'Add the participant'))) : null,
    h('h2', {}, 'Minutes and decisions'),
    m.records.length ? h('ol', {}, m.records.map((r) => h('li', {}, h('strong', {}, r.kind), ` (${r.author}, ${r.created_at.replace('T', ' ').replace('Z', ' UTC')}): `, r.text))) : h('p', { class: 'muted' }, 'Nothing recorded yet.'),
    m.status === 'in_progress' ? h('form', {
      class: 'card', onsubmit: (ev) => { ev.preventDefault(); act(() => api('POST', `${path}/records`, { kind: kind.value, text: text.value }), 'Recorded'); },
    }, field('Kind', kind), field('Text', text), h('p', {}, h('button', { type: 'submit', disabled: m.halted || null }, 'Record'))) : null];
}
