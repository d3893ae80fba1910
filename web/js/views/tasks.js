// entente web application: the home page (issue 25), which answers "what
// needs me": what waits on the person (me/tasks: drafts, ballots, reviews,
// change requests, meetings to acknowledge, hand-offs), overdue first and
// then by deadline; what they watch (the WRs they own, or their
// organization's) with its state; and for the VP of Alliances the
// portfolio (GET /portfolio) as counts and a small chart drawn here.
import { all, api, session } from '../api.js';
import { h, s, statusBadge } from '../dom.js';
import { act } from '../ui.js';

const taskLabels = {
  assign_owner: 'Assign an owner', revise_draft: 'Revise the draft', answer_comments: 'Answer the comments',
  schedule_board: "Schedule the Board's ballot", record_resolution: 'Record the Board resolution', send_to_partner: 'Send to the partner',
  accept: 'Accept or decline', review_due: 'Update due', review_overdue: 'Update overdue', vote: 'Vote', ballot_voted: 'Voted (may change)',
  handoff: 'Hand-off', cr_review: 'Take up a change request', cr_decide: 'Decide a change request', meeting_ack: 'Acknowledge the IP policy',
};
const when = (iso) => String(iso).replace('T', ' ').replace(/:\d\dZ$/, ' UTC').replace('Z', ' UTC');
const today = () => new Date().toISOString().slice(0, 10);

// When a task is due: a ballot's deadline, a review's date; null when none.
function dueOf(t) {
  if (t.deadline) return t.deadline;
  if (t.due) return `${t.due}T23:59:59Z`;
  return null;
}
const overdue = (t) => t.kind === 'review_overdue' || (dueOf(t) && dueOf(t) < new Date().toISOString());

// Overdue first, then the nearest deadline, then the rest as they came.
function order(tasks) {
  return tasks.map((t, i) => ({ t, i })).sort((a, b) => {
    const oa = overdue(a.t), ob = overdue(b.t);
    if (oa !== ob) return oa ? -1 : 1;
    const da = dueOf(a.t), db = dueOf(b.t);
    if (da && db && da !== db) return da < db ? -1 : 1;
    if (!!da !== !!db) return da ? -1 : 1;
    return a.i - b.i;
  }).map(({ t }) => t);
}

// Where a task is done.
function target(t) {
  if (t.ballot_id) return [`#/ballot/${t.ballot_id}`, t.kind === 'vote' ? 'Open the ballot' : 'See the ballot'];
  if (t.cr_id) return [`#/change-request/${t.cr_id}`, `Open change request ${t.cr_id}`];
  if (t.meeting_id) return [`#/meeting/${t.meeting_id}`, `Open ${t.meeting_title || 'the meeting'}`];
  if (t.wr_id) return [`#/wr/${t.wr_id}`, t.wr_title || `Work Register ${t.wr_id}`];
  return null;
}

function needsYou(tasks) {
  if (!tasks.length) return h('p', {}, 'Nothing waits for you.');
  return h('ul', { class: 'needs' }, order(tasks).map((t) => {
    const go = target(t), due = dueOf(t), late = overdue(t);
    return h('li', { class: `card task${late ? ' overdue' : ''}` },
      h('p', {}, h('strong', {}, taskLabels[t.kind] || t.kind), late ? h('span', { class: 'status tone-late' }, 'Overdue') : null,
        t.wr_status ? [' ', statusBadge(t.wr_status)] : null),
      h('p', {}, t.what),
      t.wr_title && go && !go[0].startsWith('#/wr/') ? h('p', { class: 'muted' }, `Work Register: ${t.wr_title}`) : null,
      due ? h('p', { class: 'muted' }, `${late ? 'Was due' : 'Due'} ${t.due || when(due)}`) : null,
      t.starts_at ? h('p', { class: 'muted' }, `Starts ${t.starts_at.replace('T', ' ')} (${t.time_zone})`) : null,
      t.since ? h('p', { class: 'muted' }, `Waiting since ${t.since.slice(0, 10)}`) : null,
      t.recipients ? h('p', { class: 'muted' }, `to: ${t.recipients.join(', ')}`) : null,
      h('p', {}, go ? h('a', { href: go[0] }, go[1]) : null,
        t.task_id ? [' ', h('button', { type: 'button', onclick: () => act(() => api('POST', `/tasks/${t.task_id}/complete`), 'Marked done') }, 'Mark done')] : null));
  }));
}

function watching(wrs) {
  if (!wrs.length) return h('p', { class: 'muted' }, 'No Work Register to watch.');
  return h('table', {}, h('caption', { class: 'muted' }, 'What you own or your organization is party to, and where it stands'),
    h('thead', {}, h('tr', {}, ['Work Register', 'State', 'Next review'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, wrs.map((w) => h('tr', {}, h('td', {}, h('a', { href: `#/wr/${w.id}` }, w.title)), h('td', {}, statusBadge(w.status)),
      h('td', {}, w.next_review_date ? `${w.next_review_date}${w.next_review_date < today() ? ' (overdue)' : ''}` : '')))));
}

// The portfolio: WRs by state, a table whose bars are drawn beside each
// count (the numbers are there in words; the bar only helps the eye).
function portfolio(p) {
  const shown = p.states.filter((st) => st.count);
  const max = Math.max(1, ...shown.map((st) => st.count));
  const chart = h('table', { class: 'chart' }, h('caption', { class: 'muted' }, 'Work Registers by state'),
    h('tbody', {}, shown.map((st) => h('tr', {}, h('th', { scope: 'row' }, st.label), h('td', {}, String(st.count)),
      h('td', { class: 'barcell', 'aria-hidden': 'true' },
        s('svg', { viewBox: '0 0 100 10', preserveAspectRatio: 'none', class: 'bar' }, s('rect', { x: 0, y: 0, height: 10, width: Math.max(1, (st.count / max) * 100), class: `tone-${st.tone}` })))))));
  const figure = (n, label, href) => h('li', {}, h('strong', {}, String(n)), ' ', href ? h('a', { href }, label) : label);
  return [chart,
    h('ul', { class: 'figures' },
      figure(p.total, 'Work Registers in all', '#/wrs'),
      figure(p.reviews_overdue, 'updates overdue (R27)', '#/wrs?due=1'),
      figure(p.reviews_due, 'updates due within three months (R27)', '#/wrs?due=1'),
      figure(p.stagnant, 'stagnant: no milestone progressed in the review period (R31)'),
      p.change_requests.map((c) => figure(c.count, `open change requests ${c.age} old`, '#/change-requests')))];
}

export async function tasksView() {
  const me = session.me;
  const [tasks, wrs, folio] = await Promise.all([
    all('/me/tasks'),
    all(me.roles.staff ? `/work-registers?owner_id=${me.id}` : `/work-registers?partner_id=${me.org_id}`),
    me.roles.vp_alliances ? api('GET', '/portfolio').then((r) => r.json) : null,
  ]);
  const late = tasks.filter(overdue).length;
  return [h('h1', {}, 'My tasks'),
    h('section', { 'aria-labelledby': 'needs-you' }, h('h2', { id: 'needs-you' }, 'Needs you',
      tasks.length ? h('span', { class: 'muted' }, ` (${tasks.length}${late ? `, ${late} overdue` : ''})`) : null), needsYou(tasks)),
    h('section', { 'aria-labelledby': 'watching' }, h('h2', { id: 'watching' }, 'Watching'), watching(wrs)),
    folio ? h('section', { 'aria-labelledby': 'portfolio' }, h('h2', { id: 'portfolio' }, 'Portfolio'), portfolio(folio)) : null];
}
