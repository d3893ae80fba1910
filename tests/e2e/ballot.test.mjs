// Issue 25, part 3: a ballot at a glance. Every voting member and their
// position (a no with its comment), who has not voted, where it stands
// against quorum and majority in words, the deadline; after voting, the
// receipt to copy or download and how to check it. Desk and phone, axe;
// screenshots for review under build/e2e.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { startServer, launch, pageAs, axe } from './server.mjs';

let srv, browser;
before(async () => { srv = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.stop(); });

const withPage = (email, name, fn, viewport) => pageAs(browser, srv, email, name, fn, viewport);

test('the ballot grid, what it still needs, and the receipt', async () => {
  assert.equal((await srv.as('owner@dmtf.example', 'POST', '/work-registers/1/socialize', {})).status, 200);
  assert.equal((await srv.as('owner@dmtf.example', 'POST', '/work-registers/1/submit', {})).status, 200);
  const ballot = (await srv.as('vp@dmtf.example', 'GET', '/ballots?status=open')).json.items[0];
  const v = await srv.as('chair@dmtf.example', 'POST', `/ballots/${ballot.id}/votes`, { choice: 'no', comment: 'Milestones lack dates' });
  assert.equal(v.status, 200);
  mkdirSync('build/e2e', { recursive: true });
  await withPage('vp@dmtf.example', 'ballot-grid', async (page) => {
    await page.goto(`${srv.url}/#/ballot/${ballot.id}`);
    const stands = page.getByRole('region', { name: 'Where it stands' });
    await stands.getByText(/^Closes \d{4}-\d\d-\d\d \d\d:\d\d UTC, in 14 days\.$/).waitFor();
    await stands.getByText('Quorum: 2 of 3 voters must vote; 1 more vote is needed.').waitFor();
    await stands.getByText('Majority (two thirds of the yes and no votes): needs 2 more yes.').waitFor();
    await stands.getByText('If it closed now, it would fail.').waitFor();
    const grid = page.getByRole('region', { name: 'Who voted how' });
    await grid.getByRole('row', { name: 'Carla Chen no Milestones lack dates' }).waitFor();
    await grid.getByRole('row', { name: 'Vera Vance not voted' }).waitFor();
    await grid.getByRole('row', { name: 'Owen Ortiz not voted' }).waitFor();
    await page.screenshot({ path: 'build/e2e/review-ballot-desk.png', fullPage: true });

    await page.getByRole('radio', { name: 'yes' }).check();
    await page.getByRole('button', { name: 'Vote' }).click();
    await page.getByText('Vote cast: keep your receipt').waitFor();
    const receipt = page.getByRole('region', { name: 'Your receipt' });
    const code = (await receipt.locator('.receipt-code').textContent()).trim();
    assert.match(code, /^entente-receipt-1\./);
    const [download] = await Promise.all([page.waitForEvent('download'), receipt.getByRole('link', { name: 'Download the receipt' }).click()]);
    assert.equal(download.suggestedFilename(), `ballot-${ballot.id}-receipt.txt`);
    const path = await download.path();
    assert.equal((await import('node:fs')).readFileSync(path, 'utf8').trim(), code);
    await receipt.getByText(/entente ballot verify-receipt/).waitFor();
    // quorum reached; the majority still needs one more yes
    await stands.getByText('Quorum reached: 2 of 2 needed have voted.').waitFor();
    await stands.getByText('Majority (two thirds of the yes and no votes): needs 1 more yes.').waitFor();
    await grid.getByRole('row', { name: 'Vera Vance yes' }).waitFor();
    assert.deepEqual(await axe(page), [], 'ballot page');
  });
  await withPage('owner@dmtf.example', 'ballot-phone', async (page) => {
    await page.goto(`${srv.url}/#/ballot/${ballot.id}`);
    await page.getByRole('region', { name: 'Who voted how' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, 'no sideways scrolling on a phone');
    assert.deepEqual(await axe(page), [], 'ballot page on a phone');
    await page.screenshot({ path: 'build/e2e/review-ballot-phone.png', fullPage: true });
  }, { width: 360, height: 740 });
});
