// The parts of the web application a demanding user leans on: a stale edit
// shown as a conflict with nothing lost, a vote and its change, a refused
// action with its rule, and no serious accessibility violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, pageAs, signIn, shot, axe } from './server.mjs';

let srv, browser;
before(async () => { srv = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.stop(); });

const withPage = (email, name, fn, viewport) => pageAs(browser, srv, email, name, fn, viewport);

test('a stale edit shows the conflict and loses nothing', async () => {
  const owner = await signIn(browser, srv, 'owner@dmtf.example');
  const sam = await signIn(browser, srv, 'sam@snia.example');
  try {
    await owner.goto(srv.url + '/#/wr/1/edit');
    await sam.goto(srv.url + '/#/wr/1/edit');
    await owner.getByLabel('Benefits').fill('The owner saved this first.');
    await owner.getByRole('button', { name: 'Save' }).click();
    await owner.getByText('Saved', { exact: true }).waitFor();
    await sam.getByLabel('Benefits').fill('Sam typed this on the old version.');
    await sam.getByRole('button', { name: 'Save' }).click();
    const conflict = sam.getByRole('region', { name: 'Edit conflict' });
    await conflict.waitFor();
    await sam.getByText(/Precondition failed.*\[rule R13\]/).waitFor();
    await conflict.getByText('The owner saved this first.').waitFor();
    await conflict.getByText('Sam typed this on the old version.').waitFor();
    assert.equal(await sam.getByLabel('Benefits').inputValue(), 'Sam typed this on the old version.');
    await sam.getByRole('button', { name: 'Save mine over the new version' }).click();
    await sam.getByText('Saved', { exact: true }).waitFor();
    await sam.goto(srv.url + '/#/wr/1');
    await sam.getByText('Sam typed this on the old version.').waitFor();
  } catch (e) { await shot(sam, 'conflict-sam'); await shot(owner, 'conflict-owner'); throw e; } finally {
    await owner.context().close();
    await sam.context().close();
  }
});

test("no script from a partner's text ever runs", async () => {
  const wr = await srv.as('sam@snia.example', 'GET', '/work-registers/1');
  const r = await fetch(srv.url + '/api/v1/work-registers/1', {
    method: 'PATCH',
    headers: { Authorization: `Bearer ${srv.token('sam@snia.example')}`, 'Content-Type': 'application/json', 'If-Match': `"rev-${wr.json.revision}"` },
    body: JSON.stringify({ scope: 'Scope <script>window.pwned = 1</script> <img src=x onerror="window.pwned = 2"> [click](javascript:window.pwned=3) **bold**' }),
  });
  assert.equal(r.status, 200);
  await withPage('owner@dmtf.example', 'xss', async (page) => {
    await page.goto(srv.url + '/#/wr/1');
    await page.locator('article strong').filter({ hasText: 'bold' }).waitFor();
    assert.equal(await page.evaluate(() => window.pwned), undefined);
    assert.equal(await page.locator('article script').count(), 0);
    assert.equal(await page.locator('article a[href^="javascript"]').count(), 0);
  });
});

test("the VP assigns the owner of the partner's proposal", async () => {
  // issue 25: a step that is not the person's is not offered at all (R11: the VP's)
  await withPage('owner@dmtf.example', 'assign-refused', async (page) => {
    await page.goto(srv.url + '/#/wr/2');
    await page.getByRole('heading', { name: 'Next steps' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'assign owner' }).count(), 0);
    // and the server refuses it all the same, citing R11
    const r = await srv.as('owner@dmtf.example', 'POST', '/work-registers/2/assign-owner', { owner_id: 1 });
    assert.equal(r.status, 403);
    assert.equal(r.json.rule, 'R11');
  });
  await withPage('vp@dmtf.example', 'assign', async (page) => {
    await page.goto(srv.url + '/#/wr/2');
    // only active Alliance Committee members are offered (R1): not Theo Tran, not the administrator
    await page.getByLabel('Owner (an Alliance Committee member, R1)').waitFor();
    const offered = await page.getByLabel('Owner (an Alliance Committee member, R1)').locator('option').allTextContents();
    assert.deepEqual(offered.sort(), ['Carla Chen', 'Owen Ortiz', 'Vera Vance']);
    await page.getByLabel('Owner (an Alliance Committee member, R1)').selectOption({ label: 'Owen Ortiz' });
    await page.getByRole('button', { name: 'assign owner' }).click();
    await page.getByText('Done: assign owner').waitFor();
    await page.locator('.facts .status').filter({ hasText: 'drafting' }).waitFor();
  });
});

test('a step not yours is not offered; a refused change names its field and rule', async () => {
  await withPage('sam@snia.example', 'refused', async (page) => {
    await page.goto(srv.url + '/#/wr/1');
    await page.getByRole('heading', { name: 'Next steps' }).waitFor();
    // issue 25: the owner's step is not offered to the partner's representative
    assert.equal(await page.getByRole('button', { name: 'socialize', exact: true }).count(), 0);
    // and a refused change names its field and rule
    await page.goto(srv.url + '/#/wr/1/standards');
    await page.getByLabel('AP identifier').fill('no-dsp-number');
    await page.getByLabel('Description').fill('A DMTF-owned profile');
    await page.getByLabel('Information management domain').fill('Storage');
    await page.getByLabel('Lead organization').fill('SNIA');
    await page.getByRole('button', { name: 'Add the row' }).click();
    await page.getByText(/DSP number.*field: ap_id.*\[rule R38\]/).waitFor();
  });
});

test('a vote and its change, with the tally and who voted how', async () => {
  const r = await srv.as('owner@dmtf.example', 'POST', '/work-registers/1/socialize', {});
  assert.equal(r.status, 200);
  assert.equal((await srv.as('owner@dmtf.example', 'POST', '/work-registers/1/submit', {})).status, 200);
  await withPage('chair@dmtf.example', 'vote', async (page) => {
    await page.getByRole('link', { name: 'Open the ballot' }).first().click();
    await page.getByRole('radio', { name: 'no' }).check();
    await page.getByRole('button', { name: 'Vote' }).click();
    await page.getByText(/a no vote carries a comment.*field: comment/).waitFor();
    await page.getByLabel('Comment (a no says what must change)').fill('Dates are too early');
    await page.getByRole('button', { name: 'Vote' }).click();
    await page.getByText('Vote cast: keep your receipt').waitFor();
    await page.getByText('Your vote: no. You may change it until the ballot closes.').waitFor();
    await page.getByRole('radio', { name: 'yes' }).check();
    await page.getByRole('button', { name: 'Change my vote' }).click();
    await page.getByText('Vote changed: keep your new receipt').waitFor();
    await page.getByRole('img', { name: /Tally: 1 yes, 0 no, 0 abstain of 3 eligible/ }).waitFor();
    await page.getByRole('table').getByText('Dates are too early').waitFor(); // the body sees who voted how
  });
});

test('no serious accessibility violation, on a laptop and a phone', async () => {
  for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
    await withPage('vp@dmtf.example', `a11y-${viewport.width}`, async (page) => {
      for (const hash of ['#/', '#/wrs', '#/wrs?due=1', '#/wr/1', '#/wr/1/standards', '#/wr/1/milestones', '#/wr/1/versions', '#/wr/2', '#/ballots',
        '#/change-requests', '#/change-requests/new', '#/change-request/1', '#/meetings', '#/meeting/1', '#/overlaps', '#/preferences', '#/nothing-here']) {
        await page.goto(srv.url + '/' + hash);
        await page.locator('main h1').first().waitFor();
        assert.deepEqual(await axe(page), [], hash);
      }
    }, viewport);
  }
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  try {
    await page.goto(srv.url + '/#/login');
    await page.getByLabel('E-mail').fill('admin@localhost');
    await page.getByLabel('Password').fill(srv.adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'My tasks' }).waitFor();
    for (const tab of ['organizations', 'people', 'bodies', 'types', 'standards', 'mail', 'settings']) {
      await page.goto(`${srv.url}/#/admin/${tab}`);
      await page.getByRole('heading', { name: 'Administration' }).waitFor();
      assert.deepEqual(await axe(page), [], tab);
    }
    // the mail preview: what would be sent, with no mail server (the demo meeting's announcement, R46)
    await page.goto(`${srv.url}/#/admin/mail`);
    await page.getByText('Joint meeting: DSP0004 qualifier flavors with SNIA').first().waitFor();
    await page.locator('.delivery-queued').first().waitFor(); // its delivery state: no mail server here
    // administration: a body's ballot rules
    await page.goto(`${srv.url}/#/admin/bodies`);
    const rules = page.getByRole('form', { name: 'Ballot rules of Alliance Committee' });
    await rules.getByLabel('Ballot days').fill('21');
    await rules.getByRole('button', { name: 'Save rules of Alliance Committee' }).click();
    await page.getByText('Ballot rules saved').waitFor();
    const body = await srv.admin('GET', '/bodies/3');
    assert.equal(body.json.ballot_days, 21);
  } catch (e) { await shot(page, 'admin'); throw e; } finally { await ctx.close(); }
});
