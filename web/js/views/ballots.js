// entente web application: ballots: the open ones, one with its tally and the vote.
import { all, api, session } from '../api.js';
import { field, h, s, statusBadge, textarea } from '../dom.js';
import { act, flash } from '../ui.js';

export async function ballotListView() {
  const items = await all('/ballots?status=open');
  return [h('h1', {}, 'Open ballots'), items.length ? h('ul', {}, items.map((b) => h('li', {}, h('a', { href: `#/ballot/${b.id}` }, `Ballot ${b.id}`), ` on Work Register ${b.wr_id} (${b.purpose})`))) : h('p', {}, 'No ballot is open.')];
}

function tallyChart(t) {
  const rows = [['yes', t.yes, '#1a7f37'], ['no', t.no, '#b42318'], ['abstain', t.abstain, '#8c959f']];
  const max = Math.max(1, t.eligible);
  return s('svg', { class: 'bars', viewBox: '0 0 420 100', role: 'img', 'aria-label': `Tally: ${t.yes} yes, ${t.no} no, ${t.abstain} abstain of ${t.eligible} eligible` },
    rows.map(([l, n, c], i) => s('g', {}, s('text', { x: 0, y: 22 + i * 30 }, l), s('rect', { x: 70, y: 8 + i * 30, width: Math.max(2, (n / max) * 300), height: 20, fill: c }), s('text', { x: 380, y: 22 + i * 30 }, String(n)))));
}

export async function ballotView(id) {
  const { json: b } = await api('GET', `/ballots/${id}`);
  const t = b.tally || { yes: 0, no: 0, abstain: 0, eligible: b.eligible.length, cast: 0 };
  const eligible = b.eligible.includes(session.me.id);
  const open = b.status === 'open';
  const choice = b.my_vote?.choice;
  const radios = ['yes', 'no', 'abstain'].map((c) => h('label', {}, h('input', { type: 'radio', name: 'choice', value: c, checked: c === choice || null }), ` ${c}`));
  const comment = textarea('comment', b.my_vote?.comment || '');
  return [h('h1', {}, `Ballot ${b.id}`), h('p', {}, statusBadge(b.status), ` ${b.purpose} ballot on `, h('a', { href: `#/wr/${b.wr_id}` }, `Work Register ${b.wr_id}`),
    ` · closes ${new Date(b.deadline * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC · quorum ${b.quorum_percent}% · majority ${b.majority_num}/${b.majority_den}`),
  h('h2', {}, 'Tally'), tallyChart(t), h('p', {}, `${t.cast} of ${t.eligible} eligible voters voted.`, b.status !== 'open' ? ` Result: ${b.status}${b.closed_how ? ' (' + b.closed_how + ')' : ''}.` : ''),
  eligible && open ? h('form', {
    class: 'card',
    onsubmit: (ev) => {
      ev.preventDefault();
      const c = ev.target.querySelector('input[name=choice]:checked')?.value;
      if (!c) return flash('Choose yes, no or abstain', 'error');
      act(() => api('POST', `/ballots/${id}/votes`, comment.value ? { choice: c, comment: comment.value } : { choice: c }), choice ? 'Vote changed' : 'Vote cast');
    },
  }, h('fieldset', {}, h('legend', {}, choice ? `Your vote: ${choice}. You may change it until the ballot closes.` : 'Your vote'), radios),
  field('Comment (a no says what must change)', comment), h('p', {}, h('button', { type: 'submit' }, choice ? 'Change my vote' : 'Vote'))) : null,
  b.votes ? [h('h2', {}, 'Who voted how'), h('table', {}, h('thead', {}, h('tr', {}, ['Person', 'Vote', 'Comment'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, b.votes.map((v) => h('tr', {}, h('td', {}, v.name || v.person_id), h('td', {}, v.choice), h('td', {}, v.comment || '')))))] : null];
}
