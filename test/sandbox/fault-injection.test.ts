// Fault injection per tenant over real HTTP: 429 with Retry-After, page-size cap, dropped connections
// (before and after the write), added latency, fail-next-N, random errors reproducible with a seed,
// and validation of fault configs (at start and through the admin API).
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { useGenericTenant } from './generic-tenant';
import { expectScimError, q, scimCaller, user, type ScimCaller } from './scim-http';

let sb: TestSandbox;
let api: ScimCaller;

useGenericTenant({ seed: 42 }, (s, a) => {
  sb = s;
  api = a;
});

test('rate limit: requests beyond the rate get 429 with a SCIM error and Retry-After', async () => {
  await sb.admin.setFaults('generic', { rateLimitPerSecond: 2 });
  const statuses: number[] = [];
  let limited: Awaited<ReturnType<ScimCaller['get']>> | undefined;
  for (let i = 0; i < 6; i++) {
    const res = await api.get('/Users?count=1');
    statuses.push(res.status);
    if (res.status === 429) limited ??= res;
  }
  expect(statuses.slice(0, 2)).toEqual([200, 200]);
  expect(statuses).toContain(429);
  expectScimError(limited!, 429);
  expect(Number(limited!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  const log = await sb.admin.requestLog('generic');
  expect(log.filter((e) => e.status === 429).every((e) => e.fault === 'rateLimit')).toBe(true);
});

test('rate limit honours a configured Retry-After', async () => {
  await sb.admin.setFaults('generic', { rateLimitPerSecond: 0.001, retryAfterSeconds: 7 });
  await api.get('/Users');
  const res = await api.get('/Users');
  expect(res.status).toBe(429);
  expect(res.headers['retry-after']).toBe('7');
});

test('page cap: the server ignores a larger count', async () => {
  for (let i = 0; i < 7; i++) await api.post('/Users', user(`capped${i}@example.com`));
  await sb.admin.setFaults('generic', { maxPageSize: 3 });
  const res = await api.get(`/Users?filter=${q('userName sw "capped"')}&startIndex=1&count=100`);
  expect(res.body.totalResults).toBe(7);
  expect(res.body.itemsPerPage).toBe(3);
  expect(res.body.Resources).toHaveLength(3);
  const last = await api.get(`/Users?filter=${q('userName sw "capped"')}&startIndex=7&count=100`);
  expect(last.body.Resources).toHaveLength(1);
});

test('dropped connection before processing: the client sees a socket error and nothing is written', async () => {
  await sb.admin.setFaults('generic', { dropRate: 1 });
  await expect(api.post('/Users', user('dropped.before@example.com'))).rejects.toThrow();
  await sb.admin.setFaults('generic', {});
  expect((await api.get(`/Users?filter=${q('userName eq "dropped.before@example.com"')}`)).body.totalResults).toBe(0);
  const log = await sb.admin.requestLog('generic');
  expect(log.find((e) => e.method === 'POST' && e.fault === 'drop')).toMatchObject({ status: 0 });
});

test('dropped connection after the write (ambiguous failure): the user exists although the client saw an error', async () => {
  await sb.admin.setFaults('generic', { dropRate: 1, dropPhase: 'after' });
  await expect(api.post('/Users', user('dropped.after@example.com'))).rejects.toThrow();
  await sb.admin.setFaults('generic', {});
  expect((await api.get(`/Users?filter=${q('userName eq "dropped.after@example.com"')}`)).body.totalResults).toBe(1);
});

test('latency: requests take at least the configured delay (recorded in the request log)', async () => {
  await sb.admin.clearRequestLog('generic');
  await sb.admin.setFaults('generic', { latencyMs: 150, latencyJitterMs: 20 });
  await api.get('/Users?count=1');
  const [entry] = await sb.admin.requestLog('generic');
  expect(entry.durationMs).toBeGreaterThanOrEqual(145);
});

test('fail the next N requests, then recover', async () => {
  await sb.admin.setFaults('generic', { failNext: 2, failStatus: 500 });
  const a = await api.get('/Users?count=1');
  const b = await api.get('/Users?count=1');
  const c = await api.get('/Users?count=1');
  expectScimError(a, 500);
  expectScimError(b, 500);
  expect(c.status).toBe(200);
  expect((await sb.admin.getFaults('generic')).failNext).toBe(0);
});

test('failNext with 503 sends Retry-After; faults are per tenant', async () => {
  await sb.admin.setFaults('promapp', { failNext: 1 });
  const promapp = scimCaller(sb.credentials.promapp.baseUrl, { token: sb.credentials.promapp.token });
  try {
    expect((await api.get('/Users?count=1')).status).toBe(200);
    const res = await promapp.get('/Users');
    expectScimError(res, 503);
    expect(res.headers['retry-after']).toBe('1');
    expect((await promapp.get('/Users')).status).toBe(200);
  } finally {
    await promapp.close();
    await sb.admin.setFaults('promapp', {});
  }
});

async function errorSequence(seed: number): Promise<number[]> {
  const other = await startTestSandbox({ seed, faults: { generic: { errorRate: 0.5 } } });
  const caller = scimCaller(other.sandbox.tenants.generic.baseUrl, { token: other.credentials.generic.token });
  try {
    const out: number[] = [];
    for (let i = 0; i < 16; i++) out.push((await caller.get('/ServiceProviderConfig')).status);
    return out;
  } finally {
    await caller.close();
    await other.stop();
  }
}

test('random 500/503 errors are deterministic for a given seed', async () => {
  const first = await errorSequence(7);
  const second = await errorSequence(7);
  expect(second).toEqual(first);
  expect(first.some((s) => s === 200)).toBe(true);
  expect(first.some((s) => s === 500 || s === 503)).toBe(true);
});

test('invalid fault configs are refused with a detail naming the field', async () => {
  await expect(sb.admin.setFaults('generic', { errorRate: 2 })).rejects.toThrow(/errorRate/);
  await expect(sb.admin.setFaults('generic', { bogus: 1 } as never)).rejects.toThrow(/unknown field 'bogus'/);
  await expect(startTestSandbox({ faults: { generic: { dropPhase: 'sometime' as never } } })).rejects.toThrow(/dropPhase/);
});
