// Issue 24 in the browser: an administrator invites a person, who chooses
// their password from the mail's link (a weak one refused), sets up
// two-factor sign-in with the QR code's key, signs in with a recovery
// code, sees their sessions; the administrator signs them out everywhere
// after a confirmation. Every page passes axe.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { startServer, launch, shot, axe } from './server.mjs';

let srv, browser;
before(async () => { srv = await startServer({ mail: true }); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.stop(); });

// RFC 6238 from the base32 key, here in the test (HMAC-SHA1, 30 s, 6 digits).
function totp(secret, at = Date.now() / 1000) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const o = mac[mac.length - 1] & 15;
  return String((mac.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, '0');
}

async function page(name) {
  const context = await browser.newContext();
  context.setDefaultTimeout(10000);
  const p = await context.newPage();
  p.name = name;
  return p;
}

async function signIn(p, email, password, code) {
  await p.goto(srv.url + '/#/login');
  await p.getByLabel('E-mail').fill(email);
  await p.getByLabel('Password').fill(password);
  await p.getByRole('button', { name: 'Sign in' }).click();
  if (code) {
    await p.getByLabel(/Code of your authenticator app/).fill(code);
    await p.getByRole('button', { name: 'Sign in' }).click();
  }
  await p.getByRole('heading', { name: 'My tasks' }).waitFor();
}

test('invited by mail, a password chosen, two-factor set up, signed out everywhere', async () => {
  const admin = await page('admin'), nina = await page('nina');
  try {
    await signIn(admin, 'admin@localhost', srv.adminPassword);
    await admin.goto(srv.url + '/#/admin/people');
    const form = admin.getByRole('form', { name: 'Invite a person' });
    await form.getByLabel('Name').fill('Nina New');
    await form.getByLabel('E-mail').fill('nina@snia.example');
    await form.getByLabel('Organization').selectOption({ label: 'Storage Networking Industry Association' });
    await form.getByRole('button', { name: 'Send the invitation' }).click();
    await admin.getByText('Nina New is invited').waitFor();
    await admin.getByRole('cell', { name: 'invited' }).first().waitFor();
    assert.deepEqual(await axe(admin), [], 'people page');

    // the mail's link: a weak password refused, then one chosen
    const mail = await srv.mailTo('nina@snia.example');
    const token = /#\/welcome\/([0-9a-f]{64})/.exec(mail.body)[1];
    await nina.goto(`${srv.url}/#/welcome/${token}`);
    await nina.getByRole('heading', { name: 'Welcome, Nina New' }).waitFor();
    assert.deepEqual(await axe(nina), [], 'welcome page');
    await nina.getByLabel('New password').fill('password1234');
    await nina.getByLabel('The same password again').fill('password1234');
    await nina.getByRole('button', { name: 'Choose my password' }).click();
    await nina.getByText(/common password/).waitFor();
    await nina.getByLabel('New password').fill('violet kettle harbour');
    await nina.getByLabel('The same password again').fill('violet kettle harbour');
    await nina.getByRole('button', { name: 'Choose my password' }).click();
    await nina.getByText('Welcome: your password is chosen').waitFor();
    await signIn(nina, 'nina@snia.example', 'violet kettle harbour');
    // the link works once
    await nina.goto(`${srv.url}/#/welcome/${token}`);
    await nina.getByRole('heading', { name: 'This link no longer works' }).waitFor();

    // two-factor sign-in, with the key under the QR code
    await nina.goto(srv.url + '/#/account');
    await nina.getByRole('heading', { name: 'My account' }).waitFor();
    assert.deepEqual(await axe(nina), [], 'account page');
    await nina.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
    await nina.locator('figure svg path').waitFor();
    const secret = (await nina.locator('figcaption code').textContent()).trim();
    await nina.getByLabel('The code the app shows now').fill(totp(secret));
    await nina.getByRole('button', { name: 'Turn two-factor sign-in on' }).click();
    await nina.getByRole('heading', { name: 'Two-factor sign-in is on' }).waitFor();
    const codes = await nina.locator('ol.codes code').allTextContents();
    assert.equal(codes.length, 10);

    // signing in again asks for a code: a recovery code does it, once
    await nina.getByRole('button', { name: 'Sign out' }).click();
    await signIn(nina, 'nina@snia.example', 'violet kettle harbour', codes[0]);
    await nina.goto(srv.url + '/#/account');
    await nina.getByRole('cell', { name: /\(this one\)/ }).waitFor();

    // the administrator signs Nina out everywhere, after a confirmation
    await admin.reload();
    await admin.getByRole('button', { name: 'Sign Nina New out everywhere' }).click();
    const ask = admin.getByRole('dialog', { name: 'End every session of Nina New?' });
    await ask.getByText('Each of their browsers is signed out at once.').waitFor();
    await ask.getByRole('button', { name: 'Yes, end every session of Nina New' }).click();
    await admin.getByText('Nina New is signed out everywhere').waitFor();
    await nina.goto(srv.url + '/#/wrs');
    await nina.getByRole('heading', { name: 'Sign in' }).waitFor();
  } catch (e) {
    await shot(admin, 'accounts-admin');
    await shot(nina, 'accounts-nina');
    throw e;
  } finally {
    await admin.context().close();
    await nina.context().close();
  }
});

test('forgot password: the same answer for any address', async () => {
  const p = await page('forgot');
  try {
    await p.goto(srv.url + '/#/login');
    await p.getByRole('link', { name: 'Forgot your password?' }).click();
    await p.getByLabel('E-mail').fill('nobody@nowhere.example');
    await p.getByRole('button', { name: 'Send me a link' }).click();
    await p.getByText(/If an account has this address/).waitFor();
    assert.deepEqual(await axe(p), [], 'forgot page');
  } catch (e) { await shot(p, 'forgot'); throw e; } finally { await p.context().close(); }
});
