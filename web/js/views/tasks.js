// entente web application: the signed-in person's tasks (me/tasks).
import { all, api } from '../api.js';
import { h } from '../dom.js';
import { act } from '../ui.js';

const taskLabels = {
  assign_owner: 'Assign an owner', revise_draft: 'Revise the draft', answer_comments: 'Answer the comments',
  schedule_board: "Schedule the Board's ballot", record_resolution: 'Record the Board resolution', send_to_partner: 'Send to the partner',
  accept: 'Accept or decline', review_due: 'Update due', review_overdue: 'Update overdue', vote: 'Vote', ballot_voted: 'Voted (may change)',
  handoff: 'Hand-off',
};
export async function tasksView() {
  const tasks = await all('/me/tasks');
  const rows = tasks.map((t) => h('tr', {},
    h('td', {}, taskLabels[t.kind] || t.kind),
    h('td', {}, t.wr_id ? h('a', { href: `#/wr/${t.wr_id}` }, t.wr_title || `Work Register ${t.wr_id}`) : ''),
    h('td', {}, t.what, t.deadline ? h('div', { class: 'muted' }, `deadline ${t.deadline.replace('T', ' ').replace('Z', ' UTC')}`) : '',
      t.recipients ? h('div', { class: 'muted' }, `to: ${t.recipients.join(', ')}`) : ''),
    h('td', {},
      t.ballot_id ? h('a', { href: `#/ballot/${t.ballot_id}` }, 'Open the ballot') : '',
      t.task_id ? h('button', { type: 'button', onclick: () => act(() => api('POST', `/tasks/${t.task_id}/complete`), 'Marked done') }, 'Mark done') : '')));
  return [h('h1', {}, 'My tasks'),
    rows.length ? h('table', {}, h('thead', {}, h('tr', {}, ['What', 'Work Register', 'Details', ''].map((c) => h('th', { scope: 'col' }, c)))), h('tbody', {}, rows))
      : h('p', {}, 'Nothing waits for you.')];
}
