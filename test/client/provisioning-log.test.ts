// The provisioning log: one JSON line per SCIM call attempt with time, endpoint, method, path, status,
// duration, action and attempt — and never a token, password or Authorization header, even on failures.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ProvisioningLogLine } from '../../providers/scim/client';
import { startClientSandbox, type ClientSandbox } from './client-sandbox';

let env: ClientSandbox;
let dir: string;

beforeAll(async () => {
  env = await startClientSandbox();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-client-log-'));
});
afterAll(async () => {
  await env.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('records every call as a JSONL line, with no secret in it', async () => {
  const file = path.join(dir, 'nested', 'provisioning.jsonl');
  const seen: ProvisioningLogLine[] = [];
  const { token } = env.sb.credentials.generic;
  const { username, password } = env.sb.credentials.proxy;

  const generic = env.client('generic', { provisioningLogFile: file, onLog: (l) => seen.push(l), headers: { 'X-Request-Source': 'scimform-test' } });
  const { user } = await generic.createUser({ userName: 'logged@example.com' });
  await generic.updateUser(user.id!, user, { ...user, displayName: 'Logged' });
  await generic.setUserActive(user.id!, false);
  await generic.findUser({ userName: 'LOGGED@example.com' });

  const proxy = env.client('proxy', { provisioningLogFile: file });
  await proxy.createUser({ userName: 'basic@example.com' });
  await env.sb.admin.setFaults('generic', { failNext: 1, failStatus: 503, retryAfterSeconds: 0 });
  await generic.deleteUser(user.id!);
  const refused = env.client('proxy', { provisioningLogFile: file, auth: { kind: 'basic', username, password: `${password}-wrong` } });
  await expect(refused.listUsers()).rejects.toMatchObject({ code: 'SCIM_UNAUTHORIZED' });
  const badToken = env.client('generic', { provisioningLogFile: file, auth: { kind: 'bearer', token: `${token}-wrong` } });
  await expect(badToken.getUser('x')).rejects.toMatchObject({ code: 'SCIM_UNAUTHORIZED' });
  await Promise.all([generic.close(), proxy.close(), refused.close(), badToken.close()]);

  const text = fs.readFileSync(file, 'utf8');
  const lines = text.trim().split('\n').map((l) => JSON.parse(l) as ProvisioningLogLine);
  for (const secret of [token, password, `${token}-wrong`, `${password}-wrong`, Buffer.from(`${username}:${password}`).toString('base64'), `Bearer ${token}`]) {
    expect(text).not.toContain(secret);
  }
  for (const l of lines) {
    expect(Object.keys(l)).toEqual(expect.arrayContaining(['time', 'endpoint', 'method', 'path', 'durationMs']));
    expect(Number.isNaN(Date.parse(l.time))).toBe(false);
  }
  const summary = lines.map((l) => `${l.method} ${l.status ?? '-'} ${l.action} #${l.attempt ?? '-'}`);
  expect(summary).toEqual(
    expect.arrayContaining([
      'POST 201 create-user #1',
      'PATCH 200 update-user #1',
      'PATCH 200 deactivate-user #1',
      'DELETE 503 delete-user #1',
      'DELETE 204 delete-user #2',
      'GET 401 list-users #1',
      'GET 401 cache-users #1',
    ]),
  );
  expect(lines.find((l) => l.method === 'PATCH')?.endpoint).toBe(env.sb.credentials.generic.baseUrl);
  expect(lines.find((l) => l.status === 401)?.error).toMatch(/401/);
  // The callback saw exactly the generic client's lines (the refused clients had none).
  expect(seen).toEqual(lines.filter((l) => l.endpoint === env.sb.credentials.generic.baseUrl && l.status !== 401));
});
