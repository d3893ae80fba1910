// Issue 11 in the browser: a vote's receipt, checked on the ballot's page
// and on the receipt page; the chain of receipts; a Work Register as it
// stood on a date; the differences between two versions, word by word.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, pageAs, axe } from './server.mjs';

let srv, browser;
before(async () => { srv = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.stop(); });

const withPage = (email, name, fn, viewport) => pageAs(browser, srv, email, name, fn, viewport);

const checkReceipt = async (page, code) => {
  await page.getByLabel('Receipt', { exact: true }).fill(code);
  await page.getByRole('button', { name: 'Check the receipt' }).click();
};

test('a vote returns a receipt the voter checks; the chain shows on the ballot', async () => {
  assert.equal((await srv.as('owner@dmtf.example', 'POST', '/work-registers/1/socialize', {})).status, 200);
  assert.equal((await srv.as('owner@dmtf.example', 'POST', '/work-registers/1/submit', {})).status, 200);
  await withPage('chair@dmtf.example', 'receipt', async (page) => {
    await page.getByRole('link', { name: 'Open the ballot' }).first().click();
    await page.getByRole('radio', { name: 'yes' }).check();
    await page.getByRole('button', { name: 'Vote' }).click();
    await page.getByText('Vote cast: keep your receipt').waitFor();
    const code = (await page.locator('.receipt-code').textContent()).trim();
    assert.match(code, /^entente-receipt-1\.\d+\.1\.[0-9a-f]{32}\.yes\.0{64}\.[0-9a-f]{64}$/);
    // the chain: the chair's entry, with the name (a member of the body)
    await page.getByRole('region', { name: 'Chain of receipts' }).getByText(/Carla Chen/).waitFor();
    await checkReceipt(page, code);
    await page.getByRole('heading', { name: 'Your vote is counted as cast.' }).waitFor();
    assert.deepEqual(await axe(page), [], 'ballot page with a receipt');
    // a change of mind: a new receipt, and the first one superseded
    await page.getByRole('radio', { name: 'abstain' }).check();
    await page.getByRole('button', { name: 'Change my vote' }).click();
    await page.getByText('Vote changed: keep your new receipt').waitFor();
    const second = (await page.locator('.receipt-code').textContent()).trim();
    assert.notEqual(second, code);
    await checkReceipt(page, code);
    await page.getByRole('heading', { name: /superseded by a later vote of yours/ }).waitFor();
    await page.getByText('Counted instead: entry 2 (abstain).').waitFor();
    // the receipt page, for any ballot: an altered receipt is caught
    await page.goto(srv.url + '/#/receipt');
    await page.getByRole('heading', { name: 'Check a receipt of your vote' }).waitFor();
    assert.deepEqual(await axe(page), [], 'receipt page');
    await checkReceipt(page, second.replace('.abstain.', '.yes.'));
    await page.getByRole('heading', { name: /This receipt was altered/ }).waitFor();
    await page.getByText(/the receipt's fields do not give its hash/).waitFor();
    await checkReceipt(page, 'not a receipt');
    await page.getByText(/A receipt begins with entente-receipt-1/).waitFor();
  });
});

test('a Work Register as it stood on a date, and what changed between two versions', async () => {
  await withPage('vp@dmtf.example', 'as-of', async (page) => {
    // a new version: the benefits reworded
    await page.goto(srv.url + '/#/wr/2/edit');
    await page.getByLabel('Benefits').fill('Fewer redundant efforts and greener data centers.');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved', { exact: true }).waitFor();
    await page.goto(srv.url + '/#/wr/2/versions');
    const diffs = page.getByRole('region', { name: 'Differences between the two versions' });
    await diffs.getByRole('heading', { name: 'benefits' }).waitFor();
    await diffs.locator('ins', { hasText: 'greener' }).waitFor();
    assert.deepEqual(await axe(page), [], 'versions with differences');
    // the document as it stood: before it existed, and today
    await page.goto(srv.url + '/#/wr/2/document');
    await page.getByLabel('Date', { exact: true }).fill('2001-01-01');
    await page.getByRole('button', { name: 'Show it as it stood' }).click();
    await page.getByText(/did not exist at 2001-01-01T23:59:59Z/).waitFor();
    assert.match(page.url(), /#\/wr\/2\/document\?as_of=2001-01-01$/);
    await page.getByLabel('Date', { exact: true }).fill(new Date().toISOString().slice(0, 10));
    await page.getByRole('button', { name: 'Show it as it stood' }).click();
    await page.getByText(/^As it stood at .* UTC:/).waitFor();
    await page.getByText('Fewer redundant efforts and greener data centers.').waitFor();
    assert.deepEqual(await axe(page), [], 'document as of a date');
    await page.getByRole('link', { name: 'Back to today' }).click();
    await page.locator('.as-of-banner').waitFor({ state: 'detached' });
    assert.match(page.url(), /#\/wr\/2\/document$/);
  });
});
