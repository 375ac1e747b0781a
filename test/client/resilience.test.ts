// Failure handling against the sandbox's fault injection: Retry-After on 429/503, backoff on 5xx, no
// duplicate accounts after dropped connections or 5xx on POST, exhausted retries, unreachable endpoints,
// refused credentials, timeouts and abort — each asserted from the sandbox request log.
import * as http from 'node:http';
import { getProfile, ScimClient, ScimClientError, type ProvisioningLogLine } from '../../providers/scim/client';
import { requests, startClientSandbox, type ClientSandbox } from './client-sandbox';

let env: ClientSandbox;

beforeAll(async () => {
  env = await startClientSandbox(7);
});
afterAll(() => env.stop());
beforeEach(async () => {
  await env.sb.admin.setFaults('generic', {});
  await env.sb.admin.clearRequestLog('generic');
});

const statuses = async () => (await env.sb.admin.requestLog('generic')).map((e) => `${e.method} ${e.status}${e.fault ? ` ${e.fault}` : ''}`);

test('429 with Retry-After is waited out and retried', async () => {
  const lines: ProvisioningLogLine[] = [];
  const client = env.client('generic', { readCache: false, onLog: (l) => lines.push(l) });
  await env.sb.admin.setFaults('generic', { failNext: 1, failStatus: 429, retryAfterSeconds: 1 });
  expect(await client.listUsers()).toEqual([]);
  expect(await statuses()).toEqual(['GET 429 failNext', 'GET 200']);
  expect(lines.map((l) => [l.status, l.attempt])).toEqual([
    [429, 1],
    [200, 2],
  ]);
});

test('503s on an idempotent call are retried with backoff', async () => {
  const client = env.client('generic', { readCache: false });
  const { user } = await client.createUser({ userName: 'retry.patch@example.com' });
  await env.sb.admin.setFaults('generic', { failNext: 2, failStatus: 503, retryAfterSeconds: 0 });
  await env.sb.admin.clearRequestLog('generic');
  const updated = await client.updateUser(user.id!, user, { ...user, title: 'Patched' });
  expect(updated.title).toBe('Patched');
  expect(await statuses()).toEqual(['GET 503 failNext', 'GET 503 failNext', 'GET 200', 'PATCH 200']);
});

test('a 5xx on POST is not retried blindly: the client confirms absence, POSTs, looks again, then POSTs again', async () => {
  // The POST (not the lookup before it) meets the 500: the fault is armed once the first lookup is answered,
  // while a 1 request/s budget holds the POST back.
  let armed: Promise<void> | undefined;
  const client = env.client('generic', {
    readCache: false,
    requestsPerSecond: 1,
    onLog: (l) => {
      if (l.action === 'find-user' && !armed) armed = env.sb.admin.setFaults('generic', { failNext: 1, failStatus: 500 });
    },
  });
  const { user, adopted } = await client.createUser({ userName: 'post.500@example.com' });
  await armed;
  expect(adopted).toBe(false);
  expect(user.userName).toBe('post.500@example.com');
  const find = 'GET /Users?filter=userName eq "post.500@example.com"&startIndex=1&count=1000';
  expect(await requests(env.sb, 'generic')).toEqual([find, 'POST /Users', find, 'POST /Users']);
});

test.each(['after', 'before'] as const)('connections dropped %s the write never produce a duplicate account', async (dropPhase) => {
  const lines: ProvisioningLogLine[] = [];
  const client = env.client('generic', { readCache: false, maxRetries: 10, onLog: (l) => lines.push(l) });
  await env.sb.admin.setFaults('generic', { dropRate: 0.4, dropPhase });
  const names = Array.from({ length: 8 }, (_, i) => `drop.${dropPhase}.${i}@example.com`);
  for (const userName of names) await client.createUser({ userName });
  await env.sb.admin.setFaults('generic', {});

  const stored = (await env.sb.admin.listUsers('generic')).map((u) => u.userName as string);
  for (const n of names) expect(stored.filter((s) => s === n)).toHaveLength(1);
  const log = await env.sb.admin.requestLog('generic');
  expect(log.some((e) => e.method === 'POST' && e.fault === 'drop')).toBe(true);
  if (dropPhase === 'after') {
    // Some POSTs were applied although the client saw the connection drop: those were adopted, not re-sent.
    expect(lines.some((l) => l.action === 'adopt-user')).toBe(true);
  }
});

test('exhausted retries report the attempts, the status and the endpoint', async () => {
  const client = env.client('generic', { readCache: false, maxRetries: 2 });
  await env.sb.admin.setFaults('generic', { failNext: 5, failStatus: 500 });
  const err = await client.getUser('any-id').catch((e: unknown) => e);
  expect(err).toMatchObject({ code: 'SCIM_RETRIES_EXHAUSTED', status: 500 });
  expect((err as Error).message).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/generic\/scim\/v2\/Users\/any-id failed after 3 attempts/);
  expect(await statuses()).toEqual(['GET 500 failNext', 'GET 500 failNext', 'GET 500 failNext']);
});

test('an unreachable endpoint is named in a SCIM_UNREACHABLE error', async () => {
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  const client = new ScimClient({ endpoint: `http://127.0.0.1:${port}/scim/v2`, auth: { kind: 'bearer', token: 't0ps3cret-token' }, profile: getProfile('generic'), maxRetries: 1, retryBaseDelayMs: 10 });
  try {
    const err = await client.getUser('u1').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SCIM_UNREACHABLE' });
    expect((err as Error).message).toContain(`http://127.0.0.1:${port}/scim/v2/Users/u1`);
    expect((err as Error).message).not.toContain('t0ps3cret');
  } finally {
    await client.close();
  }
});

test('a refused credential is SCIM_UNAUTHORIZED and the message never shows the secret', async () => {
  const client = env.client('proxy', { auth: { kind: 'basic', username: env.sb.credentials.proxy.username, password: 'wrong-password-123' } });
  const err = await client.capabilities().then(() => client.listUsers()).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ScimClientError);
  expect(err).toMatchObject({ code: 'SCIM_UNAUTHORIZED', status: 401 });
  expect((err as Error).message).toMatch(/check the token or username\/password/);
  expect(JSON.stringify({ ...(err as object), message: (err as Error).message })).not.toContain('wrong-password-123');
});

test('a server rate limit is honoured through Retry-After and a client-side request budget', async () => {
  const client = env.client('generic', { readCache: false, requestsPerSecond: 50 });
  await env.sb.admin.setFaults('generic', { rateLimitPerSecond: 5 });
  const results = await Promise.all(Array.from({ length: 8 }, () => client.findUser({ userName: 'nobody@example.com' })));
  expect(results).toEqual(Array(8).fill(undefined));
  const log = (await env.sb.admin.requestLog('generic')).filter((e) => e.path.includes('nobody@example.com'));
  expect(log.filter((e) => e.status === 200)).toHaveLength(8);
  expect(log.some((e) => e.status === 429 && e.fault === 'rateLimit')).toBe(true);
});

// The last two tests leave a slow request behind on the server (the client gave up on it); wait until the
// sandbox has answered it so nothing outlives the test.
async function drainSlowRequest(minMs: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await env.sb.admin.requestLog('generic')).some((e) => e.durationMs >= minMs)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('a slow server hits the timeout', async () => {
  const client = env.client('generic', { readCache: false, timeoutMs: 200, maxRetries: 0 });
  await env.sb.admin.setFaults('generic', { latencyMs: 1500 });
  await expect(client.listUsers()).rejects.toMatchObject({ code: 'SCIM_TIMEOUT', message: expect.stringMatching(/no answer within 200 ms/) });
  await drainSlowRequest(1500);
});

test('the abort signal cancels calls in flight', async () => {
  const controller = new AbortController();
  const client = env.client('generic', { readCache: false, signal: controller.signal });
  await env.sb.admin.setFaults('generic', { latencyMs: 400 });
  const pending = client.listUsers();
  setTimeout(() => controller.abort(), 50);
  await expect(pending).rejects.toMatchObject({ code: 'SCIM_ABORTED' });
  await expect(client.getUser('x')).rejects.toMatchObject({ code: 'SCIM_ABORTED' });
  await drainSlowRequest(400);
});


