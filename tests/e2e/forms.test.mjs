// Issue 25, parts 4 and 6: a refused form says so at its top, with a link
// to the field, and beside the field (GOV.UK's error summary); people are
// picked by name, not by number; no default that is wrong for most; the
// meeting page reads on a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, pageAs, axe } from './server.mjs';

let srv, browser;
before(async () => { srv = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.stop(); });

const withPage = (email, name, fn, viewport) => pageAs(browser, srv, email, name, fn, viewport);

test('an error names its field at the top of the form and beside it; a person is picked by name', async () => {
  await withPage('admin@localhost', 'form-errors', async (page) => {
    await page.goto(`${srv.url}/#/admin/bodies`);
    const form = page.getByRole('form', { name: 'Add a member' }).or(page.locator('form').filter({ has: page.getByRole('heading', { name: 'Add a member' }) }));
    await form.getByLabel('Body').selectOption({ label: 'Technical Committee' });
    await form.getByRole('button', { name: 'Add a member' }).click();
    const summary = form.getByRole('alert');
    await summary.getByRole('heading', { name: 'There is a problem' }).waitFor();
    assert.equal(await summary.evaluate((el) => el === document.activeElement), true, 'the summary takes the focus');
    const person = form.getByLabel('Person');
    assert.equal(await person.getAttribute('aria-invalid'), 'true');
    const link = summary.getByRole('link', { name: /field: person_id/ });
    await link.click();
    assert.equal(await person.evaluate((el) => el === document.activeElement), true, 'the link leads to the field');
    const beside = form.locator(`#${await person.getAttribute('aria-describedby')}`);
    assert.ok((await beside.textContent()).length > 0);
    // picked by name
    await person.fill('Greta Green <greta@tgg.example>');
    await form.getByRole('button', { name: 'Add a member' }).click();
    await page.getByText('Saved').waitFor();
    assert.equal(await form.getByRole('alert').count(), 0);
  }, undefined);
  const bodies = (await srv.as('vp@dmtf.example', 'GET', '/bodies')).json.items;
  const tc = bodies.find((b) => b.name === 'Technical Committee');
  const members = (await srv.as('vp@dmtf.example', 'GET', `/bodies/${tc.id}/members?active=true`)).json.items;
  assert.ok(members.some((m) => m.person?.name === 'Greta Green'), 'Greta is a member now');
});

test('no wrong default: the organization of a new contact is chosen, not assumed', async () => {
  await withPage('admin@localhost', 'form-default', async (page) => {
    await page.goto(`${srv.url}/#/admin/people`);
    const form = page.locator('form').filter({ has: page.getByRole('heading', { name: 'Add a person without an account (a contact)' }) });
    assert.equal(await form.getByLabel('Organization').inputValue(), '');
  });
});

test('the meeting page reads on a phone', async () => {
  await withPage('tc@dmtf.example', 'meeting-phone', async (page) => {
    const meetings = (await srv.as('vp@dmtf.example', 'GET', '/meetings')).json.items;
    await page.goto(`${srv.url}/#/meeting/${meetings[0].id}`);
    await page.getByRole('heading', { name: 'The DMTF IP policy' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, `the page is ${await page.evaluate(() => document.documentElement.scrollWidth)} px wide`);
    assert.deepEqual(await axe(page), [], 'meeting page on a phone');
  }, { width: 360, height: 740 });
});

test('an amendment changes the contacts and milestones by name, never by number', async () => {
  const { execFileSync } = await import('node:child_process');
  execFileSync('sqlite3', [srv.db, "UPDATE work_registers SET status = 'established' WHERE id = 1"]);
  await withPage('sam@snia.example', 'amend-contacts', async (page) => {
    await page.goto(`${srv.url}/#/wr/1/amendments`);
    await page.getByLabel('Class').selectOption('contacts');
    await page.getByLabel('Summary', { exact: true }).fill('A technical contact');
    const contacts = page.getByLabel(/^One per line: name \| e-mail \| role/);
    assert.match(await contacts.inputValue(), /Sam Patel \| sam@snia\.example \| board_rep/); // today's, prefilled
    await contacts.fill(`${await contacts.inputValue()}\nPat Doe | pat@snia.example | technical`);
    const milestones = page.getByLabel(/^One per line: description \| committee/);
    assert.match(await milestones.inputValue(), /Storage schema submitted to DMTF \| Technical Committee \| Storage Management Working Group \| 2027-06-30/);
    await page.getByRole('button', { name: 'Propose the amendment' }).click();
    await page.getByText('Amendment proposed').waitFor();
    const item = page.locator('li.card').filter({ hasText: 'A technical contact' });
    await item.getByText(/\(contacts only\)/).waitFor();
    await item.getByText(/Still missing: the approval of Alliance Committee/).waitFor();
    assert.equal(await item.getByText(/body \d/).count(), 0); // names, not numbers
  });
  const a = (await srv.as('sam@snia.example', 'GET', '/work-registers/1/amendments')).json.items.at(-1);
  assert.deepEqual(a.changes.contacts.map((c) => c.email).sort(), ['pat@snia.example', 'press@snia.example', 'sam@snia.example']);
  assert.equal(a.changes.milestones, undefined); // unchanged: not sent
});

test('every page reads at 360 px without sideways scrolling', async () => {
  const pages = {
    'vp@dmtf.example': ['#/', '#/wrs', '#/wrs/new', '#/wr/1', '#/wr/1/edit', '#/wr/1/standards', '#/wr/1/milestones', '#/wr/1/contacts',
      '#/wr/1/comments', '#/wr/1/ballots', '#/wr/1/versions', '#/wr/1/amendments', '#/wr/1/history', '#/wr/2', '#/ballots', '#/receipt',
      '#/change-requests', '#/change-requests/new', '#/change-request/1', '#/meetings', '#/meeting/1', '#/overlaps', '#/preferences', '#/account'],
    'admin@localhost': ['#/admin/organizations', '#/admin/people', '#/admin/bodies', '#/admin/officers', '#/admin/types', '#/admin/standards',
      '#/admin/mail', '#/admin/settings'],
  };
  for (const [email, hashes] of Object.entries(pages)) {
    await withPage(email, `narrow-${email}`, async (page) => {
      for (const hash of hashes) {
        await page.goto('about:blank'); // a fresh load each: the page measured is the one drawn for hash
        await page.goto(`${srv.url}/${hash}`);
        await page.locator('#view h1').first().waitFor();
        await page.waitForLoadState('networkidle');
        const wide = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(wide <= 360, `${hash} is ${wide} px wide at 360`);
      }
    }, { width: 360, height: 740 });
  }
});
