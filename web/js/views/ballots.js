// entente web application: ballots: the open ones, one with its tally and the vote, its chain of
// receipts, and the check of a receipt (issue 11).
import { all, api, session } from '../api.js';
import { field, h, s, statusBadge, textarea } from '../dom.js';
import { act, fail, flash } from '../ui.js';

// The receipt of the vote cast from this page, by ballot: kept in memory
// only, for it says how the person voted; they copy it to keep it.
const receipts = {};

export async function ballotListView() {
  const items = await all('/ballots?status=open');
  return [h('h1', {}, 'Open ballots'), items.length ? h('ul', {}, items.map((b) => h('li', {}, h('a', { href: `#/ballot/${b.id}` }, `Ballot ${b.id}`), ` on Work Register ${b.wr_id} (${b.purpose})`))) : h('p', {}, 'No ballot is open.'),
    h('p', {}, h('a', { href: '#/receipt' }, 'Check a receipt of your vote'))];
}

function tallyChart(t) {
  const rows = [['yes', t.yes, '#1a7f37'], ['no', t.no, '#b42318'], ['abstain', t.abstain, '#8c959f']];
  const max = Math.max(1, t.eligible);
  return s('svg', { class: 'bars', viewBox: '0 0 420 100', role: 'img', 'aria-label': `Tally: ${t.yes} yes, ${t.no} no, ${t.abstain} abstain of ${t.eligible} eligible` },
    rows.map(([l, n, c], i) => s('g', {}, s('text', { x: 0, y: 22 + i * 30 }, l), s('rect', { x: 70, y: 8 + i * 30, width: Math.max(2, (n / max) * 300), height: 20, fill: c }), s('text', { x: 380, y: 22 + i * 30 }, String(n)))));
}

const verdicts = {
  counted: 'Your vote is counted as cast.',
  superseded: 'This vote was superseded by a later vote of yours; the later one is counted.',
  changed: 'Your vote is NOT in the chain as you cast it: it was changed.',
  missing: 'Your vote is NOT in the chain: it is missing.',
  'not proven': 'Your vote is in the chain, but the chain or its seal does not check out.',
  'altered receipt': 'This receipt was altered: its fields do not give its hash. Check the receipt as you got it.',
};

// The check of a receipt: the ballot's chain, its tally and its seal (the
// server runs the same check as `entente ballot verify-receipt`).
export function receiptCheck(ballotId) {
  const code = textarea('receipt', '', { rows: 3, spellcheck: 'false', 'aria-describedby': 'receipt-help' });
  const out = h('div', { 'aria-live': 'polite' });
  const check = async (ev) => {
    ev.preventDefault();
    const text = code.value.trim();
    const id = ballotId || (text.match(/^entente-receipt-1\.(\d+)\./) || [])[1];
    if (!id) return flash('A receipt begins with entente-receipt-1 and the ballot number (field: receipt)', 'error');
    let r;
    try { r = (await api('POST', `/ballots/${id}/receipt-check`, { receipt: text })).json; } catch (e) { return fail(e); }
    out.replaceChildren(h('section', { class: `card verdict ${r.ok ? 'ok' : 'bad'}`, 'aria-labelledby': 'verdict' },
      h('h3', { id: 'verdict' }, verdicts[r.verdict] || r.verdict),
      r.counted_entry ? h('p', {}, `Counted instead: entry ${r.counted_entry.seq} (${r.counted_entry.choice}).`) : null,
      r.problems.length ? h('ul', {}, r.problems.map((p) => h('li', {}, `${p.kind}: ${p.detail}`))) : null,
      h('p', {}, `Ballot ${id}: ${r.entries} entries in the chain, head `, h('code', {}, r.head), '.'),
      h('p', {}, `Tally from the chain: ${r.tally.yes} yes, ${r.tally.no} no, ${r.tally.abstain} abstain.`),
      h('p', {}, r.sealed ? ['Sealed: the head and the tally are signed with the key ', h('code', {}, r.seal.public_key), ` (${r.seal.signed_at?.replace('T', ' ').replace('Z', ' UTC')}).`]
        : 'Not sealed: the ballot is open, or the seal is not signed yet.')));
  };
  return h('form', { class: 'card', onsubmit: check, 'aria-labelledby': 'check-receipt' }, h('h2', { id: 'check-receipt' }, 'Check a receipt'),
    field('Receipt', code), h('p', { id: 'receipt-help', class: 'muted' }, 'The receipt you were given when you voted. To check without trusting this server, download the chain and run ',
      h('code', {}, 'entente ballot verify-receipt RECEIPT --chain FILE --public-key KEY'), '.'),
    h('p', {}, h('button', { type: 'submit' }, 'Check the receipt')), out);
}

export function receiptView() {
  return [h('h1', {}, 'Check a receipt of your vote'), h('p', {}, 'Each vote cast returns a receipt, chained to the votes before it. ',
    'When the ballot closes, the chain\'s head and the tally are signed. The check shows whether your final vote is counted as you cast it.'), receiptCheck(null)];
}

function chainSection(id, c) {
  const short = (t) => `${t.slice(0, 8)}…`;
  return h('section', { 'aria-labelledby': 'chain' }, h('h2', { id: 'chain' }, 'Chain of receipts'),
    h('p', { class: 'muted' }, 'Each vote in the order it was cast; a voter is a tag, the same for each of their votes in this ballot. A voter\'s last entry is the vote counted.',
      c.entries.some((e) => e.name) ? ' As a member of the body you also see the names.' : ''),
    h('table', {}, h('thead', {}, h('tr', {}, ['Entry', 'Voter', 'Vote', 'Receipt'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, c.entries.map((e) => h('tr', {}, h('td', {}, e.seq), h('td', {}, e.name ? `${e.name} (${short(e.voter_tag)})` : h('code', {}, short(e.voter_tag))),
        h('td', {}, e.choice), h('td', {}, h('code', { title: e.receipt }, short(e.receipt))))))),
    h('p', {}, c.seal?.signature ? ['Sealed at the close: ', `${c.seal.count} entries, head `, h('code', {}, c.seal.head), `, ${c.seal.yes} yes, ${c.seal.no} no, ${c.seal.abstain} abstain; signed with the key `, h('code', {}, c.seal.public_key), '.']
      : (c.status === 'open' ? 'The ballot is open: its chain is sealed when it closes.' : 'Closed; the seal waits for the server\'s signature.')),
    h('p', {}, h('a', { href: `/api/v1/ballots/${id}/receipts`, download: `ballot-${id}-receipts.json` }, 'Download the chain (JSON)')));
}

const fraction = (n, d) => ({ '1/2': 'a half', '2/3': 'two thirds', '3/4': 'three quarters', '1/1': 'all' }[`${n}/${d}`] || `${n}/${d}`);
const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

// Issue 25: where the ballot stands, in words: the deadline, the quorum,
// the majority ("needs 2 more yes for two thirds") and what closing now
// would give. The numbers are the server's (the tally's projection).
function standing(b, t) {
  const left = Math.ceil((new Date(b.deadline) - Date.now()) / 86400000);
  const lines = [];
  if (b.status === 'open') {
    lines.push(`Closes ${b.deadline.slice(0, 16).replace('T', ' ')} UTC${left > 1 ? `, in ${left} days` : left === 1 ? ', within a day' : ''}.`);
    lines.push(t.more_for_quorum ? `Quorum: ${t.quorum_needed} of ${t.eligible} voters must vote; ${plural(t.more_for_quorum, 'more vote is', 'more votes are')} needed.`
      : `Quorum reached: ${t.cast} of ${t.quorum_needed} needed have voted.`);
    const maj = `${fraction(b.majority_num, b.majority_den)} of the yes and no votes`;
    if (t.more_yes_for_majority === null) lines.push(`Majority (${maj}): a no stands in the way; it passes only if that vote changes.`);
    else if (t.more_yes_for_majority > 0) lines.push(`Majority (${maj}): needs ${plural(t.more_yes_for_majority, 'more yes', 'more yes')}${t.more_yes_for_majority > t.not_voted ? `, more than the ${t.not_voted} who have not voted: it passes only if votes change` : ''}.`);
    else lines.push(`Majority (${maj}): reached with ${t.yes} yes to ${t.no} no.`);
    lines.push(t.passed ? 'If it closed now, it would pass.' : 'If it closed now, it would fail.');
  } else {
    lines.push(`Closed ${String(b.closed_at || '').slice(0, 16).replace('T', ' ')} UTC: ${b.status}${b.closed_how ? ` (${b.closed_how})` : ''}.`);
  }
  return h('section', { class: 'card standing', 'aria-labelledby': 'standing' }, h('h2', { id: 'standing' }, 'Where it stands'), lines.map((l) => h('p', {}, l)));
}

// Issue 25: every voting member and their position (a no with its
// comment), who has not voted, for those who may see who voted how.
function grid(b, names) {
  const byPerson = Object.fromEntries((b.votes || []).map((v) => [v.person_id, v]));
  const rows = b.eligible.map((pid) => {
    const v = byPerson[pid];
    return h('tr', {}, h('th', { scope: 'row' }, v?.name || names[pid] || `person ${pid}`),
      h('td', {}, v ? h('span', { class: `status vote-${v.choice}` }, v.choice) : h('span', { class: 'status vote-none' }, 'not voted')),
      h('td', {}, v?.comment || ''));
  });
  return h('section', { 'aria-labelledby': 'who-voted' }, h('h2', { id: 'who-voted' }, 'Who voted how'),
    h('table', { class: 'grid' }, h('caption', { class: 'muted' }, `${b.votes.length} of ${b.eligible.length} have voted`),
      h('thead', {}, h('tr', {}, ['Voter', 'Position', 'Comment'].map((c) => h('th', { scope: 'col' }, c)))), h('tbody', {}, rows)));
}

// The receipt, to copy or download, and how to check it.
function receiptCard(id, mine) {
  const code = h('code', { class: 'receipt-code', id: 'receipt-code' }, mine.code);
  const copy = h('button', { type: 'button', class: 'secondary', onclick: async () => {
    try { await navigator.clipboard.writeText(mine.code); flash('Receipt copied'); } catch {
      const r = document.createRange(); r.selectNodeContents(code); getSelection().removeAllRanges(); getSelection().addRange(r);
      flash('Receipt selected: copy it with your keyboard');
    }
  } }, 'Copy the receipt');
  const url = URL.createObjectURL(new Blob([`${mine.code}\n`], { type: 'text/plain' }));
  return h('section', { class: 'card receipt', 'aria-labelledby': 'my-receipt' }, h('h2', { id: 'my-receipt' }, 'Your receipt'),
    h('p', {}, `Entry ${mine.seq} of the ballot's chain: ${mine.choice}. Keep this receipt: with it you can check, now or after the close, that your vote is counted as cast. It shows how you voted; it is not kept anywhere else on this page.`),
    h('p', {}, code), h('p', { class: 'buttons' }, copy, ' ', h('a', { class: 'button secondary', href: url, download: `ballot-${id}-receipt.txt` }, 'Download the receipt')),
    h('p', { class: 'muted' }, 'To check it: paste it under "Check a receipt" below, or, without trusting this server, download the chain and run ',
      h('code', {}, 'entente ballot verify-receipt RECEIPT --chain FILE --public-key KEY'), '.'));
}

export async function ballotView(id) {
  const [{ json: b }, { json: chain }] = await Promise.all([api('GET', `/ballots/${id}`), api('GET', `/ballots/${id}/receipts`)]);
  const names = b.votes ? Object.fromEntries((await all('/people').catch(() => [])).map((p) => [p.id, p.name])) : {};
  const t = b.tally || { yes: 0, no: 0, abstain: 0, eligible: b.eligible.length, cast: 0 };
  const eligible = b.eligible.includes(session.me.id);
  const open = b.status === 'open';
  const choice = b.my_vote?.choice;
  const radios = ['yes', 'no', 'abstain'].map((c) => h('label', {}, h('input', { type: 'radio', name: 'choice', value: c, checked: c === choice || null }), ` ${c}`));
  const comment = textarea('comment', b.my_vote?.comment || '');
  const mine = receipts[id];
  return [h('h1', {}, `Ballot ${b.id}`), h('p', {}, statusBadge(b.status, 'ballot'), ` ${b.purpose} ballot on `, h('a', { href: `#/wr/${b.wr_id}` }, b.wr_title || `Work Register ${b.wr_id}`),
    ` · quorum ${b.quorum_percent}% · majority ${b.majority_num}/${b.majority_den}`),
  standing(b, t),
  mine ? receiptCard(id, mine) : null,
  h('h2', {}, 'Tally'), tallyChart(t), h('p', {}, `${t.cast} of ${t.eligible} eligible voters voted.`),
  eligible && open ? h('form', {
    class: 'card',
    onsubmit: (ev) => {
      ev.preventDefault();
      const c = ev.target.querySelector('input[name=choice]:checked')?.value;
      if (!c) return flash('Choose yes, no or abstain', 'error');
      act(async () => { receipts[id] = (await api('POST', `/ballots/${id}/votes`, comment.value ? { choice: c, comment: comment.value } : { choice: c })).json.receipt; },
        choice ? 'Vote changed: keep your new receipt' : 'Vote cast: keep your receipt');
    },
  }, h('fieldset', {}, h('legend', {}, choice ? `Your vote: ${choice}. You may change it until the ballot closes.` : 'Your vote'), radios),
  field('Comment (a no says what must change)', comment), h('p', {}, h('button', { type: 'submit' }, choice ? 'Change my vote' : 'Vote'))) : null,
  b.votes ? grid(b, names) : null,
  chainSection(id, chain), receiptCheck(id)];
}
