// Section 5.3 in the browser: a partner's change request from the
// feedback form to its closing (R42-R44), and a joint meeting halted by a
// non-member who has not acknowledged the IP policy, then resumed (R46-R49).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, pageAs } from './server.mjs';

let srv, browser;
before(async () => { srv = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.stop(); });

const withPage = (email, name, fn, viewport) => pageAs(browser, srv, email, name, fn, viewport);

test('a change request from a partner to its closing', async () => {
  let id;
  await withPage('sam@snia.example', 'cr-submit', async (page) => {
    await page.getByRole('link', { name: 'Change requests' }).click();
    await page.getByRole('link', { name: 'Submit a change request' }).click();
    await page.getByLabel('Standard', { exact: true }).selectOption({ label: 'DSP0200 CIM Operations over HTTP (1.4.0)' });
    assert.equal(await page.getByLabel('Version of the standard').inputValue(), '1.4.0'); // from the register
    await page.getByLabel('Section', { exact: true }).fill('7.3 Pulled enumeration');
    await page.getByLabel('The problem').fill('A pull with a zero timeout is *undefined*.');
    await page.getByLabel('The proposed change').fill('Define it as an immediate return.');
    await page.getByLabel('The rationale').fill('Two SNIA implementations differ.');
    await page.getByRole('button', { name: 'Add an attachment' }).click();
    await page.getByLabel('Name', { exact: true }).fill('trace.txt');
    await page.getByLabel('Text', { exact: true }).fill('PullInstances timeout=0 -> hangs');
    await page.getByLabel(/I may represent Storage Networking Industry Association/).check();
    await page.getByRole('button', { name: 'Submit the change request' }).click();
    await page.getByRole('heading', { name: /Change request \d+: DSP0200 1\.4\.0, 7\.3 Pulled enumeration/ }).waitFor();
    await page.getByText(/submitted: the chair of the body that owns DSP0200 is told/).waitFor();
    await page.locator('p .status').filter({ hasText: 'submitted' }).waitFor();
    await page.locator('em').filter({ hasText: 'undefined' }).waitFor(); // the problem's Markdown
    id = page.url().match(/change-request\/(\d+)/)[1];
  });
  await withPage('tc@dmtf.example', 'cr-chair', async (page) => {
    await page.goto(`${srv.url}/#/change-requests`);
    await page.getByRole('link', { name: `Change request ${id}` }).click();
    await page.getByRole('button', { name: 'review', exact: true }).click();
    await page.getByText('Done: review').waitFor();
    await page.getByLabel(/Write a message/).fill('Could you send the request and the response?');
    await page.getByRole('button', { name: 'Send the message' }).click();
    await page.getByText('Message sent').waitFor();
    const reject = page.getByRole('form', { name: 'reject' });
    await reject.getByRole('button', { name: 'reject' }).click();
    await page.getByText(/field: reason/).waitFor(); // a rejection gives its reason
    await reject.getByLabel('The reason (required)').fill('Intended: zero means no wait.');
    await reject.getByRole('button', { name: 'reject' }).click();
    await page.getByText('Done: reject').waitFor();
    await page.locator('p .status').filter({ hasText: 'rejected' }).waitFor();
    await page.getByText(/The request is closed: reopen it/).waitFor();
    const reopen = page.getByRole('form', { name: 'reopen' });
    await reopen.getByLabel('The reason for reopening (required)').fill('SNIA showed a hang.');
    await reopen.getByRole('button', { name: 'reopen' }).click();
    await page.getByText('Done: reopen').waitFor();
    const accept = page.getByRole('form', { name: 'accept' });
    await accept.getByLabel('The decision (optional)').fill('Clarified in 1.5.');
    await accept.getByRole('button', { name: 'accept' }).click();
    await page.getByText('Done: accept').waitFor();
    await page.getByText('Decision: Clarified in 1.5.').waitFor();
  });
  await withPage('sam@snia.example', 'cr-closed', async (page) => {
    await page.goto(`${srv.url}/#/change-request/${id}`);
    await page.locator('p .status').filter({ hasText: 'accepted' }).waitFor();
    await page.getByText('Could you send the request and the response?').waitFor(); // the chair's message, kept
    assert.equal(await page.getByRole('button', { name: 'Send the message' }).count(), 0); // closed
  });
  // TGG does not see SNIA's request
  await withPage('greta@tgg.example', 'cr-other', async (page) => {
    await page.goto(`${srv.url}/#/change-request/${id}`);
    await page.getByRole('heading', { name: 'Not found' }).waitFor();
  });
});

test('a joint meeting halted and resumed', async () => {
  await withPage('tc@dmtf.example', 'meeting', async (page) => {
    await page.getByRole('link', { name: 'Joint meetings' }).click();
    await page.getByRole('link', { name: 'DSP0004 qualifier flavors with SNIA' }).click();
    await page.getByRole('heading', { name: 'The DMTF IP policy' }).waitFor(); // the page carries it (R46)
    await page.getByRole('button', { name: 'Open the meeting' }).click();
    await page.getByText(/ip_policy_read.*\[rule R47\]/).waitFor();
    await page.getByLabel(/I have advised every participant of the DMTF IP policy/).check();
    await page.getByRole('button', { name: 'Open the meeting' }).click();
    await page.getByText('Done: Open the meeting').waitFor();
    await page.getByRole('button', { name: 'Olga Ortega is present' }).click();
    const alert = page.getByRole('alert');
    await alert.getByText(/Olga Ortega has not acknowledged the IP policy \(R48\)/).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Record' }).isDisabled(), true);
    // recording anyway is refused by the server too
    const r = await srv.as('tc@dmtf.example', 'POST', '/meetings/1/records', { kind: 'minutes', text: 'too early' });
    assert.equal(r.status, 409);
    assert.equal(r.json.rule, 'R48');
    await page.getByRole('button', { name: 'Olga Ortega accepts the IP policy' }).click();
    await page.getByText('Acknowledgment recorded').waitFor();
    await alert.waitFor({ state: 'detached' }); // resumed
    await page.getByLabel('Text', { exact: true }).fill('Olga Ortega acknowledged the IP policy; item 1 discussed.');
    await page.getByRole('button', { name: 'Record' }).click();
    await page.getByText('Olga Ortega acknowledged the IP policy; item 1 discussed.').waitFor();
    // a non-member who declines halts it until they leave (R49)
    await page.getByLabel('Name', { exact: true }).fill('Pat Doe');
    await page.getByLabel('E-mail', { exact: true }).fill('pat@elsewhere.example');
    await page.getByLabel('Company', { exact: true }).fill('Elsewhere Inc.');
    await page.getByLabel('Silent observer').check();
    await page.getByRole('button', { name: 'Add the participant' }).click();
    await page.getByText('Participant added').waitFor();
    await page.getByRole('button', { name: 'Pat Doe is present' }).click();
    await page.getByRole('button', { name: 'Pat Doe declines' }).click();
    await page.getByRole('alert').getByText(/Pat Doe declined the IP policy and has not left \(R49\)/).waitFor();
    await page.getByRole('button', { name: 'Pat Doe left' }).click();
    await page.getByText('Pat Doe left').first().waitFor();
    await page.getByRole('alert').waitFor({ state: 'detached' }); // resumed
    await page.getByLabel('Kind', { exact: true }).selectOption('decision');
    await page.getByLabel('Text', { exact: true }).fill('Decision: propose the clarified wording.');
    await page.getByRole('button', { name: 'Record' }).click();
    await page.getByText('Decision: propose the clarified wording.').waitFor();
  });
  await withPage('sam@snia.example', 'meeting-partner', async (page) => {
    await page.goto(`${srv.url}/#/meeting/1`);
    const olga = page.getByRole('row').filter({ hasText: 'Olga Ortega' });
    await olga.getByText('accepted').waitFor();
    await page.getByText('Decision: propose the clarified wording.').waitFor();
    // a meeting on the Work Register is linked from its page
    const m = await srv.as('tc@dmtf.example', 'POST', '/meetings', { body_id: 4, partner_id: 2, wr_id: 1, title: 'Profiles review with SNIA',
      starts_at: '2027-02-10T15:00', ends_at: '2027-02-10T16:00', time_zone: 'Europe/London', kind: 'face_to_face' });
    assert.equal(m.status, 201);
    await page.goto(`${srv.url}/#/wr/1`);
    await page.getByRole('link', { name: 'Profiles review with SNIA' }).click();
    await page.getByRole('heading', { name: 'Profiles review with SNIA' }).waitFor();
  });
});

test('an address that names nothing is "not found"', async () => {
  await withPage('vp@dmtf.example', 'not-found', async (page) => {
    await page.goto(`${srv.url}/#/work-registers`);
    await page.getByRole('heading', { name: 'Not found' }).waitFor();
    await page.goto(`${srv.url}/#/wr/999`);
    await page.getByRole('heading', { name: 'Not found' }).waitFor();
    assert.equal(await page.getByText('TypeError').count(), 0);
  });
});
