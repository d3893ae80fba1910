// Issue 25, part 2: a Work Register's page tells its story: a header with
// the partner, owner, state in words, next review, an open ballot with its
// deadline and tally; the lifecycle as a stepper with the date each stage
// was reached, the current one on screen on a phone; an activity timeline
// in plain words, the process's sentence on demand. Screenshots for review
// under build/e2e.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { startServer, launch, pageAs, axe } from './server.mjs';

let srv, browser;
before(async () => { srv = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.stop(); });

const withPage = (email, name, fn, viewport) => pageAs(browser, srv, email, name, fn, viewport);

test('the header, the stepper and the activity of a WR under ballot', async () => {
  assert.equal((await srv.as('owner@dmtf.example', 'POST', '/work-registers/1/socialize', {})).status, 200);
  assert.equal((await srv.as('owner@dmtf.example', 'POST', '/work-registers/1/submit', {})).status, 200);
  const ballot = (await srv.as('vp@dmtf.example', 'GET', '/ballots?status=open')).json.items[0];
  assert.equal((await srv.as('chair@dmtf.example', 'POST', `/ballots/${ballot.id}/votes`, { choice: 'yes' })).status, 200);
  const today = new Date().toISOString().slice(0, 10);
  mkdirSync('build/e2e', { recursive: true });
  for (const [size, viewport] of [['desk', { width: 1280, height: 900 }], ['phone', { width: 360, height: 740 }]]) {
    await withPage('vp@dmtf.example', `wr-page-${size}`, async (page) => {
      await page.goto(`${srv.url}/#/wr/1`);
      const facts = page.locator('dl.facts');
      await facts.getByText('Committee ballots').waitFor();
      await facts.getByText('Owen Ortiz').waitFor();
      await facts.getByText('Storage Networking Industry Association').waitFor();
      const open = facts.getByRole('link', { name: `committee ballot ${ballot.id}` });
      await open.waitFor();
      await facts.getByText(/closes \d{4}-\d\d-\d\d \d\d:\d\d UTC · so far 1 yes, 0 no, 0 abstain of 3/).waitFor();
      // the stepper: the current stage marked and on screen; the stages reached dated
      const now = page.locator('ol.stepper li[aria-current="step"]');
      await now.getByText('Committee ballots').waitFor();
      assert.equal(await now.getByText(today).count(), 1);
      await page.locator('ol.stepper li.done').filter({ hasText: 'Socialization' }).getByText(today).waitFor();
      const box = await now.boundingBox();
      assert.ok(box.x >= 0 && box.x + box.width <= viewport.width, `the current stage spans ${box.x} to ${box.x + box.width}`);
      assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, `no sideways scrolling at ${size}`);
      assert.deepEqual(await axe(page), [], `WR page at ${size}`);
      await page.screenshot({ path: `build/e2e/review-wr-${size}.png`, fullPage: true });
    }, viewport);
  }
  await withPage('owner@dmtf.example', 'wr-activity', async (page) => {
    await page.goto(`${srv.url}/#/wr/1/history`);
    const activity = page.getByRole('region', { name: 'Activity' });
    // newest first, in words: the stage it moved between
    await activity.getByRole('listitem').first().getByText('Socialization → Committee ballots').waitFor();
    await activity.getByText('Drafting → Socialization').waitFor();
    // the process's sentence, on demand
    const details = activity.getByRole('listitem').first().locator('details');
    assert.equal(await details.getByText(/balloted in the Originating Committee/).isVisible(), false);
    await details.locator('summary').click();
    await details.getByText(/balloted in the Originating Committee/).waitFor();
  });
});
