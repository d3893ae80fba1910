// A real entente server for the browser tests: a fresh demo database in a
// temporary directory, a random loopback port, the test clock on.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const BIN = process.env.ENTENTE_BIN || 'build/entente';

// The suite's SMTP sink (tests/smtp/sink.py) on a free loopback port:
// every message it accepts is a line of JSON in dir/mail.jsonl.
async function startSink(dir) {
  const port = await new Promise((resolve) => { const s = createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); }); });
  const out = join(dir, 'mail.jsonl'), ready = join(dir, 'sink.ready');
  const proc = spawn('/usr/bin/python3', ['tests/smtp/sink.py', '--port', String(port), '--out', out, '--ready', ready], { stdio: 'ignore' });
  for (let i = 0; i < 200 && !existsSync(ready); i++) await new Promise((r) => setTimeout(r, 50));
  if (!existsSync(ready)) throw new Error('the SMTP sink did not start');
  const mails = () => (existsSync(out) ? readFileSync(out, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);
  return { url: `smtp://127.0.0.1:${port}`, proc, mails };
}

// opts.mail: deliver mail to the SMTP sink (srv.mailTo(address) waits for one).
export async function startServer(opts = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'entente-e2e-'));
  const db = join(dir, 'e.db');
  const out = execFileSync(BIN, ['--db', db, 'init', '--demo'], { encoding: 'utf8' });
  const adminPassword = /password: (\S+)/.exec(out)[1];
  const ready = join(dir, 'ready');
  const sink = opts.mail ? await startSink(dir) : null;
  const mailArgs = sink ? ['--smtp-url', sink.url, '--mail-interval', '1'] : [];
  const proc = spawn(BIN, ['--db', db, 'serve', '--listen', '127.0.0.1:0', '--ready-file', ready, '--insecure-cookie', '--tick', '0', '--test-clock', '--web-dir', 'web', ...mailArgs],
    { env: { ...process.env, ENTENTE_ALLOW_TEST_CLOCK: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  proc.stderr.on('data', (d) => { log += d; });
  for (let i = 0; i < 200 && !(existsSync(ready) && readFileSync(ready, 'utf8').trim()); i++) await new Promise((r) => setTimeout(r, 50));
  const url = readFileSync(ready, 'utf8').trim();
  const token = (email) => execFileSync(BIN, ['--db', db, 'token', 'create', '--email', email], { encoding: 'utf8' }).trim();
  const adminToken = token('admin@localhost');
  let now = Math.floor(Date.now() / 1000);
  return {
    url, db, adminPassword, token,
    // an API call as the administrator, at the server's test time
    async admin(method, path, body) {
      const res = await fetch(url + '/api/v1' + path, { method, headers: { Authorization: `Bearer ${adminToken}`, 'X-Entente-Now': String(now), ...(body ? { 'Content-Type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
      return { status: res.status, json: await res.json().catch(() => null) };
    },
    // an API call as a demo person
    async as(email, method, path, body) {
      const res = await fetch(url + '/api/v1' + path, { method, headers: { Authorization: `Bearer ${token(email)}`, 'X-Entente-Now': String(now), ...(body ? { 'Content-Type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
      return { status: res.status, json: await res.json().catch(() => null) };
    },
    advance(days) { now += days * 86400; },
    // the last mail to an address, waited for (at most 20 s)
    async mailTo(address) {
      for (let i = 0; i < 200; i++) {
        const got = sink.mails().filter((m) => m.rcpt_tos[0] === address);
        if (got.length) return got[got.length - 1];
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`no mail to ${address}`);
    },
    async stop() {
      sink?.proc.kill('SIGTERM');
      proc.kill('SIGTERM');
      const code = await new Promise((r) => proc.on('exit', (c) => r(c)));
      rmSync(dir, { recursive: true, force: true });
      if (code !== 0) throw new Error(`server exit ${code}: ${log.slice(-2000)}`);
    },
  };
}

export async function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// Sign in as a demo person in a fresh browser context.
export async function signIn(browser, srv, email, password = 'demo-alliance', viewport) {
  const context = await browser.newContext(viewport ? { viewport } : {});
  context.setDefaultTimeout(10000);
  const page = await context.newPage();
  await page.goto(srv.url + '/#/login');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'My tasks' }).waitFor();
  return page;
}

// A signed-in page of its own for email (the administrator with the
// password init printed), fn run on it, a screenshot named name kept when
// fn fails, the page's context closed after.
export async function pageAs(browser, srv, email, name, fn, viewport) {
  const page = await signIn(browser, srv, email, email === 'admin@localhost' ? srv.adminPassword : undefined, viewport);
  try { await fn(page); } catch (e) { await shot(page, name); throw e; } finally { await page.context().close(); }
}

// Save a screenshot when a test fails.
export async function shot(page, name) {
  mkdirSync('build/e2e', { recursive: true });
  await page.screenshot({ path: `build/e2e/${name}.png`, fullPage: true }).catch(() => {});
}

export async function axe(page) {
  const src = readFileSync('node_modules/axe-core/axe.min.js', 'utf8');
  await page.evaluate(src);
  return page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help} (${v.nodes.length})`));
}
