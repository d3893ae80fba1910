// Issue 10 in the browser: a person's notification preference and their
// calendar address; the administrators' view of the outbox by delivery
// state, with a dead message sent again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, launch, pageAs } from './server.mjs';

let srv, browser;
before(async () => { srv = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.stop(); });

const withPage = (email, name, fn, viewport) => pageAs(browser, srv, email, name, fn, viewport);

test('a person chooses a daily digest and gets a calendar address', async () => {
  await withPage('owner@dmtf.example', 'preferences', async (page) => {
    await page.getByRole('link', { name: 'Preferences' }).click();
    await page.getByRole('heading', { name: 'Preferences' }).waitFor();
    assert.equal(await page.getByLabel('Each one at once').isChecked(), true);
    await page.getByLabel('One digest a day').check();
    await page.getByRole('button', { name: 'Save my preference' }).click();
    await page.getByText('Saved: one digest a day').waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Preferences' }).waitFor();
    assert.equal(await page.getByLabel('One digest a day').isChecked(), true);
    await page.getByRole('button', { name: 'Make my calendar address' }).click();
    await page.getByText('A new calendar address: keep it secret').waitFor();
    const url = await page.locator('#calendar-url').textContent();
    assert.match(url, /\/calendar\/[0-9a-f]{40}\.ics$/);
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/calendar/);
    assert.match(await res.text(), /BEGIN:VCALENDAR[\s\S]*END:VCALENDAR/);
  });
});

test('administrators see each message\'s delivery state and send a dead one again', async () => {
  // a delivery to a mail server that is not there, with a budget of one attempt: every message is dead
  try {
    execFileSync(process.env.ENTENTE_BIN || 'build/entente', ['--db', srv.db, 'outbox', 'deliver', '--smtp-url', 'smtp://127.0.0.1:9', '--mail-attempts', '1'], { stdio: 'ignore' });
  } catch { /* exit status 3: some are dead, as intended */ }
  await withPage('admin@localhost', 'mail-states', async (page) => {
    await page.goto(`${srv.url}/#/admin/mail`);
    await page.getByRole('navigation', { name: 'Messages by state' }).waitFor();
    await page.getByRole('link', { name: /^dead \(\d+\)$/ }).click();
    await page.locator('.delivery-dead').first().waitFor();
    await page.getByText(/Last error: .*onnect/).first().waitFor();
    const button = page.getByRole('button', { name: /^Send message \d+ again$/ }).first();
    const id = (await button.textContent()).match(/\d+/)[0];
    await button.click();
    await page.getByText('Queued again').waitFor();
    await page.goto(`${srv.url}/#/admin/mail?state=queued`);
    await page.getByRole('button', { name: `Send message ${id} again` }).waitFor({ state: 'detached' });
    const queued = await srv.admin('GET', '/outbox?state=queued');
    assert.ok(queued.json.items.some((m) => String(m.id) === id));
  });
});
