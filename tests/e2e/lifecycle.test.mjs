// The whole lifecycle clicked through in Debian's chromium, as each role:
// proposal (demo WR 1, SNIA's complete draft) to establishment, then the
// public site and its feed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, signIn, shot, axe } from './server.mjs';

// the day the Board's ballot closes in this run, and so its resolution's date (R7)
const approvalDate = new Date().toISOString().slice(0, 10);

let srv, browser;
before(async () => { srv = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.stop(); });

async function as(email, hash, fn, name) {
  if (process.env.E2E_DEBUG) console.error('as', email, hash);
  const page = await signIn(browser, srv, email);
  try {
    if (hash) await page.goto(srv.url + '/' + hash);
    await fn(page);
  } catch (e) {
    await shot(page, name || email);
    throw e;
  } finally {
    await page.context().close();
  }
}

const statusIs = async (page, st) => page.locator('.facts .status').first().filter({ hasText: st }).waitFor();

// A step; one that cannot be undone asks first (issue 25): the dialog
// names it and what will happen, and yes takes it.
async function step(page, name, yes, consequence) {
  await page.getByRole('button', { name, exact: true }).click();
  if (yes) {
    const ask = page.getByRole('dialog');
    if (consequence) await ask.getByText(consequence).waitFor();
    await ask.getByRole('button', { name: yes }).click();
  }
  await page.getByText(`Done: ${name}`).waitFor();
}

async function voteYes(email, wr, committee) {
  await as(email, '#/', async (page) => {
    await page.getByRole('link', { name: 'Open the ballot' }).first().click();
    await page.getByRole('heading', { name: /Ballot \d+/ }).waitFor();
    await page.getByRole('radio', { name: 'yes' }).check();
    await page.getByRole('button', { name: 'Vote' }).click();
    await page.getByText('Vote cast: keep your receipt').waitFor();
  }, `vote-${email}-${committee}`);
}

test('from proposal to establishment, as each role', async () => {
  await as('owner@dmtf.example', '#/wr/1', async (page) => {
    await statusIs(page, 'drafting');
    await step(page, 'socialize', 'Yes, send the draft to the committees', /chairs of every involved committee/);
    await statusIs(page, 'socialization');
  });
  await as('tc@dmtf.example', '#/wr/1/comments', async (page) => {
    await page.getByLabel('Comment', { exact: true }).fill('Please give the working group until June.');
    await page.getByLabel('On behalf of').selectOption({ label: 'Technical Committee' });
    await page.getByRole('button', { name: 'Add the comment' }).click();
    await page.getByText('Comment added').waitFor();
  });
  await as('owner@dmtf.example', '#/wr/1/comments', async (page) => {
    // submitting with an open comment is refused: the button says why, with its rule
    await page.goto(srv.url + '/#/wr/1');
    const submit = page.getByRole('button', { name: 'submit', exact: true });
    assert.equal(await submit.isDisabled(), true);
    await page.locator('#why-wr\\.submit').filter({ hasText: 'close out every comment' }).filter({ hasText: 'R16' }).waitFor();
    await page.goto(srv.url + '/#/wr/1/comments');
    await page.getByLabel('Reason for comment 1').fill('June it is');
    await page.getByRole('button', { name: 'Accept comment 1' }).click();
    await page.getByText('Comment accepted').waitFor();
    await page.goto(srv.url + '/#/wr/1');
    await step(page, 'submit', "Yes, submit the draft to the Originating Committee's ballot");
    await statusIs(page, 'committee ballots');
  });
  for (const voter of ['chair@dmtf.example', 'vp@dmtf.example', 'owner@dmtf.example']) await voteYes(voter, 1, 'alliance');
  await as('tc@dmtf.example', '#/wr/1', async (page) => {
    await page.getByLabel('Committee', { exact: true }).selectOption({ label: 'Technical Committee' });
    await page.getByRole('button', { name: 'open ballot' }).click();
    await page.getByRole('dialog').getByRole('button', { name: "Yes, open this committee's ballot" }).click();
    await page.getByText('Done: open ballot').waitFor();
  });
  for (const voter of ['tc@dmtf.example', 'owner@dmtf.example']) await voteYes(voter, 1, 'technical');
  await as('board@dmtf.example', '#/wr/1', async (page) => {
    await statusIs(page, 'Approved by the committees');
    await step(page, 'schedule board', "Yes, schedule the Board's ballot");
  });
  for (const voter of ['board@dmtf.example', 'vp@dmtf.example']) await voteYes(voter, 1, 'board');
  await as('vp@dmtf.example', '#/wr/1', async (page) => {
    await statusIs(page, 'Approved by the Board');
    await page.getByLabel('Board resolution').fill('RESOLVED, that the Board approves the SNIA Work Register.');
    // the Board's ballot closed today: its resolution is dated no earlier (R7)
    await page.getByLabel('Date of approval (YYYY-MM-DD)').fill(approvalDate);
    await page.getByRole('button', { name: 'record resolution' }).click();
    await page.getByText('Done: record resolution').waitFor();
  });
  await as('owner@dmtf.example', '#/wr/1', async (page) => {
    await step(page, 'send to partner', 'Yes, send the approved Work Register to the partner', /cannot be undone/);
    await statusIs(page, 'Sent to the partner');
  });
  await as('sam@snia.example', '#/', async (page) => {
    await page.getByRole('region', { name: /Needs you/ }).getByRole('link', { name: 'SNIA and DMTF: storage management standards' }).click();
    await step(page, 'accept', 'Yes, accept the Work Register for the partner', /established in the partner's name/);
    await statusIs(page, 'established');
    // Table 1 now changes through change control (R22, R28): a row, proposed as an amendment
    await page.goto(srv.url + '/#/wr/1/amendments');
    await page.getByLabel('Class').selectOption('deliverables');
    await page.getByLabel('Summary', { exact: true }).fill('A disk profile');
    await page.getByLabel('New row: AP identifier').fill('snia-disk-profile');
    await page.getByLabel('New row: Description').fill('Disk drive profile');
    await page.getByLabel('New row: Information management domain').fill('Storage');
    await page.getByLabel('New row: Lead organization').fill('SNIA');
    await page.getByLabel('New row: Governing IP policy').selectOption({ label: 'SNIA' });
    await page.getByLabel('New row: Owning organization').selectOption({ label: 'SNIA' });
    await page.getByLabel('New row: Maintaining organization').selectOption({ label: 'SNIA' });
    // and the group row becomes discrete rows (R39), the group kept as history once approved
    await page.getByLabel('Group row').selectOption({ label: 'Storage Device Profiles: Profile group' });
    await page.getByLabel(/Discrete rows, one per line/).fill('snia-array | Array profile\nsnia-switch | Switch profile');
    await page.getByRole('button', { name: 'Propose the amendment' }).click();
    await page.getByText('Amendment proposed').waitFor();
    await page.getByText(/\(deliverable adjustment\): A disk profile/).waitFor(); // the class in words (issue 25)
    const wr = await srv.as('sam@snia.example', 'GET', '/work-registers/1');
    assert.equal(wr.json.standards.some((r) => r.ap_id === 'snia-disk-profile'), false); // not before its approvals
    const am = await srv.as('sam@snia.example', 'GET', '/work-registers/1/amendments');
    const rows = am.json.items.at(-1).changes.standards.replace[0].rows;
    assert.deepEqual(rows.map((r) => [r.ap_id, r.description, r.kind]), [['snia-array', 'Array profile', 'delegated'], ['snia-switch', 'Switch profile', 'delegated']]);
  });
  // the public site, without JavaScript
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  try {
    await page.goto(srv.url + '/registers');
    await page.getByRole('link', { name: 'SNIA and DMTF: storage management standards' }).click();
    await page.getByText('RESOLVED, that the Board approves the SNIA Work Register.').waitFor();
    assert.equal(await page.getByText(approvalDate).count() > 0, true);
    const feed = await (await fetch(srv.url + '/registers/feed.atom')).text();
    assert.match(feed, /<entry><title>SNIA and DMTF: storage management standards 1\.0\.0<\/title>/); // established: 1.0.0 (R50)
    await page.getByRole('cell', { name: '1.0.0', exact: true }).waitFor(); // the change history's labels
    assert.match(feed, /accepted by the partner/);
  } catch (e) { await shot(page, 'public'); throw e; } finally { await ctx.close(); }
  // and its accessibility (axe needs script, the page does not)
  const ctx2 = await browser.newContext();
  const p2 = await ctx2.newPage();
  try {
    for (const path of ['/registers', '/registers/1']) {
      await p2.goto(srv.url + path);
      assert.deepEqual(await axe(p2), [], path);
    }
  } finally { await ctx2.close(); }
});
