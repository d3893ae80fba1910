// entente web application: administration: organizations, people, bodies, officers, settings.
import { all, api } from '../api.js';
import { field, h, input, personId, personPicker, select, textarea } from '../dom.js';
import { act, confirmed } from '../ui.js';

const adminTabs = [['organizations', 'Organizations'], ['people', 'People'], ['bodies', 'Bodies'], ['officers', 'Officers'], ['types', 'Standard types'], ['standards', 'DMTF standards'], ['mail', 'Mail'], ['settings', 'Settings']];
export async function adminView(tab = 'organizations') {
  const nav = h('nav', { 'aria-label': 'Administration' }, h('ul', { class: 'tabs' }, adminTabs.map(([k, l]) => h('li', {}, h('a', { href: `#/admin/${k}`, 'aria-current': k === tab ? 'page' : null }, l)))));
  return [h('h1', {}, 'Administration'), nav, await (admin[tab.split('?')[0]] || admin.organizations)()];
}
function createForm(title, fields, submit) {
  const els = Object.fromEntries(fields.map(([k, , make]) => [k, make ? make() : input(k)]));
  return h('form', {
    class: 'card',
    onsubmit: (ev) => {
      ev.preventDefault();
      const body = {};
      for (const [k, , , conv] of fields) {
        const el = els[k];
        if (el.people) { const pid = personId(el); if (pid !== undefined) body[k] = pid; continue; } // a person, picked by name
        const v = el.type === 'checkbox' ? el.checked : el.value;
        if (v !== '' && v !== false) body[k] = conv ? conv(v) : v;
      }
      act(() => submit(body), 'Saved');
    },
  }, h('h2', {}, title), fields.map(([k, l]) => field(l, els[k])), h('p', {}, h('button', { type: 'submit' }, title)));
}
const admin = {
  async organizations() {
    const orgs = await all('/organizations');
    // R10: a member company has a level of DMTF membership; Board and Leadership members propose Work Registers
    return [h('table', {}, h('thead', {}, h('tr', {}, ['Name', 'Short', 'Kind', 'Membership level', 'Status'].map((c) => h('th', { scope: 'col' }, c)))), h('tbody', {}, orgs.map((o) => h('tr', {}, h('td', {}, o.name), h('td', {}, o.short_name), h('td', {}, o.kind === 'member' ? 'member company' : o.kind), h('td', {}, o.membership_level || ''), h('td', {}, o.status))))),
      createForm('Add an organization', [['name', 'Name'], ['short_name', 'Short name'], ['website', 'Web site'],
        ['kind', 'Kind', () => select('kind', [['partner', 'alliance partner'], ['member', 'member company']])],
        ['membership_level', 'Membership level (member companies, R10)', () => select('membership_level', [['', 'none'], ['board', 'Board'], ['leadership', 'Leadership'], ['participation', 'Participation'], ['academic', 'Academic']])]],
      (b) => api('POST', '/organizations', b))];
  },
  // People and their accounts (issue 24): invited by mail, never given a
  // password typed here; every step that cannot be undone asks first.
  async people() {
    const [people, orgs, bodies, invitations] = await Promise.all([all('/people'), all('/organizations'), all('/bodies'), api('GET', '/invitations').then((r) => r.json.items)]);
    const org = Object.fromEntries(orgs.map((o) => [o.id, o.short_name]));
    const ask = (question, fn, done) => async () => { if (await confirmed(question)) await act(fn, done); };
    const stateLabel = { active: 'active', invited: 'invited', disabled: 'disabled', 'no account': 'no account' };
    const table = h('table', {}, h('caption', { class: 'muted' }, 'People and the state of their accounts'),
      h('thead', {}, h('tr', {}, ['Name', 'E-mail', 'Organization', 'Account', 'Two-factor', ''].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, people.map((p) => h('tr', {}, h('td', {}, p.name), h('td', {}, p.email), h('td', {}, org[p.org_id]),
        h('td', {}, h('span', { class: `status account-${p.state.replace(' ', '-')}` }, stateLabel[p.state] || p.state)), h('td', {}, p.two_factor ? 'on' : 'off'),
        h('td', {},
          h('button', {
            type: 'button', class: 'secondary',
            onclick: p.disabled ? () => act(() => api('PATCH', `/people/${p.id}`, { disabled: false }), `${p.name} may sign in again`)
              : ask(`Disable ${p.name}? They are signed out at once and cannot sign in until an administrator enables them again.`,
                () => api('PATCH', `/people/${p.id}`, { disabled: true }), `${p.name} is disabled`),
          }, `${p.disabled ? 'Enable' : 'Disable'} ${p.name}`),
          p.state === 'active' ? [' ', h('button', {
            type: 'button', class: 'secondary',
            onclick: ask(`End every session of ${p.name}? Each of their browsers is signed out at once.`, () => api('POST', `/people/${p.id}/end-sessions`), `${p.name} is signed out everywhere`),
          }, `Sign ${p.name} out everywhere`)] : null,
          p.two_factor ? [' ', h('button', {
            type: 'button', class: 'secondary',
            onclick: ask(`Remove the second factor of ${p.name}? Their sessions end; they sign in with their password and set it up again.`,
              () => api('POST', `/people/${p.id}/two-factor/reset`), `The second factor of ${p.name} is removed`),
          }, `Reset two-factor of ${p.name}`)] : null)))));
    const open = invitations.filter((i) => i.state !== 'used');
    const invited = h('section', { class: 'card', 'aria-label': 'Invitations' }, h('h2', {}, 'Invitations'),
      open.length ? h('table', {}, h('thead', {}, h('tr', {}, ['Name', 'E-mail', 'State', 'Until', ''].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, open.map((i) => h('tr', {}, h('td', {}, i.name), h('td', {}, i.email), h('td', {}, i.state), h('td', {}, i.expires_at.replace('T', ' ').replace('Z', ' UTC')),
          h('td', {}, h('button', { type: 'button', class: 'secondary', onclick: () => act(() => api('POST', `/invitations/${i.id}/resend`), `A new link went to ${i.email}`) }, `Send ${i.name} a new link`),
            i.state === 'open' ? [' ', h('button', {
              type: 'button', class: 'secondary',
              onclick: ask(`Withdraw the invitation of ${i.name}? The link in their mail stops working.`, () => api('POST', `/invitations/${i.id}/revoke`), 'Invitation withdrawn'),
            }, `Withdraw the invitation of ${i.name}`)] : null)))))
        : h('p', { class: 'muted' }, 'No invitation is waiting.'));
    const seatBody = select('seat_body', [['', 'none'], ...bodies.map((b) => [b.id, b.name])]);
    const seatRole = select('seat_role', [['voting', 'voting member'], ['chair', 'chair'], ['observer', 'observer']]);
    const f = { name: input('name', '', { required: true, autocomplete: 'off' }), email: input('email', '', { type: 'email', required: true, autocomplete: 'off' }),
      org_id: select('org_id', orgs.map((o) => [o.id, o.name]), orgs.find((o) => o.kind === 'partner')?.id),
      officer_role: select('officer_role', [['', 'none'], ['vp_alliances', 'VP of Alliances'], ['admin', 'administrator']]) };
    const invite = h('form', {
      class: 'card', 'aria-label': 'Invite a person',
      onsubmit: (ev) => {
        ev.preventDefault();
        const body = { name: f.name.value, email: f.email.value, org_id: Number(f.org_id.value) };
        if (f.officer_role.value) body.officer_role = f.officer_role.value;
        if (seatBody.value) body.seats = [{ body_id: Number(seatBody.value), role: seatRole.value }];
        act(() => api('POST', '/invitations', body), `${body.name} is invited: a link to choose a password went to ${body.email}, valid 7 days`);
      },
    }, h('h2', {}, 'Invite a person'), h('p', { class: 'muted' }, 'They receive a mail with a link to choose their own password.'),
    field('Name', f.name), field('E-mail', f.email), field('Organization', f.org_id), field('Officer role', f.officer_role),
    field('Seat in a body', seatBody), field('Seat', seatRole), h('p', {}, h('button', { type: 'submit' }, 'Send the invitation')));
    return [table, invited, invite,
      createForm('Add a person without an account (a contact)', [['name', 'Name'], ['email', 'E-mail'], ['org_id', 'Organization', () => select('org_id', [['', 'Choose the organization'], ...orgs.map((o) => [o.id, o.name])]), Number],
        ['dmtf_member', 'Company is a DMTF member', () => h('input', { type: 'checkbox' })]], (b) => api('POST', '/people', b))];
  },
  async bodies() {
    const [bodies, people] = await Promise.all([all('/bodies'), all('/people')]);
    const members = Object.fromEntries(await Promise.all(bodies.map(async (b) => [b.id, (await api('GET', `/bodies/${b.id}/members?active=true`)).json.items])));
    const rules = (b) => {
      const f = { ballot_days: input('ballot_days', b.ballot_days, { type: 'number' }), quorum_percent: input('quorum_percent', b.quorum_percent, { type: 'number' }),
        majority_num: input('majority_num', b.majority_num, { type: 'number' }), majority_den: input('majority_den', b.majority_den, { type: 'number' }) };
      return h('form', { class: 'card', 'aria-label': `Ballot rules of ${b.name}`, onsubmit: (ev) => { ev.preventDefault(); act(() => api('PATCH', `/bodies/${b.id}`, Object.fromEntries(Object.entries(f).map(([k, el]) => [k, Number(el.value)]))), 'Ballot rules saved'); } },
        h('h3', {}, `${b.name} (${b.kind.replace('_', ' ')})`),
        h('p', { class: 'muted' }, 'Members: ', members[b.id].length ? members[b.id].map((m) => `${m.person?.name} (${m.role})`).join(', ') : 'none'),
        field('Ballot days', f.ballot_days), field('Quorum, percent of voting members', f.quorum_percent),
        field('Majority numerator', f.majority_num), field('Majority denominator', f.majority_den), h('p', {}, h('button', { type: 'submit' }, `Save rules of ${b.name}`)));
    };
    return [bodies.map(rules), createForm('Add a body', [['name', 'Name'], ['kind', 'Kind', () => select('kind', ['committee', 'working_group', 'board', 'executive', 'apwg'].map((k) => [k, k]))],
      ['parent_id', 'Parent committee (working groups)', () => select('parent_id', [['', 'none'], ...bodies.filter((b) => b.kind === 'committee').map((b) => [b.id, b.name])]), Number]], (b) => api('POST', '/bodies', b)),
    createForm('Add a member', [['body', 'Body', () => select('body', bodies.map((b) => [b.id, b.name]))], ['person_id', 'Person', () => personPicker('person_id', people)],
      ['role', 'Role', () => select('role', [['voting', 'voting'], ['chair', 'chair'], ['observer', 'observer']])]], (b) => { const body = b.body; delete b.body; return api('POST', `/bodies/${body}/members`, b); })];
  },
  async officers() {
    const [items, people] = await Promise.all([all('/officers'), all('/people')]);
    const name = Object.fromEntries(people.map((p) => [p.id, p.name]));
    const roleWords = { vp_alliances: 'VP of Alliances', admin: 'administrator' };
    return [h('ul', {}, items.map((o) => h('li', {}, `${name[o.person_id] || `person ${o.person_id}`}: ${roleWords[o.role] || o.role} from ${o.start_date}${o.end_date ? ' until ' + o.end_date : ''}`))),
      createForm('Add an officer role', [['person_id', 'Person', () => personPicker('person_id', people)], ['role', 'Role', () => select('role', [['vp_alliances', 'VP of Alliances'], ['admin', 'administrator']])]], (b) => api('POST', '/officers', b))];
  },
  // R37: the DMTF specification types Table 1 rows take
  async types() {
    const items = (await api('GET', '/standard-types?all=true')).json.items;
    return [h('table', {}, h('caption', { class: 'muted' }, 'DMTF specification types (R37): a type in use is retired, not renamed or deleted'),
      h('thead', {}, h('tr', {}, ['Type', 'Description', 'Status', ''].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, items.map((t) => h('tr', {}, h('td', {}, t.name), h('td', {}, t.description || ''), h('td', {}, t.retired ? 'retired' : 'current'),
        h('td', {}, h('button', { type: 'button', class: 'secondary', onclick: () => act(() => api('PATCH', `/standard-types/${t.id}`, { retired: !t.retired }), 'Saved') }, `${t.retired ? 'Restore' : 'Retire'} ${t.name}`),
          ' ', h('button', { type: 'button', class: 'secondary', onclick: () => act(() => api('DELETE', `/standard-types/${t.id}`), 'Deleted') }, `Delete ${t.name}`)))))),
    createForm('Add a standard type', [['name', 'Name'], ['description', 'Description']], (b) => api('POST', '/standard-types', b))];
  },
  // R44: the register of DMTF standards change requests are routed by
  async standards() {
    const [items, bodies] = await Promise.all([all('/dmtf-standards?all=true'), all('/bodies')]);
    const owners = bodies.filter((b) => ['committee', 'working_group'].includes(b.kind)).map((b) => [b.id, b.name]);
    return [h('table', {}, h('caption', { class: 'muted' }, 'The register of DMTF standards (R44): a change request goes to the owning body'),
      h('thead', {}, h('tr', {}, ['DSP', 'Title', 'Version', 'Owning body', 'Status', ''].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, items.map((d) => h('tr', {}, h('td', {}, d.dsp), h('td', {}, d.title), h('td', {}, d.version), h('td', {}, d.body?.name || d.body_id),
        h('td', {}, d.retired ? 'retired' : 'current'),
        h('td', {}, h('button', { type: 'button', class: 'secondary', onclick: () => act(() => api('PATCH', `/dmtf-standards/${d.id}`, { retired: !d.retired }), 'Saved') }, `${d.retired ? 'Restore' : 'Retire'} ${d.dsp}`)))))),
    createForm('Add a DMTF standard', [['dsp', 'DSP number (DSPnnnn)'], ['title', 'Title'], ['version', 'Version'], ['body_id', 'Owning body', () => select('body_id', owners), Number]],
      (b) => api('POST', '/dmtf-standards', b))];
  },
  // The outbox, newest first, each message with its delivery state
  // (queued, sending, retrying, sent, dead; held for a digest): without a
  // mail server every message waits here, the preview of what would go.
  async mail() {
    const state = new URLSearchParams(location.hash.split('?')[1] || '').get('state') || '';
    const [{ json: stats }, items] = await Promise.all([api('GET', '/outbox/stats'), all(`/outbox${state ? `?state=${state}` : ''}`)]);
    const states = ['queued', 'sending', 'retrying', 'sent', 'dead', 'held', 'digested'];
    const filter = h('nav', { 'aria-label': 'Messages by state' }, h('ul', { class: 'tabs' },
      [['', 'All'], ...states.map((s) => [s, `${s} (${stats[s] ?? 0})`])].map(([s, l]) =>
        h('li', {}, h('a', { href: `#/admin/mail${s ? `?state=${s}` : ''}`, 'aria-current': s === state ? 'page' : null }, l)))));
    const shown = items.reverse().slice(0, 200);
    return [filter,
      h('p', { class: 'muted' }, `${shown.length} message(s)${state ? ` ${state}` : ''}; ${stats.dead ?? 0} dead, ${stats.retrying ?? 0} retrying.`),
      h('ol', { class: 'messages' }, shown.map((m) => h('li', { class: 'card' },
        h('p', {}, h('strong', {}, m.subject), ` to ${m.email} · ${m.event} · ${m.created_at.replace('T', ' ').replace('Z', ' UTC')} · `,
          h('span', { class: `status delivery-${m.state}` }, m.state),
          m.attempts ? ` · ${m.attempts} attempt(s)` : '', m.sent_at ? ` · sent ${m.sent_at.replace('T', ' ').replace('Z', ' UTC')}` : ''),
        m.last_error ? h('p', { class: 'muted' }, `Last error: ${m.last_error}`) : null,
        m.state === 'dead' || m.state === 'retrying'
          ? h('p', {}, h('button', { type: 'button', onclick: () => act(() => api('POST', `/outbox/${m.id}/retry`), 'Queued again') }, `Send message ${m.id} again`))
          : null,
        h('details', {}, h('summary', {}, `The message to ${m.email}`), h('pre', {}, m.body)))))];
  },
  async settings() {
    const { json } = await api('GET', '/settings');
    const keys = ['requests_address', 'alliance_list_address', 'press_address', 'review_months', 'stagnation_months', 'review_reminder_days', 'ip_policy_url', 'ip_policy_text', 'delegation_rules_text'];
    const f = Object.fromEntries(keys.map((k) => [k, k.endsWith('_text') ? textarea(k, json[k]) : input(k, json[k])]));
    const anyone = h('input', { type: 'checkbox', name: 'feedback_from_anyone', checked: json.feedback_from_anyone === 'true' || null });
    return h('form', {
      class: 'card',
      onsubmit: (ev) => {
        ev.preventDefault();
        const body = {};
        for (const k of keys) if (f[k].value !== (json[k] ?? '')) body[k] = k.endsWith('_months') ? Number(f[k].value) : k.startsWith('ip_policy') && !f[k].value ? null : f[k].value;
        if (anyone.checked !== (json.feedback_from_anyone === 'true')) body.feedback_from_anyone = anyone.checked;
        act(() => api('PATCH', '/settings', body), 'Settings saved');
      },
    }, keys.map((k) => field(k.replaceAll('_', ' '), f[k])),
    field('Anyone signed in may submit change requests, not only partners\' representatives (R42)', anyone), h('p', {}, h('button', { type: 'submit' }, 'Save the settings')));
  },
};
