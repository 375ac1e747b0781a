// Persistence of the data dir: data and credentials survive a restart; a SIGKILL of a sandbox child
// process in the middle of writes loses no acknowledged write and leaves a loadable store; a torn
// journal tail is ignored; an unreadable store is reported, never overwritten, and backed up.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSandbox } from '../../sandbox';
import { startTestSandbox } from '../support/sandbox';
import { GROUP, q, scimCaller, user } from './scim-http';

const ROOT = path.resolve(__dirname, '..', '..');
const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-sandbox-persist-'));
const dirs: string[] = [];
afterAll(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

test('users, groups, memberships and credentials survive a restart on the same data dir', async () => {
  const dataDir = tempDir();
  dirs.push(dataDir);
  const first = await startTestSandbox({ dataDir });
  const api = scimCaller(first.sandbox.tenants.generic.baseUrl, { token: first.credentials.generic.token });
  const u = (await api.post('/Users', user('persisted@example.com'))).body;
  const g = (await api.post('/Groups', { schemas: [GROUP], displayName: 'Persisted', members: [{ value: u.id }] })).body;
  const pending = await first.admin.createUser('proxy', { userName: 'pending@proxy.example', active: false });
  await api.close();
  const credsBefore = first.credentials;
  await first.stop();

  const second = await startTestSandbox({ dataDir });
  try {
    expect(second.credentials.generic.token).toBe(credsBefore.generic.token);
    expect(second.credentials.proxy).toMatchObject({ username: credsBefore.proxy.username, password: credsBefore.proxy.password });
    expect(second.credentials.generic.baseUrl).toBe(second.sandbox.tenants.generic.baseUrl);
    const onDisk = JSON.parse(fs.readFileSync(path.join(dataDir, 'credentials.json'), 'utf8'));
    expect(onDisk.generic.baseUrl).toBe(second.sandbox.tenants.generic.baseUrl);
    expect(fs.statSync(path.join(dataDir, 'credentials.json')).mode & 0o777).toBe(0o600);

    const api2 = scimCaller(second.sandbox.tenants.generic.baseUrl, { token: second.credentials.generic.token });
    const again = (await api2.get(`/Users/${u.id}`)).body;
    expect(again).toMatchObject({ userName: 'persisted@example.com', groups: [expect.objectContaining({ value: g.id })] });
    expect(again.meta.location).toBe(`${second.sandbox.tenants.generic.baseUrl}/Users/${u.id}`);
    expect((await api2.get(`/Groups/${g.id}`)).body.members.map((m: any) => m.value)).toEqual([u.id]);
    expect((await api2.post('/Users', user('PERSISTED@example.com'))).status).toBe(409);
    await api2.close();
    expect((await second.admin.getUser('proxy', pending.id)).sandboxStatus).toBe('pending');
  } finally {
    await second.stop();
  }
});

test('a fresh data dir is empty and gets new credentials; env variables fix credentials', async () => {
  const a = await startTestSandbox();
  process.env.SCIMFORM_SANDBOX_GENERIC_TOKEN = 'fixed-generic-token-for-ci';
  let b: Awaited<ReturnType<typeof startTestSandbox>> | undefined;
  try {
    b = await startTestSandbox();
    expect(b.credentials.generic.token).toBe('fixed-generic-token-for-ci');
    expect(b.credentials.promapp.token).not.toBe(a.credentials.promapp.token);
    expect(await b.admin.listUsers('generic')).toEqual([]);
  } finally {
    delete process.env.SCIMFORM_SANDBOX_GENERIC_TOKEN;
    await b?.stop();
    await a.stop();
  }
});

function startChild(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['-r', require.resolve('../../scripts/ts-register.js'), 'sandbox/cli.ts', '--port', '0', '--data-dir', dataDir, '--snapshot-delay-ms', '0', '--quiet'], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`sandbox child did not start: ${out}${err}`)); }, 60000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) { clearTimeout(timer); resolve({ child, url: m[1] }); }
    });
    child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`sandbox child exited (${code}): ${out}${err}`)); });
  });
}

test('SIGKILL of a sandbox process mid-write loses no acknowledged write and leaves a loadable store', async () => {
  const dataDir = tempDir();
  dirs.push(dataDir);
  const { child, url } = await startChild(dataDir);
  const token = JSON.parse(fs.readFileSync(path.join(dataDir, 'credentials.json'), 'utf8')).generic.token as string;
  const api = scimCaller(`${url}/generic/scim/v2`, { token });
  const acknowledged: string[] = [];
  let attempted = 0;
  let killed = false;
  const exited = new Promise((r) => child.once('exit', r));
  const worker = async (w: number) => {
    for (let i = 0; !killed; i++) {
      const name = `kill-${w}-${i}@example.com`;
      attempted++;
      try {
        const res = await api.post('/Users', user(name, { externalId: `ext-${w}-${i}` }));
        if (res.status === 201) acknowledged.push(name);
      } catch {
        return; // connection died with the process
      }
      if (acknowledged.length >= 300 && !killed) {
        killed = true;
        child.kill('SIGKILL');
      }
    }
  };
  await Promise.all([0, 1, 2, 3, 4, 5].map(worker));
  await exited;
  await api.close();

  const restarted = await startSandbox({ port: 0, dataDir, quiet: true });
  try {
    const users = await restarted.admin.listUsers('generic');
    const names = users.map((u) => u.userName as string);
    expect(new Set(names).size).toBe(names.length);
    for (const name of acknowledged) expect(names).toContain(name);
    expect(names.length).toBeLessThanOrEqual(attempted);
    const api2 = scimCaller(restarted.tenants.generic.baseUrl, { token: restarted.credentials.generic.token });
    expect((await api2.get(`/Users?filter=${q(`userName eq "${acknowledged[0]}"`)}`)).body.totalResults).toBe(1);
    await api2.close();
  } finally {
    await restarted.close();
  }
  expect(fs.readdirSync(dataDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
});

test('a torn last journal line (kill mid-append) is ignored', async () => {
  const dataDir = tempDir();
  dirs.push(dataDir);
  const first = await startTestSandbox({ dataDir });
  const kept = await first.admin.createUser('generic', { userName: 'kept@example.com' });
  await first.stop();
  fs.appendFileSync(path.join(dataDir, 'journal.jsonl'), '{"seq":999999,"tenant":"generic","op":"put","kind":"us');
  const second = await startTestSandbox({ dataDir });
  try {
    expect((await second.admin.listUsers('generic')).map((u) => u.id)).toEqual([kept.id]);
  } finally {
    await second.stop();
  }
});

test('a data dir in use by a running sandbox is refused with a clear error', async () => {
  const a = await startTestSandbox();
  try {
    await expect(startSandbox({ port: 0, dataDir: a.dataDir, quiet: true })).rejects.toThrow(/is in use by another sandbox/);
  } finally {
    await a.stop();
  }
});

test('an unreadable store is reported with the file name, left untouched and backed up', async () => {
  const dataDir = tempDir();
  dirs.push(dataDir);
  fs.writeFileSync(path.join(dataDir, 'store.json'), '{"format": "scimform-sandbox-store", "version": 1, "tenants": {');
  await expect(startSandbox({ port: 0, dataDir, quiet: true })).rejects.toThrow(/store\.json cannot be loaded: not valid JSON.*left untouched and a copy is kept as/);
  expect(fs.readFileSync(path.join(dataDir, 'store.json'), 'utf8')).toContain('"tenants": {');
  const backups = fs.readdirSync(dataDir).filter((f) => f.startsWith('store.json.corrupt-'));
  expect(backups).toHaveLength(1);
  expect(fs.readFileSync(path.join(dataDir, backups[0]), 'utf8')).toContain('"tenants": {');
});
