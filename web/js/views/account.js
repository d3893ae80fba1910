// entente web application: a person's own access (issue 24): the link of an
// invitation or a password reset, "forgot password", and the account page:
// password, sessions, two-factor sign-in, the download of one's data.
import { api, Problem, session } from '../api.js';
import { field, h, input } from '../dom.js';
import { act, confirmed, fail, flash, flashAfterNavigation } from '../ui.js';

const when = (iso) => (iso ? String(iso).replace('T', ' ').replace('Z', ' UTC') : '');
const newPassword = () => input('password', '', { type: 'password', autocomplete: 'new-password', required: true, minlength: 12 });
const passwordHelp = 'At least 12 characters; a few unrelated words make a good one. Common passwords are refused.';


// The link of a mail (#/welcome/TOKEN, #/reset/TOKEN): what it is for, then
// the password; a used or expired link says so and what to do.
export async function linkView(token) {
  let info;
  try {
    info = (await api('POST', '/account-links/check', { token })).json;
  } catch (e) {
    if (!(e instanceof Problem) || (e.status !== 410 && e.status !== 404)) throw e;
    return [h('h1', {}, 'This link no longer works'), h('p', { class: 'msg error' }, e.body.detail || e.describe()),
      h('p', {}, h('a', { href: '#/forgot' }, 'Ask for a new password link'), ' or ', h('a', { href: '#/login' }, 'sign in'), '.')];
  }
  const pw = newPassword(), again = input('password_again', '', { type: 'password', autocomplete: 'new-password', required: true });
  const invited = info.purpose === 'invitation';
  const form = h('form', {
    class: 'card',
    onsubmit: async (ev) => {
      ev.preventDefault();
      if (pw.value !== again.value) { flash('The two passwords differ: type the same one twice', 'error'); again.focus(); return; }
      try {
        await api('POST', '/account-links/use', { token, password: pw.value });
        flashAfterNavigation(invited ? 'Welcome: your password is chosen; sign in with it' : 'Your password is changed; sign in with it');
        location.hash = '#/login';
      } catch (e) { fail(e); pw.focus(); }
    },
  }, field('New password', pw, passwordHelp), field('The same password again', again),
  h('p', {}, h('button', { type: 'submit' }, invited ? 'Choose my password' : 'Change my password')));
  return [h('h1', {}, invited ? `Welcome, ${info.name}` : 'Choose a new password'),
    h('p', {}, invited ? `Your account is ${info.email}. Choose a password to sign in; this link works once, until ${when(info.expires_at)}.`
      : `For ${info.email}. This link works once, until ${when(info.expires_at)}; every session signed in with the old password ends.`),
    form];
}

export function forgotView() {
  const email = input('email', '', { type: 'email', autocomplete: 'username', required: true });
  const out = h('p', { role: 'status' });
  const form = h('form', {
    class: 'card',
    onsubmit: async (ev) => {
      ev.preventDefault();
      try {
        const { json } = await api('POST', '/password-resets', { email: email.value });
        out.textContent = json.note;
      } catch (e) { fail(e); }
    },
  }, field('E-mail', email), h('p', {}, h('button', { type: 'submit' }, 'Send me a link')));
  return [h('h1', {}, 'Forgot your password'), h('p', {}, 'A link to choose a new password goes to your address, valid for one hour.'), form, out,
    h('p', {}, h('a', { href: '#/login' }, 'Back to sign in'))];
}

// The QR code the server drew (an SVG of rectangles and one path), taken
// into the page as elements after a check that it is nothing else.
function qrNode(svgText) {
  const doc = new DOMParser().parseFromString(svgText, 'image/svg+xml');
  const root = doc.documentElement;
  const ok = root.nodeName === 'svg' && [...root.querySelectorAll('*')].every((n) => ['rect', 'path'].includes(n.nodeName));
  return ok ? document.importNode(root, true) : h('p', {}, 'The QR code could not be shown: type the key instead.');
}

function passwordCard() {
  const cur = input('current_password', '', { type: 'password', autocomplete: 'current-password', required: true });
  const pw = newPassword();
  return h('form', {
    class: 'card', 'aria-label': 'Password',
    onsubmit: (ev) => {
      ev.preventDefault();
      act(() => api('POST', '/me/password', { current_password: cur.value, password: pw.value }), 'Password changed; your other sessions were ended');
    },
  }, h('h2', {}, 'Password'), field('Current password', cur), field('New password', pw, passwordHelp),
  h('p', {}, h('button', { type: 'submit' }, 'Change my password')));
}

function sessionsCard(items) {
  return h('section', { class: 'card', 'aria-label': 'Sessions' }, h('h2', {}, 'Where you are signed in'),
    h('table', {}, h('thead', {}, h('tr', {}, ['Browser', 'Address', 'Signed in', 'Last used', ''].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, items.map((s) => h('tr', {}, h('td', {}, s.browser, s.current ? h('strong', {}, ' (this one)') : ''), h('td', {}, s.address),
        h('td', {}, when(s.created_at)), h('td', {}, when(s.last_used_at)),
        h('td', {}, h('button', {
          type: 'button', class: 'secondary',
          onclick: async () => {
            if (!(await confirmed(`End the session of ${s.browser} (${s.address})? That browser is signed out at once.`))) return;
            act(async () => { await api('DELETE', `/me/sessions/${s.id}`); if (s.current) { session.me = null; location.hash = '#/login'; } }, 'Session ended');
          },
        }, `End session ${s.id}`)))))));
}

function twoFactorCard(me) {
  const card = h('section', { class: 'card', 'aria-label': 'Two-factor sign-in' }, h('h2', {}, 'Two-factor sign-in'));
  const showCodes = (codes, note) => card.append(h('p', {}, note), h('ol', { class: 'codes' }, codes.map((c) => h('li', {}, h('code', {}, c)))));
  if (!me.two_factor) {
    card.append(h('p', {}, 'Off. With it on, signing in also asks for a code of an authenticator app on your phone.'),
      h('p', {}, h('button', {
        type: 'button',
        onclick: async () => {
          try {
            const { json } = await api('POST', '/me/two-factor');
            const code = input('code', '', { inputmode: 'numeric', autocomplete: 'one-time-code', required: true, pattern: '[0-9 ]{6,7}' });
            card.replaceChildren(h('h2', {}, 'Two-factor sign-in'), h('p', {}, json.note), h('figure', {}, qrNode(json.qr_svg),
              h('figcaption', {}, 'Or type the key: ', h('code', {}, json.secret))),
            h('form', {
              onsubmit: async (ev) => {
                ev.preventDefault();
                try {
                  const { json: on } = await api('POST', '/me/two-factor/confirm', { code: code.value });
                  card.replaceChildren(h('h2', {}, 'Two-factor sign-in is on'));
                  showCodes(on.recovery_codes, on.note);
                  flash('Two-factor sign-in is on: keep the recovery codes somewhere safe');
                } catch (e) { fail(e); code.focus(); }
              },
            }, field('The code the app shows now', code), h('p', {}, h('button', { type: 'submit' }, 'Turn two-factor sign-in on'))));
          } catch (e) { fail(e); }
        },
      }, 'Set up two-factor sign-in')));
    return card;
  }
  const pw = input('password', '', { type: 'password', autocomplete: 'current-password', required: true });
  card.append(h('p', {}, 'On: signing in asks for a code of your authenticator app, or one of your recovery codes.'),
    field('Your password, to change this', pw),
    h('p', {}, h('button', {
      type: 'button', class: 'secondary',
      onclick: async () => {
        if (!(await confirmed('Make new recovery codes? The ones you have stop working.'))) return;
        try { const { json } = await api('POST', '/me/two-factor/recovery-codes', { password: pw.value }); showCodes(json.recovery_codes, json.note); } catch (e) { fail(e); }
      },
    }, 'Make new recovery codes'), ' ', h('button', {
      type: 'button', class: 'secondary',
      onclick: async () => {
        if (!(await confirmed('Turn two-factor sign-in off? Your password alone will then sign you in, and your recovery codes stop working.'))) return;
        act(() => api('POST', '/me/two-factor/disable', { password: pw.value }), 'Two-factor sign-in is off');
      },
    }, 'Turn two-factor sign-in off')));
  return card;
}

function dataCard() {
  return h('section', { class: 'card', 'aria-label': 'Your data' }, h('h2', {}, 'What entente holds about you'),
    h('p', {}, 'Your record, offices and seats, sessions, votes, comments and the actions you took, as one JSON file.'),
    h('p', {}, h('button', {
      type: 'button', class: 'secondary',
      onclick: async () => {
        try {
          const { json } = await api('GET', '/me/export');
          const a = h('a', { href: URL.createObjectURL(new Blob([JSON.stringify(json, null, 1)], { type: 'application/json' })), download: 'entente-my-data.json' });
          document.body.append(a); a.click(); a.remove();
        } catch (e) { fail(e); }
      },
    }, 'Download my data')));
}

export async function accountView() {
  const [{ json: me }, { json: sessions }] = await Promise.all([api('GET', '/me'), api('GET', '/me/sessions')]);
  const need = session.twoFactorRequired
    ? h('p', { class: 'msg error' }, 'Your role requires two-factor sign-in: set it up below before anything else.') : null;
  return [h('h1', {}, 'My account'), need, twoFactorCard(me), passwordCard(), sessionsCard(sessions.items), dataCard()];
}
