// entente web application: a client of the JSON API, nothing more.
// Plain ES modules, no framework, no build step: js/api.js (the API
// client), js/dom.js (DOM helpers), js/ui.js (messages, actions, who is
// signed in) and one module per view under js/views/. Every text goes into
// the page through textContent; the only HTML inserted is Markdown rendered
// by the server (cmark, safe mode: no raw HTML, no javascript: links), and
// the CSP forbids inline scripts anyway.
import { loadWords, Problem, session } from './js/api.js';
import { h } from './js/dom.js';
import { fail, flash, loadMe, onRender, takePending, toSignIn } from './js/ui.js';
import { accountView, forgotView, linkView } from './js/views/account.js';
import { adminView } from './js/views/admin.js';
import { ballotListView, ballotView, receiptView } from './js/views/ballots.js';
import { crListView, crNewView, crView } from './js/views/feedback.js';
import { loginView } from './js/views/login.js';
import { meetingListView, meetingView } from './js/views/meetings.js';
import { notFoundView } from './js/views/notfound.js';
import { overlapsView } from './js/views/overlaps.js';
import { preferencesView } from './js/views/preferences.js';
import { tasksView } from './js/views/tasks.js';
import { wrListView, wrNewView, wrView } from './js/views/wrs.js';

const view = () => document.getElementById('view');

// ---- the router: an address that matches nothing is "not found" ----
const routes = [
  [/^#\/login$/, loginView],
  [/^#\/(?:welcome|reset)\/([0-9a-f]{64})$/, linkView],
  [/^#\/forgot$/, forgotView],
  [/^#\/account$/, accountView],
  [/^#\/wrs\/new$/, wrNewView],
  [/^#\/wrs(\?.*)?$/, wrListView],
  [/^#\/wr\/(\d+)(?:\/(\w+))?(?:\?as_of=([\dTZ:-]+))?$/, (id, tab, asOf) => wrView(id, tab, asOf)],
  [/^#\/ballots$/, ballotListView],
  [/^#\/ballot\/(\d+)$/, ballotView],
  [/^#\/receipt$/, receiptView],
  [/^#\/change-requests\/new$/, crNewView],
  [/^#\/change-requests$/, crListView],
  [/^#\/change-request\/(\d+)$/, crView],
  [/^#\/meetings$/, meetingListView],
  [/^#\/overlaps$/, overlapsView],
  [/^#\/meeting\/(\d+)$/, meetingView],
  [/^#\/admin(?:\/(\w+))?(?:\?[\w=&]*)?$/, adminView],
  [/^#\/preferences$/, preferencesView],
  [/^(#\/?)?$/, tasksView],
];
let rendering = 0;
async function render() {
  const hash = location.hash || '#/';
  const mine = ++rendering;
  try {
    // the pages of one who is not signed in: sign in, a mail's link, forgot password
    if (!session.me && !/^#\/(login|forgot|welcome\/|reset\/)/.test(hash)) {
      try { await loadMe(); } catch { toSignIn(); return; }
    }
    if (session.me) await loadWords().catch(() => {}); // the states in words, for every page (kept; without them, the names)
    const route = routes.find(([r]) => r.test(hash));
    let content;
    if (!route) {
      content = notFoundView();
    } else {
      const parts = hash.match(route[0]).slice(1).filter((p) => p !== undefined && !String(p).startsWith('?'));
      try {
        content = await route[1](...parts);
      } catch (e) {
        if (!(e instanceof Problem) || e.status !== 404) throw e;
        content = notFoundView(e.describe()); // a record that does not exist, or is not yours to see
      }
    }
    if (mine !== rendering) return;
    view().replaceChildren(...[content].flat(Infinity).filter(Boolean));
    // a region that scrolls sideways (a wide table on a phone, the diagram) is reachable by keyboard
    for (const el of view().querySelectorAll('table, .diagram')) {
      if (el.scrollWidth > el.clientWidth + 1) {
        el.tabIndex = 0;
        if (!el.getAttribute('aria-label')) el.setAttribute('aria-label', el.classList.contains('diagram') ? 'Lifecycle diagram' : (el.querySelector('caption')?.textContent || 'Table'));
      }
    }
    const h1 = view().querySelector('h1');
    document.title = `${h1 ? h1.textContent + ' · ' : ''}entente`;
  } catch (e) {
    fail(e);
    if (mine === rendering) view().replaceChildren(h('h1', {}, 'Something went wrong'), h('p', {}, e instanceof Problem ? e.describe() : String(e)));
  }
}
onRender(render);
window.addEventListener('hashchange', () => { flash(takePending() || ''); render().then(() => view().focus()); });
render();
