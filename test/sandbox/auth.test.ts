// 401 cases: missing, wrong, malformed and other tenants' credentials on every tenant and on the admin
// API; every 401 carries a SCIM error body and a WWW-Authenticate challenge, and is request-logged.
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { expectScimError, scimCaller, type Auth } from './scim-http';
import type { TenantName } from '../../sandbox';

let sb: TestSandbox;
beforeAll(async () => { sb = await startTestSandbox(); });
afterAll(async () => { await sb.stop(); });

async function status(tenant: TenantName | 'admin', auth: Auth, path = '/Users') {
  const base = tenant === 'admin' ? sb.credentials.admin.baseUrl : sb.sandbox.tenants[tenant].baseUrl;
  const caller = scimCaller(base, auth);
  try {
    return await caller.get(tenant === 'admin' ? '/tenants' : path);
  } finally {
    await caller.close();
  }
}

test.each(['generic', 'proxyclick', 'promapp'] as const)('%s: missing, wrong, malformed and other tenants\' tokens → 401', async (tenant) => {
  const c = sb.credentials;
  const others = [c.generic.token, c.proxyclick.token, c.promapp.token, c.admin.token].filter((t) => t !== c[tenant].token);
  const cases: Auth[] = [undefined, { token: 'wrong' }, { header: 'Bearer' }, { header: c[tenant].token }, { username: 'x', password: c[tenant].token }, ...others.map((token) => ({ token }))];
  for (const auth of cases) {
    const res = await status(tenant, auth);
    expectScimError(res, 401);
    expect(res.headers['www-authenticate']).toBe(`Bearer realm="${tenant}"`);
    expect(res.text).not.toContain(c[tenant].token);
  }
  expect((await status(tenant, { token: c[tenant].token })).status).toBe(200);
  expect((await status(tenant, { header: `bearer   ${c[tenant].token}` })).status).toBe(200);
});

test('proxy: wrong password, wrong app key, bearer token, malformed Basic → 401', async () => {
  const p = sb.credentials.proxy;
  const cases: Auth[] = [undefined, { username: p.username, password: 'nope' }, { username: 'nope', password: p.password }, { token: p.password }, { header: 'Basic !!!' }, { header: `Basic ${Buffer.from(p.username).toString('base64')}` }];
  for (const auth of cases) {
    const res = await status('proxy', auth);
    expectScimError(res, 401);
    expect(res.headers['www-authenticate']).toBe('Basic realm="proxy"');
  }
  expect((await status('proxy', { username: p.username, password: p.password })).status).toBe(200);
});

test('discovery endpoints are protected too', async () => {
  expectScimError(await status('generic', undefined, '/ServiceProviderConfig'), 401);
  expectScimError(await status('generic', undefined, '/Schemas'), 401);
});

test('admin API: needs the admin token; tenant tokens are refused', async () => {
  expectScimError(await status('admin', undefined), 401);
  expectScimError(await status('admin', { token: sb.credentials.generic.token }), 401);
  expect((await status('admin', { token: sb.credentials.admin.token })).status).toBe(200);
});

test('401s are request-logged, without credentials', async () => {
  const log = await sb.admin.requestLog('generic');
  expect(log.filter((e) => e.status === 401).length).toBeGreaterThan(3);
  const text = JSON.stringify(log);
  for (const secret of [sb.credentials.generic.token, sb.credentials.admin.token, sb.credentials.proxy.password]) expect(text).not.toContain(secret);
});
