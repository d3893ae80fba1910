// entente web application: Work Registers: the list, a proposal, one WR with its lifecycle and sections.
import { all, api, markdown, Problem, processStates, session } from '../api.js';
import { date, field, h, input, ruleBadge, s, select, stateLabel, statusBadge, textarea } from '../dom.js';
import { stepForm } from '../steps.js';
import { act, fail, flash, flashAfterNavigation, render } from '../ui.js';

const me = () => session.me;

export async function wrListView() {
  const q = new URLSearchParams(location.hash.split('?')[1] || '');
  const [{ states }, orgs, people] = await Promise.all([processStates(), all('/organizations'), all('/people')]);
  const params = new URLSearchParams();
  for (const k of ['status', 'partner_id', 'owner_id', 'q']) if (q.get(k)) params.set(k, q.get(k));
  const wrs = await all('/work-registers' + (params.toString() ? '?' + params : ''));
  const orgName = Object.fromEntries(orgs.map((o) => [o.id, o.short_name]));
  const status = select('status', [['', 'any'], ...states.map((s) => [s.state, s.label || s.state.replaceAll('_', ' ')])], q.get('status'));
  const partner = select('partner_id', [['', 'any'], ...orgs.filter((o) => o.kind === 'partner').map((o) => [o.id, o.short_name])], q.get('partner_id'));
  const owner = select('owner_id', [['', 'any'], ...people.filter((p) => orgs.find((o) => o.id === p.org_id)?.kind === 'host').map((p) => [p.id, p.name])], q.get('owner_id'));
  const due = h('input', { type: 'checkbox', name: 'due', checked: q.get('due') ? true : null });
  const soon = new Date(Date.now() + 90 * 86400000).toISOString().slice(0, 10);
  const search = input('q', q.get('q'), { type: 'search' });
  const rows = wrs
    .filter((w) => !q.get('due') || (w.status === 'established' && w.next_review_date && w.next_review_date <= soon))
    .map((w) => h('tr', {}, h('td', {}, h('a', { href: `#/wr/${w.id}` }, w.title)), h('td', {}, orgName[w.partner_id] || w.partner_id),
      h('td', {}, statusBadge(w.status)), h('td', {}, w.next_review_date || ''), h('td', {}, date(w.updated_at))));
  const form = h('form', {
    class: 'card', role: 'search',
    onsubmit: (ev) => {
      ev.preventDefault();
      const p = new URLSearchParams();
      if (status.value) p.set('status', status.value);
      if (partner.value) p.set('partner_id', partner.value);
      if (owner.value) p.set('owner_id', owner.value);
      if (due.checked) p.set('due', '1');
      if (search.value) p.set('q', search.value);
      location.hash = '#/wrs?' + p;
    },
  }, field('Status', status), field('Partner', partner), field('Owner', owner), field('Review due within 90 days or overdue (R27)', due), field('Search titles, scopes and Table 1', search), h('p', {}, h('button', { type: 'submit' }, 'Filter')));
  return [h('h1', {}, 'Work Registers'), h('p', {}, h('a', { href: '#/wrs/new' }, 'Propose a Work Register')), form,
    h('table', {}, h('caption', { class: 'muted' }, `${rows.length} Work Register(s)`),
      h('thead', {}, h('tr', {}, ['Title', 'Partner', 'Status', 'Next review', 'Updated'].map((c) => h('th', { scope: 'col' }, c)))), h('tbody', {}, rows))];
}

export async function wrNewView() {
  const every = await all('/organizations');
  const orgs = every.filter((o) => o.kind === 'partner');
  // R10: host staff propose for the host, or for a Board or Leadership member company
  const host = every.find((o) => o.kind === 'host');
  const members = every.filter((o) => o.kind === 'member' && ['board', 'leadership'].includes(o.membership_level));
  const f = {
    partner_id: select('partner_id', orgs.map((o) => [o.id, o.name])),
    proposer_org_id: host ? select('proposer_org_id', [[host.id, `${host.short_name} (the host)`], ...members.map((o) => [o.id, `${o.name} (${o.membership_level} member)`])]) : null,
    title: input('title', '', { required: true }),
    scope: textarea('scope'), benefits: textarea('benefits'), deliverables: textarea('deliverables'),
  };
  const form = h('form', {
    onsubmit: async (ev) => {
      ev.preventDefault();
      try {
        const body = { partner_id: Number(f.partner_id.value), title: f.title.value };
        if (f.proposer_org_id && Number(f.proposer_org_id.value) !== host.id) body.proposer_org_id = Number(f.proposer_org_id.value);
        for (const k of ['scope', 'benefits', 'deliverables']) if (f[k].value) body[k] = f[k].value;
        const { json } = await api('POST', '/work-registers', body);
        flashAfterNavigation('Proposed');
        location.hash = `#/wr/${json.id}`;
      } catch (e) { fail(e); }
    },
  }, field('Partner', f.partner_id), f.proposer_org_id ? field('Proposed for', f.proposer_org_id) : null, field('Title', f.title), field('Scope (Markdown)', f.scope), field('Benefits (Markdown)', f.benefits),
  field('Deliverables (Markdown)', f.deliverables), h('p', {}, h('button', { type: 'submit' }, 'Propose')));
  return [h('h1', {}, 'Propose a Work Register'), form];
}

// The lifecycle as a diagram: where the WR stands and what comes next.
// Issue 25: the lifecycle as a stepper, in words, each stage with the date
// it was reached (from the change history); the current stage is marked
// and, the list wrapping, is on screen at any width. The side states
// (withdrawal, removal) show when the WR is in or went through one.
const mainStages = ['proposed', 'drafting', 'socialization', 'committee_ballots', 'committee_approved', 'board_ballot', 'board_approved', 'sent_to_partner', 'established'];
const sideStages = ['withdrawn', 'removal_proposed', 'removal_ballot', 'removed', 'dissolved'];
function stepper(state, next, reached) {
  const stages = [...mainStages, ...sideStages.filter((st) => st === state || reached[st])];
  const at = mainStages.indexOf(state);
  return h('ol', { class: 'stepper', 'aria-label': `Lifecycle: ${stateLabel(state)}${next.size ? `; next: ${[...next].map((n) => stateLabel(n)).join(', ')}` : ''}` },
    stages.map((st, i) => {
      const here = st === state, done = reached[st] && !here && (at < 0 || i < at || sideStages.includes(st));
      return h('li', { class: `${here ? 'current' : done ? 'done' : next.has(st) ? 'next' : ''}`, 'aria-current': here ? 'step' : null },
        h('span', { class: 'stage' }, stateLabel(st)), reached[st] ? h('span', { class: 'when' }, reached[st]) : null,
        here ? h('span', { class: 'visually-hidden' }, ' (now)') : next.has(st) ? h('span', { class: 'visually-hidden' }, ' (a next step)') : null);
    }));
}
// The date each state was first reached, from the change history.
function reachedDates(history) {
  const out = {};
  for (const v of history) if (v.status && !out[v.status]) out[v.status] = v.date;
  return out;
}

// The owner is an active member of the Alliance Committee (R1): only they are offered.
async function stepChoices() {
  const bodies = await all('/bodies');
  const ac = bodies.find((b) => b.is_alliance);
  const members = ac ? (await api('GET', `/bodies/${ac.id}/members?active=true`)).json.items.filter((m) => m.role !== 'observer') : [];
  // by the name of the field a step's body has (the process table's)
  return {
    body_id: bodies.filter((b) => b.kind === 'committee').map((b) => [b.id, b.name]),
    owner_id: members.map((m) => [m.person_id, m.person?.name || `person ${m.person_id}`]),
    reason: [['disbanded', 'the partner disbanded (R30)'], ['not_maintained', 'the relationship is not maintained (R30)'],
      ['stagnated', 'no milestone progress in the review period (R31)'], ['dissolution', 'every deliverable is complete (R32)']],
  };
}

// Whether a step's form needs choices (a body beyond an optional note).
const hasInputs = (table, action) => (table.steps.find((s) => s.action === action)?.body || []).some((f) => f.name !== 'note');

// The next steps: forms derived from the process table (js/steps.js); the
// person's steps a rule refuses now, disabled with the reason and the rule.
function actionPanel(id, items, choices, table) {
  return h('section', { 'aria-labelledby': 'next-steps' }, h('h2', { id: 'next-steps' }, 'Next steps'),
    // issue 25: a step that is not the person's at all is not offered
    (items = items.filter((a) => a.yours !== false)).length ? h('div', { class: 'actions' }, items.map((a) => {
      const label = a.action.slice(3).replaceAll('_', ' ');
      if (!a.allowed) {
        return h('div', { class: 'action' }, h('button', { type: 'button', disabled: true, 'aria-describedby': `why-${a.action}` }, label),
          h('span', { class: 'why', id: `why-${a.action}` }, a.reason || 'not possible now', ruleBadge(a.reason_rule)));
      }
      return stepForm(table.steps.find((s) => s.action === a.action), `/work-registers/${id}/${a.action.slice(3).replaceAll('_', '-')}`, label, choices);
    })) : h('p', { class: 'muted' }, 'No step of the process is open from here.'));
}

// The differences between two versions (GET /diff): each text word by
// word, each value from and to, the records of Table 1, the milestones
// and the contacts added, removed and changed.
const sectionNames = { standards: 'Table 1', milestones: 'Milestones', contacts: 'Contacts' };
const recordName = { standards: (r) => `${r.ap_id}: ${r.description}`, milestones: (r) => `${r.description} (${r.target_date || 'no date'})`, contacts: (r) => `${r.name} (${r.role})` };
const shown = (v) => (v === null || v === undefined || v === '' ? '(none)' : String(v));
export function diffView(d) {
  const changedSections = Object.entries(d.sections).filter(([, x]) => x.added.length || x.removed.length || x.changed.length);
  return h('section', { class: 'diffs', 'aria-label': 'Differences between the two versions' },
    h('h3', {}, `From version ${d.from.label || d.from.revision} (${date(d.from.date)}) to version ${d.to.label || d.to.revision} (${date(d.to.date)})`),
    !d.fields.length && !changedSections.length ? h('p', {}, 'The two versions do not differ.') : null,
    d.fields.map((f) => [h('h4', {}, f.field.replaceAll('_', ' ')),
      f.words ? h('p', { class: 'words' }, f.words.map((w) => (w.op === '=' ? w.text : h(w.op === '+' ? 'ins' : 'del', {}, w.text))))
        : h('p', {}, h('del', {}, shown(f.from)), ' → ', h('ins', {}, shown(f.to)))]),
    changedSections.map(([k, x]) => [h('h4', {}, sectionNames[k] || k), h('ul', {},
      x.added.map((r) => h('li', {}, 'Added: ', h('ins', {}, recordName[k] ? recordName[k](r) : r.id))),
      x.removed.map((r) => h('li', {}, 'Removed: ', h('del', {}, recordName[k] ? recordName[k](r) : r.id))),
      x.changed.map((c) => h('li', {}, `Changed, record ${c.id}: `, Object.entries(c.fields).map(([n, v], i) => [i ? '; ' : '', `${n.replaceAll('_', ' ')} `, h('del', {}, shown(v.from)), ' → ', h('ins', {}, shown(v.to))]))))]));
}

const tabs = [['document', 'Document'], ['edit', 'Edit'], ['standards', 'Table 1'], ['milestones', 'Milestones'], ['contacts', 'Contacts'],
  ['comments', 'Comments'], ['ballots', 'Ballots'], ['versions', 'Versions'], ['amendments', 'Amendments'], ['history', 'History']];

// Issue 25: the WR's header: who and where it stands, the next review, and
// an open ballot with its deadline and tally so far.
function facts(wr, ballots) {
  const today = new Date().toISOString().slice(0, 10);
  const row = (k, ...v) => [h('dt', {}, k), h('dd', {}, ...v)];
  return h('dl', { class: 'facts' },
    row('State', statusBadge(wr.status)),
    row('Partner', wr.partner?.name || ''),
    row('Owner', wr.owner ? wr.owner.name : 'no owner yet'),
    row('Originating Committee', wr.originating_committee?.name || ''),
    row('Version', wr.version_label || String(wr.revision)),
    wr.next_review_date ? row('Next review (R27)', wr.next_review_date, wr.next_review_date < today ? h('span', { class: 'status tone-late' }, 'Overdue') : null) : null,
    // R10: an external proposal is made for the partner's board; a member company's by the person who recorded it
    wr.drafting_target_date && wr.status === 'drafting' ? row('Draft due', wr.drafting_target_date) : null,
    wr.proposer_org ? row('Proposed', `${wr.proposer ? `by ${wr.proposer.name} ` : ''}for ${wr.proposer_for === 'board' ? `the board of ${wr.proposer_org.short_name}` : wr.proposer_org.name}`) : null,
    ballots.map((b) => row('Open ballot', h('a', { href: `#/ballot/${b.id}` }, `${b.purpose} ballot ${b.id}`),
      ` closes ${String(b.deadline).slice(0, 16).replace('T', ' ')} UTC`, b.tally ? ` · so far ${b.tally.yes} yes, ${b.tally.no} no, ${b.tally.abstain} abstain of ${b.tally.eligible}` : '')));
}

export async function wrView(id, tab = 'document', asOf = undefined) {
  const staff = session.me?.roles?.staff;
  const [{ json: wr, etag }, { json: next }, table, history, ballots] = await Promise.all([api('GET', `/work-registers/${id}`), api('GET', `/work-registers/${id}/actions`), processStates(),
    api('GET', `/work-registers/${id}/history`).then((r) => r.json.items).catch(() => []),
    staff ? api('GET', `/ballots?wr_id=${id}&status=open`).then((r) => Promise.all(r.json.items.map((b) => api('GET', `/ballots/${b.id}`).then((x) => x.json)))).catch(() => []) : []]);
  const nextStates = new Set(next.items.filter((a) => a.allowed && a.to).map((a) => a.to));
  const head = [h('h1', {}, wr.title), facts(wr, ballots),
  wr.warnings.map((w) => h('p', { class: 'msg error' }, w.detail, ruleBadge(w.rule))),
  stepper(wr.status, nextStates, reachedDates(history)), actionPanel(id, next.items, next.items.some((a) => a.allowed && hasInputs(table, a.action)) ? await stepChoices() : {}, table),
  h('nav', { 'aria-label': 'Work Register sections' }, h('ul', { class: 'tabs' }, tabs.map(([k, l]) => h('li', {}, h('a', { href: `#/wr/${id}/${k}`, 'aria-current': k === tab ? 'page' : null }, l)))))];
  const body = await (wrTabs[tab] || wrTabs.document)(wr, etag, id, asOf);
  return [head, body];
}

function milestoneTimeline(ms) {
  const sorted = [...ms].sort((a, b) => String(a.target_date).localeCompare(String(b.target_date)));
  return h('ol', { class: 'timeline', 'aria-label': 'Milestones by target date' }, sorted.map((m) => h('li', { class: m.status },
    h('strong', {}, m.target_date || 'no date'), ` ${m.description} `, h('span', { class: 'muted' }, `(${m.status.replace('_', ' ')})`))));
}

function standardsTable(rows, partner, extra) {
  const org = (v) => (v === 'partner' ? partner : v);
  return h('table', {}, h('caption', { class: 'muted' }, 'Alliance Partner Standard Development Template (Table 1)'),
    h('thead', {}, h('tr', {}, ['Standard type', 'AP Id', 'Description', 'Info Mgt Domain', 'Lead Org', 'Governing IP Policy', 'Owning Org', 'Developing Org', 'Maintaining Org', 'Work', ''].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows.map((r) => h('tr', { class: r.status === 'replaced' ? 'replaced' : null },
      [r.standard_type, r.ap_id, r.description, r.domain, r.lead_org, org(r.ip_policy), org(r.owning_org), org(r.developing_org), org(r.maintaining_org)].map((c) => h('td', {}, c)),
      h('td', {}, `${r.kind}${r.is_group ? ', group' : ''}${r.status === 'replaced' ? ', replaced' : ''}${r.replaces_id ? `, replaces row ${r.replaces_id}` : ''}`),
      h('td', {}, extra ? extra(r) : '')))));
}

// The fields of a Table 1 row (R36), for a draft's rows and an amendment's.
const rowLabels = { kind: 'Kind of work', standard_type: 'Standard type', ap_id: 'AP identifier', description: 'Description', domain: 'Information management domain', lead_org: 'Lead organization', ip_policy: 'Governing IP policy', owning_org: 'Owning organization', developing_org: 'Developing organization', maintaining_org: 'Maintaining organization', is_group: 'A group of standards' };
const value = (f) => Object.fromEntries(Object.entries(f).map(([k, el]) => [k, el.type === 'checkbox' ? el.checked : el.value]));
async function rowFields(wr) {
  const types = (await api('GET', '/standard-types')).json.items.map((t) => [t.name, t.name]);
  const orgs = [['DMTF', 'DMTF'], ['partner', wr.partner?.short_name || 'partner']];
  return () => ({
    kind: select('kind', [['joint', 'joint'], ['delegated', 'delegated']]), standard_type: select('standard_type', types), ap_id: input('ap_id'),
    description: input('description'), domain: input('domain'), lead_org: input('lead_org'),
    ip_policy: select('ip_policy', orgs), owning_org: select('owning_org', orgs), developing_org: select('developing_org', orgs), maintaining_org: select('maintaining_org', orgs),
    is_group: h('input', { type: 'checkbox', name: 'is_group' }),
  });
}

// The date picker of the document: the Work Register as it stood then
// (GET ?as_of=, from its versions: status and Table 1 included).
function asOfForm(id, asOf) {
  const day = input('as_of_date', asOf ? asOf.slice(0, 10) : '', { type: 'date', required: true });
  const time = input('as_of_time', asOf && asOf.length > 10 ? asOf.slice(11, 16) : '', { type: 'time' });
  return h('form', {
    class: 'card as-of',
    onsubmit: (ev) => { ev.preventDefault(); location.hash = `#/wr/${id}/document?as_of=${day.value}${time.value ? `T${time.value}:00Z` : ''}`; },
  }, h('fieldset', {}, h('legend', {}, 'The document as it stood on a date'), field('Date', day), field('Time (UTC; empty: the end of the day)', time),
    h('p', {}, h('button', { type: 'submit' }, 'Show it as it stood'), asOf ? [' ', h('a', { href: `#/wr/${id}/document` }, 'Back to today')] : null)));
}

const wrTabs = {
  async document(wr, etag, id, asOf) {
    let doc = wr, banner = null;
    if (asOf) {
      try {
        doc = (await api('GET', `/work-registers/${id}?as_of=${encodeURIComponent(asOf)}`)).json;
      } catch (e) {
        if (!(e instanceof Problem)) throw e;
        return [asOfForm(id, asOf), h('p', { class: 'msg error', role: 'status' }, e.describe())];
      }
      banner = h('p', { class: 'msg info as-of-banner', role: 'status' }, `As it stood at ${doc.as_of.replace('T', ' ').replace('Z', ' UTC')}: `, statusBadge(doc.status),
        ` version ${doc.version_label || doc.revision}, written ${doc.version_date.replace('T', ' ').replace('Z', ' UTC')}.`);
    }
    const [[scope, benefits, deliverables, commitment, restrictions], meetings] = await Promise.all([
      markdown([doc.scope, doc.benefits, doc.deliverables, doc.wg_commitment, doc.feedback_restrictions]), asOf ? [] : all(`/meetings?wr_id=${wr.id}`)]);
    return [asOfForm(id, asOf), banner, h('article', {},
      asOf ? h('h2', {}, doc.title) : null,
      h('h2', {}, 'Scope'), h('div', { trustedHtml: scope }),
      h('h2', {}, 'Benefits'), h('div', { trustedHtml: benefits }),
      h('h2', {}, 'Deliverables'), h('div', { trustedHtml: deliverables }),
      h('h2', {}, "The working groups' commitment"), doc.wg_commitment ? h('div', { trustedHtml: commitment }) : h('p', { class: 'muted' }, 'Not stated.'),
      h('h2', {}, 'Restrictions on feedback'), doc.feedback_restrictions ? h('div', { trustedHtml: restrictions }) : h('p', { class: 'muted' }, "None: the partner's feedback is free of restrictions (R43)."),
      h('h2', {}, 'Milestones'), milestoneTimeline(doc.milestones || []),
      h('h2', {}, 'Contacts'), h('ul', {}, (doc.contacts || []).map((c) => h('li', {}, `${c.name} <${c.email}> (${c.role.replace('_', ' ')})`))),
      h('h2', {}, 'Standards development'), standardsTable(doc.standards || [], doc.partner?.short_name || wr.partner?.short_name),
      h('h2', {}, 'Board resolution'), h('p', {}, doc.board_resolution || 'Not yet recorded.', doc.board_approval_date ? ` Approved ${doc.board_approval_date}.` : ''),
      meetings.length ? [h('h2', {}, 'Joint meetings'), h('ul', {}, meetings.map((m) => h('li', {}, h('a', { href: `#/meeting/${m.id}` }, m.title),
        ` ${m.starts_at.replace('T', ' ')} (${m.time_zone}) `, statusBadge(m.status, 'meeting'))))] : null,
      doc.meetings?.length ? [h('h2', {}, 'Calls'), h('ul', {}, doc.meetings.map((m) => h('li', {}, `${m.kind.replace('_', ' ')} ${m.scheduled_at}: ${m.participants.map((p) => p.name).join(', ')} — ${m.outcome || ''}`)))] : null)];
  },
  async edit(wr, etag, id) {
    const names = ['title', 'scope', 'benefits', 'deliverables', 'wg_commitment', 'feedback_restrictions'];
    const labels = { wg_commitment: "The working groups' commitment to their deliverables", feedback_restrictions: 'Restrictions agreed on the partner\'s feedback (R43)' };
    const f = Object.fromEntries(names.map((n) => [n, n === 'title' ? input(n, wr[n]) : textarea(n, wr[n], { rows: 8 })]));
    const summary = input('summary', '');
    const box = h('div', {});
    const save = async (ev, against) => {
      ev?.preventDefault();
      const body = {};
      for (const n of names) if (f[n].value !== (wr[n] ?? '')) body[n] = f[n].value;
      if (summary.value) body.summary = summary.value;
      try {
        await api('PATCH', `/work-registers/${id}`, body, { ifMatch: against || etag });
        flash('Saved');
        await render();
      } catch (e) {
        if (e.status !== 412) return fail(e);
        // Someone else saved first: show theirs beside yours; nothing typed is lost.
        const { json: cur, etag: curTag } = await api('GET', `/work-registers/${id}`);
        flash(e.describe(), 'error');
        box.replaceChildren(h('section', { class: 'conflict', 'aria-label': 'Edit conflict' },
          h('div', {}, h('h2', {}, 'Saved meanwhile'), names.map((n) => [h('h3', {}, n), h('pre', {}, cur[n])])),
          h('div', {}, h('h2', {}, 'Your version (not saved)'), names.map((n) => [h('h3', {}, n), h('pre', {}, f[n].value)]),
            h('p', {}, h('button', { type: 'button', onclick: (ev2) => { wr = cur; save(ev2, curTag); } }, 'Save mine over the new version'),
              ' ', h('button', { type: 'button', class: 'secondary', onclick: () => render() }, 'Discard mine')))));
      }
    };
    const editable = ['proposed', 'drafting'].includes(wr.status);
    // Section 2.2: the draft's target date, set with the VP of Alliances; the owner is reminded before it
    const target = input('drafting_target_date', wr.drafting_target_date || '', { type: 'date' });
    const targetForm = editable && (me().roles.vp_alliances || me().roles.admin) ? h('form', {
      class: 'card', 'aria-label': 'Drafting target date',
      onsubmit: (ev) => { ev.preventDefault(); act(() => api('PATCH', `/work-registers/${id}`, { drafting_target_date: target.value || null }, { ifMatch: etag }), 'Target date set'); },
    }, field('Drafting target date (the owner is reminded before it; you are told when it passes)', target), h('p', {}, h('button', { type: 'submit' }, 'Set the target date'))) : null;
    return [box, targetForm, editable ? h('form', { onsubmit: save }, names.map((n) => field(labels[n] || n[0].toUpperCase() + n.slice(1), f[n])), field('Summary of the change (change history)', summary),
      h('p', {}, h('button', { type: 'submit' }, 'Save'))) : h('p', {}, 'Only a draft is edited in place; an approved Work Register changes through an amendment.', ruleBadge('R22'))];
  },
  async standards(wr, etag, id) {
    const mk = await rowFields(wr);
    const f = mk();
    const replaceFor = h('div', {});
    const replace = (row) => {
      const g = mk();
      const rows = [];
      const list = h('ul', {});
      replaceFor.replaceChildren(h('form', {
        class: 'card', 'aria-label': `Replace ${row.ap_id}`,
        onsubmit: (ev) => { ev.preventDefault(); act(() => api('POST', `/work-registers/${id}/standards/${row.id}/replace`, { rows }, { ifMatch: etag }), 'Replaced'); },
      }, h('h3', {}, `Replace the group "${row.ap_id}" by discrete rows`), Object.entries(g).map(([k, el]) => field(rowLabels[k], el)),
      h('p', {}, h('button', { type: 'button', class: 'secondary', onclick: () => { const v = value(g); rows.push(v); list.append(h('li', {}, `${v.ap_id}: ${v.description}`)); } }, 'Add this row'), ' ',
        h('button', { type: 'submit' }, 'Replace the group')), list));
    };
    // R35: delegated rows need the partner's agreement to the delegation rules in force
    const rules = (await api('GET', '/delegation-rules')).json.current;
    const agreed = rules && wr.delegation_agreements.find((a) => a.rules_version === rules.version);
    const delegation = h('section', { class: 'card', 'aria-labelledby': 'delegation' }, h('h2', { id: 'delegation' }, 'Delegated work', ruleBadge('R35')),
      !rules ? h('p', {}, 'The organization has set no delegation rules: no row can be delegated.')
        : [h('details', {}, h('summary', {}, `The delegation rules in force (version ${rules.version})`), h('pre', {}, rules.text)),
          agreed ? h('p', {}, `${wr.partner?.short_name || 'The partner'} agreed to version ${rules.version}: ${agreed.agreed_by}, ${agreed.agreed_at.replace('T', ' ').replace('Z', ' UTC')}.`)
            : [h('p', {}, `${wr.partner?.short_name || 'The partner'} has not agreed to version ${rules.version}: rows of delegated work wait for it.`),
              me().org_id === wr.partner_id ? h('button', { type: 'button', onclick: () => act(() => api('POST', `/work-registers/${id}/delegation-agreement`, { rules_version: rules.version }), 'Agreement recorded') }, `Agree to the delegation rules (version ${rules.version}) for ${wr.partner?.short_name || 'the partner'}`) : null]]);
    return [standardsTable(wr.standards, wr.partner?.short_name, (r) => (r.is_group && r.status === 'current' ? h('button', { type: 'button', class: 'secondary', onclick: () => replace(r) }, `Replace ${r.ap_id}`) : '')),
      delegation,
      replaceFor,
      h('form', { class: 'card', onsubmit: (ev) => { ev.preventDefault(); act(() => api('POST', `/work-registers/${id}/standards`, value(f)), 'Row added'); } },
        h('h2', {}, 'Add a row'), Object.entries(f).map(([k, el]) => field(rowLabels[k], el)), h('p', {}, h('button', { type: 'submit' }, 'Add the row')))];
  },
  async milestones(wr, etag, id) {
    const bodies = await all('/bodies');
    const committees = bodies.filter((b) => b.kind === 'committee').map((b) => [b.id, b.name]);
    const wgs = [['', 'none'], ...bodies.filter((b) => b.kind === 'working_group').map((b) => [b.id, b.name])];
    const name = Object.fromEntries(bodies.map((b) => [b.id, b.name]));
    const f = { description: input('description'), body_id: select('body_id', committees), wg_id: select('wg_id', wgs), target_date: input('target_date', '', { type: 'date' }) };
    const established = ['established', 'removal_proposed'].includes(wr.status);
    return [milestoneTimeline(wr.milestones),
      h('table', {}, h('thead', {}, h('tr', {}, ['Milestone', 'Committee', 'Working group', 'Target', 'Status', ''].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, wr.milestones.map((m) => h('tr', {}, h('td', {}, m.description), h('td', {}, name[m.body_id]), h('td', {}, name[m.wg_id] || ''), h('td', {}, m.target_date || ''), h('td', {}, m.status),
          h('td', {}, established
            ? h('button', { type: 'button', class: 'secondary', onclick: () => act(() => api('POST', `/work-registers/${id}/milestones/${m.id}/progress`, { status: 'complete' }), 'Progress recorded') }, `Mark "${m.description}" complete`)
            : h('button', { type: 'button', class: 'secondary', onclick: () => act(() => api('DELETE', `/work-registers/${id}/milestones/${m.id}`, undefined, { ifMatch: etag }), 'Removed') }, `Remove "${m.description}"`)))))),
      established ? null : h('form', {
        class: 'card',
        onsubmit: (ev) => {
          ev.preventDefault();
          const body = { description: f.description.value, body_id: Number(f.body_id.value) };
          if (f.wg_id.value) body.wg_id = Number(f.wg_id.value);
          if (f.target_date.value) body.target_date = f.target_date.value;
          act(() => api('POST', `/work-registers/${id}/milestones`, body), 'Milestone added');
        },
      }, h('h2', {}, 'Add a milestone'), field('Description', f.description), field('Committee', f.body_id), field('Working group', f.wg_id), field('Target date', f.target_date), h('p', {}, h('button', { type: 'submit' }, 'Add the milestone')))];
  },
  async contacts(wr, etag, id) {
    const f = { name: input('name'), email: input('email', '', { type: 'email' }), role: select('role', [['board_rep', 'board representative'], ['technical', 'technical contact'], ['pr', 'PR contact']]) };
    return [h('ul', {}, wr.contacts.map((c) => h('li', {}, `${c.name} <${c.email}> (${c.role.replace('_', ' ')}) `,
      ['proposed', 'drafting'].includes(wr.status) ? h('button', { type: 'button', class: 'secondary', onclick: () => act(() => api('DELETE', `/work-registers/${id}/contacts/${c.id}`, undefined, { ifMatch: etag }), 'Removed') }, `Remove ${c.name}`) : ''))),
      h('form', { class: 'card', onsubmit: (ev) => { ev.preventDefault(); act(() => api('POST', `/work-registers/${id}/contacts`, { name: f.name.value, email: f.email.value, role: f.role.value }), 'Contact added'); } },
        h('h2', {}, 'Add a contact'), field('Name', f.name), field('E-mail', f.email), field('Role', f.role), h('p', {}, h('button', { type: 'submit' }, 'Add the contact')))];
  },
  async comments(wr, etag, id) {
    const items = await all(`/work-registers/${id}/comments`);
    const text = textarea('text');
    const bodies = (await all('/bodies')).filter((b) => ['committee', 'working_group'].includes(b.kind));
    const on = select('body_id', [['', 'myself'], ...bodies.map((b) => [b.id, b.name])]);
    return [h('ul', {}, items.map((c) => {
      const why = input('resolution', '', { 'aria-label': `Reason for comment ${c.id}` });
      return h('li', { class: 'card' }, h('p', {}, h('strong', {}, c.author), ` (${date(c.created_at)}) `, statusBadge(c.status, 'comment')), h('p', {}, c.text),
        c.resolution ? h('p', { class: 'muted' }, `Resolution: ${c.resolution}`) : '',
        c.status === 'open' ? h('div', { class: 'action' }, why,
          [['accepted', 'Accept'], ['declined', 'Decline'], ['withdrawn', 'Withdraw']].map(([st, verb]) => h('button', { type: 'button', class: 'secondary', onclick: () => act(() => api('POST', `/work-registers/${id}/comments/${c.id}/resolve`, why.value ? { status: st, resolution: why.value } : { status: st }), `Comment ${st}`) }, `${verb} comment ${c.id}`))) : '');
    })),
    h('form', { class: 'card', onsubmit: (ev) => { ev.preventDefault(); const body = { text: text.value }; if (on.value) body.body_id = Number(on.value); act(() => api('POST', `/work-registers/${id}/comments`, body), 'Comment added'); } },
      h('h2', {}, 'Comment'), field('Comment', text), field('On behalf of', on), h('p', {}, h('button', { type: 'submit' }, 'Add the comment')))];
  },
  async ballots(wr, etag, id) {
    let items = [];
    try { items = await all(`/ballots?wr_id=${id}`); } catch (e) { return h('p', {}, e.describe ? e.describe() : String(e)); }
    const bodies = Object.fromEntries((await all('/bodies')).map((b) => [b.id, b.name]));
    return h('table', {}, h('thead', {}, h('tr', {}, ['Ballot', 'Body', 'Purpose', 'Status', 'Opened'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, items.map((b) => h('tr', {}, h('td', {}, h('a', { href: `#/ballot/${b.id}` }, `Ballot ${b.id}`)), h('td', {}, bodies[b.body_id]), h('td', {}, b.purpose), h('td', {}, statusBadge(b.status, 'ballot')), h('td', {}, date(b.opened_at))))));
  },
  async versions(wr, etag, id) {
    const items = await all(`/work-registers/${id}/versions`);
    const opts = items.map((v) => [v.revision, `${v.label || v.revision}: ${v.summary}`]);
    const a = select('from', opts, items.length > 1 ? items[items.length - 2].revision : items[0]?.revision);
    const b = select('to', opts, items[items.length - 1]?.revision);
    const out = h('div', { 'aria-live': 'polite' });
    const compare = async (ev) => {
      ev?.preventDefault();
      try {
        out.replaceChildren(diffView((await api('GET', `/work-registers/${id}/diff?from=${a.value}&to=${b.value}`)).json));
      } catch (e) { fail(e); }
    };
    setTimeout(compare, 0);
    return [h('form', { class: 'card', onsubmit: compare }, field('Compare version', a), field('with version', b), h('p', {}, h('button', { type: 'submit' }, 'Compare'))), out];
  },
  async amendments(wr, etag, id) {
    const [{ json }, bodies] = await Promise.all([api('GET', `/work-registers/${id}/amendments`), all('/bodies')]);
    const bodyName = Object.fromEntries(bodies.map((b) => [b.id, b.name]));
    const bodyId = Object.fromEntries(bodies.map((b) => [b.name.toLowerCase(), b.id]));
    // issue 25: the contacts (R24) and the milestones (R28) after the
    // change, one per line, by name: prefilled with today's; sent only
    // when changed (each is the whole list)
    const contactLines = wr.contacts.map((c) => `${c.name} | ${c.email} | ${c.role}`).join('\n');
    const milestoneLines = wr.milestones.map((m) => [m.description, bodyName[m.body_id] || '', m.wg_id ? bodyName[m.wg_id] : '', m.target_date || '', m.status].join(' | ')).join('\n');
    const contacts = textarea('contacts', contactLines, { rows: Math.max(3, wr.contacts.length + 1) });
    const milestones = textarea('milestones', milestoneLines, { rows: Math.max(3, wr.milestones.length + 1) });
    const f = { class: select('class', [['contacts', 'contacts only: the Originating Committee, no Board (R24)'], ['deliverables', 'deliverable adjustment (R28)'], ['scope', 'scope extension (R29)'], ['other', 'other change (R22)']]),
      significant: h('input', { type: 'checkbox' }), summary: input('summary'), title: input('title'), scope: textarea('scope'), benefits: textarea('benefits'), deliverables: textarea('deliverables') };
    // Table 1 through change control: a row added, a row reworded (R22, R28)
    const row = (await rowFields(wr))();
    const current = wr.standards.filter((r) => r.status === 'current');
    const reword = { id: select('reword_id', [['', 'none'], ...current.map((r) => [r.id, `${r.ap_id}: ${r.description}`])]), description: input('reword_description') };
    // R39: a group row replaced by discrete rows, which take the group's other columns
    const groups = current.filter((r) => r.is_group);
    const split = { id: select('group_id', [['', 'none'], ...groups.map((r) => [r.id, `${r.ap_id}: ${r.description}`])]), rows: textarea('group_rows', '', { rows: 3 }) };
    const classWords = { contacts: 'contacts only', deliverables: 'deliverable adjustment', scope: 'scope extension', other: 'other change' };
    return [h('ul', {}, json.items.map((a) => h('li', { class: 'card' }, h('p', {}, `Amendment ${a.id} (${classWords[a.class] || a.class}${a.significant ? ', significant' : ''}): ${a.summary} `, statusBadge(a.status, 'amendment')),
      a.missing.length ? h('p', { class: 'muted' }, 'Still missing: ', a.missing.map((m) => `${m.kind === 'committee' ? 'the approval of ' : `${m.kind} `}${m.body_id ? bodyName[m.body_id] || `body ${m.body_id}` : ''} (${m.rule})`).join(', ')) : '',
      a.status === 'pending' ? h('p', {}, h('button', { type: 'button', class: 'secondary', onclick: () => act(() => api('POST', `/work-registers/${id}/amendments/${a.id}/accept`), 'Accepted') }, `Accept amendment ${a.id} for the partner`)) : ''))),
    wr.status === 'established' ? h('form', {
      class: 'card',
      onsubmit: (ev) => {
        ev.preventDefault();
        const changes = {};
        for (const k of ['title', 'scope', 'benefits', 'deliverables']) if (f[k].value) changes[k] = f[k].value;
        const standards = {};
        if (row.ap_id.value) standards.add = [value(row)];
        if (reword.id.value && reword.description.value) standards.update = [{ id: Number(reword.id.value), description: reword.description.value }];
        if (split.id.value) {
          const g = groups.find((r) => String(r.id) === split.id.value);
          const cols = ['kind', 'standard_type', 'domain', 'lead_org', 'ip_policy', 'owning_org', 'developing_org', 'maintaining_org'];
          const rows = split.rows.value.split('\n').map((l) => l.split('|').map((x) => x.trim())).filter(([ap]) => ap)
            .map(([ap, description]) => ({ ...Object.fromEntries(cols.map((k) => [k, g[k]])), ap_id: ap, description: description || ap }));
          standards.replace = [{ group_id: g.id, rows }];
        }
        if (Object.keys(standards).length) changes.standards = standards;
        const lines = (t) => t.value.split('\n').map((l) => l.split('|').map((x) => x.trim())).filter((p) => p[0]);
        if (contacts.value.trim() !== contactLines.trim()) changes.contacts = lines(contacts).map(([name, email, role]) => ({ name, email, role: role || 'technical' }));
        if (milestones.value.trim() !== milestoneLines.trim()) {
          changes.milestones = lines(milestones).map(([description, body, wg, target, status]) => {
            const m = { description, body_id: bodyId[(body || '').toLowerCase()] };
            if (wg) m.wg_id = bodyId[wg.toLowerCase()];
            if (target) m.target_date = target;
            if (status) m.status = status;
            return m;
          });
        }
        act(() => api('POST', `/work-registers/${id}/amendments`, { class: f.class.value, significant: f.significant.checked, summary: f.summary.value, changes }), 'Amendment proposed');
      },
    }, h('h2', {}, 'Propose an amendment'), field('Class', f.class), field('Significant (Board approval, R23)', f.significant), field('Summary', f.summary),
    field('New title', f.title), field('New scope', f.scope), field('New benefits', f.benefits), field('New deliverables', f.deliverables),
    h('fieldset', {}, h('legend', {}, 'Table 1: add a row (optional; a new domain is a scope extension, R29)'), Object.entries(row).map(([k, el]) => field(`New row: ${rowLabels[k]}`, el))),
    h('fieldset', {}, h('legend', {}, 'Table 1: reword a row (optional)'), field('Row', reword.id), field('New description', reword.description)),
    h('fieldset', {}, h('legend', {}, 'Contacts of the partner after the change (R24)'),
      field('One per line: name | e-mail | role (board_rep, technical or pr)', contacts, 'Leave as it is to keep them.')),
    h('fieldset', {}, h('legend', {}, 'Milestones after the change (R28)'),
      field('One per line: description | committee | working group (or empty) | target date | status', milestones,
        `Committees and working groups by name: ${bodies.filter((b) => ['committee', 'working_group'].includes(b.kind)).map((b) => b.name).join(', ')}. Leave as it is to keep them.`)),
    groups.length ? h('fieldset', {}, h('legend', {}, 'Table 1: replace a group by discrete rows (optional, R39)'), field('Group row', split.id),
      field('Discrete rows, one per line: AP identifier | description', split.rows, 'Each takes the group\'s other columns; the group is kept as history.')) : null,
    h('p', {}, h('button', { type: 'submit' }, 'Propose the amendment'))) : null];
  },
  // Issue 25: what happened, newest first, in plain words: who moved the
  // WR from one stage to another, or what they changed; the process's
  // own sentence (with its rule) on demand.
  async history(wr, etag, id) {
    const { json } = await api('GET', `/work-registers/${id}/history`);
    return h('section', { 'aria-labelledby': 'activity' }, h('h2', { id: 'activity' }, 'Activity'),
      h('ol', { class: 'activity', reversed: true }, [...json.items].reverse().map((r) => h('li', {},
        h('p', {}, h('strong', {}, r.date), ` · ${r.author || 'system'} · version ${r.version}`),
        r.from_status ? h('p', {}, `${stateLabel(r.from_status)} → ${stateLabel(r.status)}`) : h('p', {}, r.summary),
        r.from_status ? h('details', {}, h('summary', {}, 'The step, as the process says it'), h('p', {}, r.summary)) : null))));
  },
};
