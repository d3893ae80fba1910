// Issue 25, part 1: a home that answers "what needs me". A chair finds the
// change request waiting on them, a participant the IP policy to
// acknowledge, an owner the overdue update first; the VP sees the
// portfolio. On a desk and on a phone, with axe; screenshots for review
// go under build/e2e.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { startServer, launch, pageAs, axe } from './server.mjs';

let srv, browser;
before(async () => { srv = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.stop(); });

const withPage = (email, name, fn, viewport) => pageAs(browser, srv, email, name, fn, viewport);
const needs = (page) => page.getByRole('region', { name: /Needs you/ });

test('a change request waits on the chair of its body; a meeting on its participant', async () => {
  const dsps = (await srv.as('sam@snia.example', 'GET', '/dmtf-standards?limit=200')).json.items;
  const dsp = dsps.find((d) => d.dsp === 'DSP0200');
  const cr = await srv.as('sam@snia.example', 'POST', '/change-requests', {
    dmtf_standard_id: dsp.id, standard_version: dsp.version || '1.4.0', section: '7.3', problem: 'p', proposed_change: 'c', rationale: 'r', attests: true,
  });
  assert.equal(cr.status, 201);
  await withPage('tc@dmtf.example', 'home-chair', async (page) => {
    const item = needs(page).getByRole('listitem').filter({ hasText: `change request ${cr.json.id} on DSP0200` });
    await item.getByText('Take up a change request').waitFor();
    await item.getByText(/Waiting since \d{4}-\d\d-\d\d/).waitFor();
    await item.getByRole('link', { name: `Open change request ${cr.json.id}` }).click();
    await page.getByRole('heading', { name: new RegExp(`Change request ${cr.json.id}:`) }).waitFor();
  });
  // Greta, of a company that is no DMTF member, is asked to the demo's
  // meeting and has not acknowledged the IP policy (R48)
  const people = (await srv.as('vp@dmtf.example', 'GET', '/people?limit=200')).json.items;
  const greta = people.find((p) => p.email === 'greta@tgg.example');
  const meetings = (await srv.as('vp@dmtf.example', 'GET', '/meetings')).json.items;
  const add = await srv.as('vp@dmtf.example', 'POST', `/meetings/${meetings[0].id}/participants`, { person_id: greta.id });
  assert.equal(add.status, 201, JSON.stringify(add.json));
  await withPage('sam@snia.example', 'home-member', async (page) => {
    // a member company's representative has nothing to acknowledge
    await needs(page).waitFor();
    assert.equal(await needs(page).getByText('Acknowledge the IP policy').count(), 0);
  });
  await withPage('greta@tgg.example', 'home-participant', async (page) => {
    const item = needs(page).getByRole('listitem').filter({ hasText: 'Acknowledge the IP policy' });
    await item.getByText(/Starts \d{4}-\d\d-\d\d/).waitFor();
    await item.getByRole('link', { name: `Open ${meetings[0].title}` }).click();
    await page.getByRole('heading', { name: 'The DMTF IP policy' }).waitFor();
  });
});

test('what is overdue comes first', async () => {
  // an established WR whose update was due long ago (R27), owned by the owner
  execFileSync('sqlite3', [srv.db, "UPDATE work_registers SET status = 'established', next_review_date = '2020-01-31' WHERE id = 1"]);
  await withPage('owner@dmtf.example', 'home-overdue', async (page) => {
    const first = needs(page).getByRole('listitem').first();
    await first.getByText('Update overdue').waitFor();
    await first.getByText('Overdue', { exact: true }).waitFor();
    await first.getByText('Was due 2020-01-31').waitFor();
    // watching: the WR, its state in words
    const watch = page.getByRole('region', { name: 'Watching' });
    await watch.getByRole('cell', { name: 'Established' }).waitFor();
    await watch.getByText('2020-01-31 (overdue)').waitFor();
  });
});

test('the VP sees the portfolio; the home reads on a desk and a phone', async () => {
  mkdirSync('build/e2e', { recursive: true });
  for (const [size, viewport] of [['desk', { width: 1280, height: 900 }], ['phone', { width: 360, height: 740 }]]) {
    await withPage('vp@dmtf.example', `home-vp-${size}`, async (page) => {
      const folio = page.getByRole('region', { name: 'Portfolio' });
      const chart = folio.getByRole('table', { name: 'Work Registers by state' });
      await chart.waitFor();
      const portfolio = (await srv.as('vp@dmtf.example', 'GET', '/portfolio')).json;
      const shown = portfolio.states.filter((x) => x.count);
      assert.ok(shown.length >= 2);
      assert.equal(await chart.getByRole('row').count(), shown.length);
      for (const st of shown) await chart.getByRole('row', { name: `${st.label} ${st.count}` }).waitFor();
      await folio.getByText(`${portfolio.total} Work Registers in all`).waitFor();
      await folio.getByRole('link', { name: /updates overdue/ }).waitFor();
      assert.deepEqual(await axe(page), [], `home at ${size}`);
      assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, `no sideways scrolling at ${size}`);
      await page.screenshot({ path: `build/e2e/review-home-${size}.png`, fullPage: true });
    }, viewport);
  }
});
