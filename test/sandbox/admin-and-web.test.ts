// The admin API through SandboxAdmin (out-of-band create, drift, delete, groups, reset, request log)
// and the read-only web page (statuses, members, escaping of untrusted values).
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { q, scimCaller, user, type ScimCaller } from './scim-http';

let sb: TestSandbox;
let proxy: ScimCaller;
let promapp: ScimCaller;

beforeAll(async () => {
  sb = await startTestSandbox();
  proxy = scimCaller(sb.credentials.proxy.baseUrl, { username: sb.credentials.proxy.username, password: sb.credentials.proxy.password });
  promapp = scimCaller(sb.credentials.promapp.baseUrl, { token: sb.credentials.promapp.token });
});
afterAll(async () => {
  await proxy.close();
  await promapp.close();
  await sb.stop();
});

test('createUser out of band: a pre-existing account the SCIM client then finds (and gets 409 on)', async () => {
  const pre = await sb.admin.createUser('proxy', { userName: 'Pre.Existing@Proxy.example', emails: [{ value: 'Pre.Existing@Proxy.example', type: 'work' }] });
  expect(pre).toMatchObject({ userName: 'Pre.Existing@Proxy.example', sandboxStatus: 'active', emails: [{ value: 'pre.existing@proxy.example' }] });
  expect((await proxy.post('/Users', user('pre.existing@proxy.example'))).status).toBe(409);
  expect((await proxy.get(`/Users?filter=${q('userName eq "pre.existing@proxy.example"')}`)).body.Resources[0].id).toBe(pre.id);
});

test('createUser with sandboxStatus "pending" makes a pending user', async () => {
  const p = await sb.admin.createUser('generic', { userName: 'invited@example.com', sandboxStatus: 'pending' });
  expect(p).toMatchObject({ active: false, sandboxStatus: 'pending' });
});

test('patchUser is drift: it bypasses the tenant quirks and bumps the version', async () => {
  const u = (await proxy.post('/Users', user('drift@proxy.example'))).body;
  const drifted = await sb.admin.patchUser('proxy', u.id, { emails: [{ value: 'UPPER@Proxy.example', type: 'work' }], title: 'Drifted', active: false });
  expect(drifted).toMatchObject({ title: 'Drifted', active: false, sandboxStatus: 'inactive', emails: [{ value: 'UPPER@Proxy.example' }] });
  const seen = (await proxy.get(`/Users/${u.id}`)).body;
  expect(seen.meta.version).toBe('W/"2"');
  expect(seen.emails[0].value).toBe('UPPER@Proxy.example');
  const cleared = await sb.admin.patchUser('proxy', u.id, { title: null });
  expect(cleared.title).toBeUndefined();
  await expect(sb.admin.patchUser('proxy', u.id, { userName: 'pre.existing@proxy.example' })).rejects.toThrow(/409/);
});

test('deleteUser is a hard delete even where SCIM DELETE only deactivates; getUser answers undefined after', async () => {
  const u = (await promapp.post('/Users', user('gone@promapp.example'))).body;
  await sb.admin.deleteUser('promapp', u.id);
  expect(await sb.admin.getUser('promapp', u.id)).toBeUndefined();
  expect((await promapp.get(`/Users/${u.id}`)).status).toBe(404);
});

test('groups out of band: create with member ids, patch members (drift), delete', async () => {
  const a = await sb.admin.createUser('proxy', { userName: 'ga@proxy.example' });
  const b = await sb.admin.createUser('proxy', { userName: 'gb@proxy.example' });
  const g = await sb.admin.createGroup('proxy', { displayName: 'Out of band', members: [a.id] });
  expect(g.members.map((m: any) => m.value)).toEqual([a.id]);
  const patched = await sb.admin.patchGroup('proxy', g.id, { members: [a.id, b.id], displayName: 'Renamed out of band' });
  expect(patched.members.map((m: any) => m.value)).toEqual([a.id, b.id]);
  expect((await proxy.get(`/Users/${b.id}`)).body.groups).toEqual([expect.objectContaining({ value: g.id, display: 'Renamed out of band' })]);
  expect((await sb.admin.listGroups('proxy')).map((x) => x.id)).toContain(g.id);
  await sb.admin.deleteGroup('proxy', g.id);
  expect(await sb.admin.getGroup('proxy', g.id)).toBeUndefined();
  await expect(sb.admin.listGroups('promapp')).rejects.toThrow(/has no groups/);
});

test('request log: entries per tenant, clearable', async () => {
  await sb.admin.clearRequestLog('promapp');
  await promapp.get('/Users?count=5');
  const log = await sb.admin.requestLog('promapp');
  expect(log).toEqual([expect.objectContaining({ tenant: 'promapp', method: 'GET', path: '/Users?count=5', status: 200 })]);
});

test('resetTenant empties users, groups, faults and request log of that tenant only', async () => {
  await sb.admin.setFaults('proxy', { latencyMs: 1 });
  await sb.admin.resetTenant('proxy');
  expect(await sb.admin.listUsers('proxy')).toEqual([]);
  expect(await sb.admin.listGroups('proxy')).toEqual([]);
  expect(await sb.admin.getFaults('proxy')).toEqual({});
  expect(await sb.admin.requestLog('proxy')).toEqual([]);
  expect((await sb.admin.listUsers('generic')).length).toBeGreaterThan(0);
  const tenants = await sb.admin.tenants();
  expect(tenants.map((t) => t.name)).toEqual(['generic', 'proxyclick', 'promapp', 'proxy']);
});

test('web page: tenants, users with active/inactive/pending, groups and members; all values escaped', async () => {
  const evil = await sb.admin.createUser('proxy', { userName: 'evil@proxy.example', displayName: '<script>alert("x")</script>' });
  await sb.admin.createUser('proxy', { userName: 'waiting@proxy.example', active: false });
  const off = await sb.admin.createUser('proxy', { userName: 'off@proxy.example' });
  await sb.admin.patchUser('proxy', off.id, { active: false });
  await sb.admin.createGroup('proxy', { displayName: 'Team <b>bold</b>', members: [evil.id] });
  const res = await fetch(`${sb.url}/`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/text\/html/);
  const html = await res.text();
  expect(html).not.toContain('<script>alert');
  expect(html).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;&#47;script&#62;');
  expect(html).not.toContain('<b>bold</b>');
  expect(html).toMatch(/http-equiv="refresh"/);
  for (const title of ['Generic SCIM 2.0', 'Proxyclick', 'Promapp', 'Proxy']) expect(html).toContain(title);
  expect(html).toMatch(/class="st pending">pending/);
  expect(html).toMatch(/class="st inactive">inactive/);
  expect(html).toMatch(/class="st active">active/);
  expect(html).not.toContain(sb.credentials.proxy.password);
  expect((await fetch(`${sb.url}/`, { method: 'POST' })).status).toBe(404);
});

test('web page: counts per tenant, group members by name, last refresh time; attribute values escaped too', async () => {
  await sb.admin.resetTenant('generic');
  const ada = await sb.admin.createUser('generic', { userName: 'ada@example.com', displayName: 'Ada Lovelace' });
  const img = await sb.admin.createUser('generic', { userName: 'img@example.com', displayName: '<img src=x onerror=alert(1)>' });
  const quoted = await sb.admin.createUser('generic', { userName: 'q@example.com', displayName: '" onmouseover="alert(2)' });
  await sb.admin.patchUser('generic', quoted.id, { active: false });
  await sb.admin.createUser('generic', { userName: 'invited@example.com', sandboxStatus: 'pending' });
  await sb.admin.createGroup('generic', { displayName: 'Engineering', members: [ada.id, img.id, quoted.id] });
  const before = Date.now();
  const res = await fetch(`${sb.url}/`);
  expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
  const html = await res.text();
  const generic = html.slice(html.indexOf('id="tenant-generic"'), html.indexOf('id="tenant-proxyclick"'));
  expect(generic).toMatch(/Users <span class="h-count">4<\/span> <span class="cnt active">2 active<\/span> <span class="cnt inactive">1 inactive<\/span> <span class="cnt pending">1 pending<\/span>/);
  expect(generic).toMatch(/Groups <span class="h-count">1<\/span>/);
  expect(html).toMatch(/href="#tenant-generic">.*?4 users · 1 group/s);
  // members by name (displayName), with a non-active member's status shown next to it
  expect(generic).toMatch(/class="chip member active"[^>]*>Ada Lovelace<\/span>/);
  expect(generic).toMatch(/class="chip member inactive"[^>]*>&#34; onmouseover&#61;&#34;alert\(2\) <small>inactive<\/small><\/span>/);
  expect(html).not.toContain('<img');
  expect(html).not.toContain('" onmouseover="');
  expect(html).toContain('&#60;img src&#61;x onerror&#61;alert(1)&#62;');
  const stamp = /last refresh <time datetime="([^"]+)">/.exec(html);
  expect(stamp).not.toBeNull();
  const shown = Date.parse(stamp![1].replace(/&#58;/g, ':'));
  expect(shown).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 - 1000);
  expect(html).not.toMatch(/<script/i);
});
