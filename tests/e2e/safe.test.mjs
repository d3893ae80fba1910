// Issue 25, parts 4 and 5, in the browser: a step that cannot be undone
// asks first and says what will happen (Cancel changes nothing); a double
// click posts once; a step that is not the person's is not offered as a
// button; a link opened before signing in is where sign-in lands.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, pageAs, shot } from './server.mjs';

let srv, browser;
before(async () => { srv = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.stop(); });

const withPage = (email, name, fn, viewport) => pageAs(browser, srv, email, name, fn, viewport);

// A WR in drafting: proposed by the VP with its owner (R11).
async function newWr(title) {
  const people = (await srv.as('vp@dmtf.example', 'GET', '/people?limit=200')).json.items;
  const owner = people.find((p) => p.email === 'owner@dmtf.example').id;
  const r = await srv.as('vp@dmtf.example', 'POST', '/work-registers', { partner_id: 2, title, owner_id: owner });
  assert.equal(r.status, 201);
  assert.equal(r.json.status, 'drafting');
  return r.json.id;
}

const statusOf = async (id) => (await srv.as('vp@dmtf.example', 'GET', `/work-registers/${id}`)).json.status;

test('a step that cannot be undone asks first; Cancel changes nothing', async () => {
  const id = await newWr('Asked before it ends');
  await withPage('vp@dmtf.example', 'safe-withdraw', async (page) => {
    await page.goto(`${srv.url}/#/wr/${id}`);
    await page.getByRole('button', { name: 'withdraw', exact: true }).click();
    const ask = page.getByRole('dialog', { name: 'Withdraw the proposal?' });
    await ask.getByText(/ends for good: it cannot be taken up again/).waitFor();
    // the safe answer has the focus: a stray Enter says no
    assert.equal(await ask.getByRole('button', { name: 'Cancel' }).evaluate((b) => b === document.activeElement), true);
    await ask.getByRole('button', { name: 'Cancel' }).click();
    await ask.waitFor({ state: 'detached' });
    assert.equal(await statusOf(id), await statusOf(id)); // read twice: settled
    assert.notEqual(await statusOf(id), 'withdrawn');
    // Escape says no as well
    await page.getByRole('button', { name: 'withdraw', exact: true }).click();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    assert.notEqual(await statusOf(id), 'withdrawn');
    // and yes takes the step
    await page.getByRole('button', { name: 'withdraw', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Yes, withdraw the proposal' }).click();
    await page.getByText('Done: withdraw').waitFor();
    assert.equal(await statusOf(id), 'withdrawn');
  });
});

test('a double click adds one comment', async () => {
  const id = await newWr('Clicked twice');
  const count = async () => (await srv.as('vp@dmtf.example', 'GET', `/work-registers/${id}/comments`)).json.items.length;
  const before = await count();
  await withPage('vp@dmtf.example', 'safe-double-click', async (page) => {
    await page.goto(`${srv.url}/#/wr/${id}/comments`);
    await page.getByLabel('Comment', { exact: true }).fill('Said once.');
    await page.getByRole('button', { name: 'Add the comment' }).dblclick();
    await page.getByText('Comment added').waitFor();
  });
  assert.equal(await count(), before + 1);
});

test('a step the server would refuse the person is not offered', async () => {
  const id = await newWr('Whose buttons');
  await withPage('sam@snia.example', 'safe-partner', async (page) => {
    await page.goto(`${srv.url}/#/wr/${id}`);
    await page.getByRole('heading', { name: 'Next steps' }).waitFor();
    // the partner's representative withdraws their WR (R10) ...
    await page.getByRole('button', { name: 'withdraw', exact: true }).waitFor();
    // ... but sends no draft to the committees and names no owner
    assert.equal(await page.getByRole('button', { name: 'socialize', exact: true }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'request call', exact: true }).count(), 0);
  });
  await withPage('vp@dmtf.example', 'safe-vp', async (page) => {
    await page.goto(`${srv.url}/#/wr/${id}`);
    // the VP's steps are there; one a rule refuses now stays, disabled, with its rule
    await page.getByRole('button', { name: 'request call', exact: true }).waitFor();
    const socialize = page.getByRole('button', { name: 'socialize', exact: true });
    assert.equal(await socialize.isDisabled(), true);
    await page.locator('#why-wr\\.socialize .rule').waitFor();
  });
});

test('the question fits a phone', async () => {
  const id = await newWr('Asked on a phone');
  await withPage('vp@dmtf.example', 'safe-phone', async (page) => {
    await page.goto(`${srv.url}/#/wr/${id}`);
    await page.getByRole('button', { name: 'withdraw', exact: true }).click();
    const ask = page.getByRole('dialog');
    await ask.getByRole('button', { name: 'Yes, withdraw the proposal' }).waitFor();
    const box = await ask.boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= 360, `the dialog spans ${box.x} to ${box.x + box.width}`);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= 360), true);
    await ask.getByRole('button', { name: 'Cancel' }).click();
  }, { width: 360, height: 740 });
});

// Issue 25, part 5: the link of a mail, opened before signing in, is
// where the person lands after signing in.
test('a deep link survives sign-in', async () => {
  const context = await browser.newContext();
  context.setDefaultTimeout(10000);
  const page = await context.newPage();
  try {
    await page.goto(`${srv.url}/#/wr/1/comments`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('E-mail').fill('owner@dmtf.example');
    await page.getByLabel('Password').fill('demo-alliance');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/#\/wr\/1\/comments$/);
    await page.getByRole('button', { name: 'Add the comment' }).waitFor();
    // once used, it is forgotten: the next sign-in starts at the home page
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('E-mail').fill('owner@dmtf.example');
    await page.getByLabel('Password').fill('demo-alliance');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'My tasks' }).waitFor();
  } catch (e) { await shot(page, 'deep-link'); throw e; } finally { await context.close(); }
});
