// entente web application: signing in.
import { api, session } from '../api.js';
import { field, h, input } from '../dom.js';
import { fail, flash, loadMe } from '../ui.js';

export function loginView() {
  const email = input('email', '', { type: 'email', autocomplete: 'username', required: true });
  const password = input('password', '', { type: 'password', autocomplete: 'current-password', required: true });
  const form = h('form', {
    onsubmit: async (ev) => {
      ev.preventDefault();
      try {
        const { json } = await api('POST', '/session', { email: email.value, password: password.value });
        session.csrf = json.csrf_token;
        await loadMe();
        flash('');
        location.hash = '#/';
      } catch (e) { fail(e); }
    },
  }, field('E-mail', email), field('Password', password), h('p', {}, h('button', { type: 'submit' }, 'Sign in')));
  return [h('h1', {}, 'Sign in'), form];
}
