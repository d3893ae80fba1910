// entente web application: a person's own preferences: how notifications
// reach them (each at once, or one daily digest) and the secret address of
// their calendar feed (issue 10).
import { api } from '../api.js';
import { field, h } from '../dom.js';
import { act, flash } from '../ui.js';

export async function preferencesView() {
  const { json: me } = await api('GET', '/me');
  const choice = (value, label) => h('label', { class: 'choice' },
    h('input', { type: 'radio', name: 'mail_mode', value, checked: me.mail_mode === value || null }), ` ${label}`);
  const form = h('form', {
    class: 'card', 'aria-label': 'Notifications',
    onsubmit: (ev) => {
      ev.preventDefault();
      const mode = form.querySelector('input[name="mail_mode"]:checked')?.value;
      act(() => api('PATCH', '/me', { mail_mode: mode }), mode === 'daily' ? 'Saved: one digest a day' : 'Saved: each notification at once');
    },
  }, h('h2', {}, 'Notifications by e-mail'),
  h('fieldset', {}, h('legend', {}, 'How should notifications reach you?'),
    choice('immediate', 'Each one at once'), choice('daily', 'One digest a day')),
  h('p', {}, h('button', { type: 'submit' }, 'Save my preference')));
  const address = h('output', { id: 'calendar-url' });
  const calendar = h('section', { class: 'card', 'aria-label': 'Calendar' },
    h('h2', {}, 'Your calendar'),
    h('p', {}, 'Ballot deadlines, review dates, milestones and joint meetings, in any calendar application (iCalendar). ',
      me.has_calendar ? 'You have an address; making a new one ends the old one.' : 'You have no address yet.'),
    h('p', {}, h('button', {
      type: 'button',
      onclick: async () => {
        try {
          const { json } = await api('POST', '/me/calendar');
          address.value = new URL(json.url, location.origin).href;
          flash('A new calendar address: keep it secret');
        } catch (e) { flash(e.describe ? e.describe() : String(e), 'error'); }
      },
    }, me.has_calendar ? 'Make a new calendar address' : 'Make my calendar address')),
    field('The address (shown once)', address));
  return [h('h1', {}, 'Preferences'), form, calendar];
}
