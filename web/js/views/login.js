// entente web application: signing in, with a second factor when the
// person has one (issue 24): the code field appears when the server asks.
import { api, Problem, session } from '../api.js';
import { field, h, input } from '../dom.js';
import { fail, flash, loadMe, takeReturn } from '../ui.js';

export function loginView() {
  const email = input('email', '', { type: 'email', autocomplete: 'username', required: true });
  const password = input('password', '', { type: 'password', autocomplete: 'current-password', required: true });
  const code = input('code', '', { inputmode: 'numeric', autocomplete: 'one-time-code' });
  const codeField = field('Code of your authenticator app (or a recovery code)', code);
  codeField.hidden = true;
  const form = h('form', {
    onsubmit: async (ev) => {
      ev.preventDefault();
      const body = { email: email.value, password: password.value };
      if (!codeField.hidden && code.value) body.code = code.value;
      try {
        const { json } = await api('POST', '/session', body);
        session.csrf = json.csrf_token;
        session.twoFactorRequired = json.two_factor_required;
        await loadMe();
        flash('');
        location.hash = json.two_factor_required ? '#/account' : takeReturn() || '#/';
      } catch (e) {
        if (e instanceof Problem && e.status === 401 && e.body.field === 'code') {
          codeField.hidden = false;
          flash(code.value ? e.describe() : 'Enter the code your authenticator app shows', code.value ? 'error' : 'info');
          code.value = '';
          code.focus();
          return;
        }
        fail(e);
      }
    },
  }, field('E-mail', email), field('Password', password), codeField, h('p', {}, h('button', { type: 'submit' }, 'Sign in')),
  h('p', {}, h('a', { href: '#/forgot' }, 'Forgot your password?')));
  return [h('h1', {}, 'Sign in'), form];
}
