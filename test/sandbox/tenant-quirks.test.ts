// One test per quirk of each seed tenant (Proxyclick, Promapp, Proxy) plus the Entra PATCH dialect
// the generic tenant must tolerate, all over real HTTP.
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { expectScimError, GROUP, patchOp, q, scimCaller, user, type ScimCaller } from './scim-http';

let sb: TestSandbox;
let proxyclick: ScimCaller;
let promapp: ScimCaller;
let proxy: ScimCaller;
let generic: ScimCaller;

beforeAll(async () => {
  sb = await startTestSandbox();
  const c = sb.credentials;
  proxyclick = scimCaller(c.proxyclick.baseUrl, { token: c.proxyclick.token });
  promapp = scimCaller(c.promapp.baseUrl, { token: c.promapp.token });
  proxy = scimCaller(c.proxy.baseUrl, { username: c.proxy.username, password: c.proxy.password });
  generic = scimCaller(c.generic.baseUrl, { token: c.generic.token });
});
afterAll(async () => {
  await Promise.all([proxyclick.close(), promapp.close(), proxy.close(), generic.close()]);
  await sb.stop();
});

describe('proxyclick', () => {
  test('has no groups: /Groups answers 404 with a SCIM error; ResourceTypes and ServiceProviderConfig say so', async () => {
    const groups = await proxyclick.get('/Groups');
    expectScimError(groups, 404);
    expect(groups.body.detail).toMatch(/does not support groups/);
    expectScimError(await proxyclick.post('/Groups', { schemas: [GROUP], displayName: 'x' }), 404);
    const types = (await proxyclick.get('/ResourceTypes')).body.Resources.map((r: any) => r.name);
    expect(types).toEqual(['User']);
    const spc = (await proxyclick.get('/ServiceProviderConfig')).body;
    expect(spc['urn:scimform:params:scim:schemas:extension:sandbox:2.0:ServiceProviderConfig'].groups).toEqual({ supported: false });
  });

  test('userName must be an email', async () => {
    const res = await proxyclick.post('/Users', { ...user('not-an-email'), emails: [] });
    expectScimError(res, 400, 'invalidValue');
    expect(res.body.detail).toMatch(/userName to be an email/);
  });

  test('the primary email always mirrors userName (create without emails, or with another email)', async () => {
    const a = (await proxyclick.post('/Users', { schemas: [user('x').schemas[0]], userName: 'Ann@Corp.example' })).body;
    expect(a.emails).toEqual([{ value: 'Ann@Corp.example', type: 'work', primary: true }]);
    const b = (await proxyclick.post('/Users', { ...user('bob@corp.example'), emails: [{ value: 'other@corp.example', type: 'work', primary: true }] })).body;
    expect(b.emails[0].value).toBe('bob@corp.example');
  });

  test('changing userName changes the email, and changing the email changes userName', async () => {
    const u = (await proxyclick.post('/Users', user('carl@corp.example'))).body;
    const renamed = await proxyclick.patch(`/Users/${u.id}`, patchOp({ op: 'replace', path: 'userName', value: 'carl.new@corp.example' }));
    expect(renamed.body.userName).toBe('carl.new@corp.example');
    expect(renamed.body.emails[0].value).toBe('carl.new@corp.example');
    const remailed = await proxyclick.patch(`/Users/${u.id}`, patchOp({ op: 'replace', path: 'emails[type eq "work"].value', value: 'carl.third@corp.example' }));
    expect(remailed.body.userName).toBe('carl.third@corp.example');
    expect(remailed.body.emails[0].value).toBe('carl.third@corp.example');
  });
});

describe('promapp', () => {
  let u: any;
  beforeAll(async () => {
    u = (await promapp.post('/Users', user('dana@promapp.example'))).body;
  });

  test('lives at /promapp/api/scim and has no groups', async () => {
    expect(sb.sandbox.tenants.promapp.baseUrl).toMatch(/\/promapp\/api\/scim$/);
    expectScimError(await promapp.get('/Groups'), 404);
  });

  test('PATCH of userName answers 400 mutability naming the path', async () => {
    const res = await promapp.patch(`/Users/${u.id}`, patchOp({ op: 'replace', path: 'userName', value: 'dana2@promapp.example' }));
    expectScimError(res, 400, 'mutability');
    expect(res.body.detail).toContain("'userName'");
    const pathless = await promapp.patch(`/Users/${u.id}`, patchOp({ op: 'replace', value: { 'name.givenName': 'D', title: 'Boss' } }));
    expectScimError(pathless, 400, 'mutability');
    expect(pathless.body.detail).toContain("'title'");
    const active = await promapp.patch(`/Users/${u.id}`, patchOp({ op: 'Replace', path: 'active', value: 'False' }));
    expectScimError(active, 400, 'mutability');
    expect((await promapp.get(`/Users/${u.id}`)).body.userName).toBe('dana@promapp.example');
  });

  test('PATCH may change name.givenName, name.familyName and emails', async () => {
    const res = await promapp.patch(`/Users/${u.id}`, patchOp(
      { op: 'replace', path: 'name.givenName', value: 'Dana' },
      { op: 'replace', value: { name: { familyName: 'Scully' } } },
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'dana.scully@promapp.example' },
    ));
    expect(res.status).toBe(200);
    expect(res.body.name).toMatchObject({ givenName: 'Dana', familyName: 'Scully' });
    expect(res.body.emails[0].value).toBe('dana.scully@promapp.example');
  });

  test('PUT may change userName', async () => {
    const current = (await promapp.get(`/Users/${u.id}`)).body;
    const res = await promapp.put(`/Users/${u.id}`, { ...current, userName: 'dana.renamed@promapp.example' });
    expect(res.status).toBe(200);
    expect(res.body.userName).toBe('dana.renamed@promapp.example');
  });

  test('DELETE only deactivates: the user stays readable and listable with active=false', async () => {
    expect((await promapp.del(`/Users/${u.id}`)).status).toBe(204);
    const after = await promapp.get(`/Users/${u.id}`);
    expect(after.status).toBe(200);
    expect(after.body.active).toBe(false);
    const listed = await promapp.get(`/Users?filter=${q('userName eq "dana.renamed@promapp.example"')}`);
    expect(listed.body.Resources[0]).toMatchObject({ id: u.id, active: false });
  });
});

describe('proxy', () => {
  test('authenticates with HTTP Basic (app key / secret); a bearer token is refused', async () => {
    expect((await proxy.get('/Users')).status).toBe(200);
    const bearer = scimCaller(sb.credentials.proxy.baseUrl, { token: sb.credentials.proxy.password });
    try {
      const res = await bearer.get('/Users');
      expectScimError(res, 401);
      expect(res.headers['www-authenticate']).toMatch(/^Basic/);
    } finally {
      await bearer.close();
    }
  });

  test('stores emails lower-cased', async () => {
    const res = await proxy.post('/Users', { ...user('Eve@Proxy.Example'), emails: [{ value: 'Eve.Mixed@Proxy.Example', type: 'work', primary: true }] });
    expect(res.body.emails[0].value).toBe('eve.mixed@proxy.example');
    expect(res.body.userName).toBe('Eve@Proxy.Example');
    const patched = await proxy.patch(`/Users/${res.body.id}`, patchOp({ op: 'add', path: 'emails', value: [{ value: 'HOME@Proxy.Example', type: 'home' }] }));
    expect(patched.body.emails.map((e: any) => e.value)).toEqual(['eve.mixed@proxy.example', 'home@proxy.example']);
  });

  test('a user created with active=false is pending and cannot be deactivated', async () => {
    const pending = (await proxy.post('/Users', user('fay@proxy.example', { active: false }))).body;
    expect(pending.active).toBe(false);
    const res = await proxy.patch(`/Users/${pending.id}`, patchOp({ op: 'replace', value: { active: false } }));
    expectScimError(res, 400, 'invalidValue');
    expect(res.body.detail).toMatch(/pending/);
    expect((await sb.admin.getUser('proxy', pending.id)).sandboxStatus).toBe('pending');
  });

  test('reactivation with active=true, and deactivated users stay with active=false', async () => {
    const u = (await proxy.post('/Users', user('gil@proxy.example'))).body;
    const off = await proxy.patch(`/Users/${u.id}`, patchOp({ op: 'replace', path: 'active', value: false }));
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    expect((await sb.admin.getUser('proxy', u.id)).sandboxStatus).toBe('inactive');
    const listed = await proxy.get(`/Users?filter=${q('active eq false')}`);
    expect(listed.body.Resources.map((r: any) => r.id)).toContain(u.id);
    const on = await proxy.patch(`/Users/${u.id}`, patchOp({ op: 'replace', path: 'active', value: true }));
    expect(on.body.active).toBe(true);
    const pending = (await proxy.post('/Users', user('hal@proxy.example', { active: false }))).body;
    const activated = await proxy.patch(`/Users/${pending.id}`, patchOp({ op: 'replace', value: { active: true } }));
    expect(activated.body.active).toBe(true);
    expect((await sb.admin.getUser('proxy', pending.id)).sandboxStatus).toBe('active');
    expect((await proxy.patch(`/Users/${pending.id}`, patchOp({ op: 'replace', value: { active: false } }))).status).toBe(200);
  });

  test('groups with members; a group PATCH answers 204 No Content', async () => {
    const a = (await proxy.post('/Users', user('ida@proxy.example'))).body;
    const g = (await proxy.post('/Groups', { schemas: [GROUP], displayName: 'Proxy team' })).body;
    const res = await proxy.patch(`/Groups/${g.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: a.id }] }));
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect((await proxy.get(`/Groups/${g.id}`)).body.members).toEqual([expect.objectContaining({ value: a.id, type: 'User' })]);
  });
});

describe('generic tolerates the Entra ID dialect', () => {
  test('capitalised ops, "False"/"True" strings, dotted pathless keys, member removal by value list, empty Operations', async () => {
    const u = (await generic.post('/Users', user('entra.user@example.com', { active: 'True' }))).body;
    expect(u.active).toBe(true);
    const off = await generic.patch(`/Users/${u.id}`, patchOp({ op: 'Replace', path: 'active', value: 'False' }));
    expect(off.body.active).toBe(false);
    const multi = await generic.patch(`/Users/${u.id}`, patchOp({ op: 'Replace', value: { 'name.givenName': 'Zed', active: 'True', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department': 'R&D' } }));
    expect(multi.body).toMatchObject({ name: { givenName: 'Zed' }, active: true, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'R&D' } });
    const noop = await generic.patch(`/Users/${u.id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [] });
    expect(noop.status).toBe(200);
    expect(noop.body.meta.version).toBe(multi.body.meta.version);

    const g = (await generic.post('/Groups', { schemas: [GROUP], displayName: 'Entra group' })).body;
    await generic.patch(`/Groups/${g.id}`, patchOp({ op: 'Add', path: 'members', value: [{ $ref: null, value: u.id }] }));
    expect((await generic.get(`/Groups/${g.id}`)).body.members.map((m: any) => m.value)).toEqual([u.id]);
    await generic.patch(`/Groups/${g.id}`, patchOp({ op: 'Remove', path: 'members', value: [{ value: u.id }] }));
    expect((await generic.get(`/Groups/${g.id}`)).body.members).toEqual([]);
  });

  test('valuePath add/replace creates the element when missing (emails[type eq "work"].value on a user without a work email)', async () => {
    const u = (await generic.post('/Users', { schemas: [user('x').schemas[0]], userName: 'no.email@example.com' })).body;
    const added = await generic.patch(`/Users/${u.id}`, patchOp({ op: 'Add', path: 'emails[type eq "work"].value', value: 'work@example.com' }));
    expect(added.body.emails).toEqual([{ type: 'work', value: 'work@example.com' }]);
    const replaced = await generic.patch(`/Users/${u.id}`, patchOp(
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'work2@example.com' },
      { op: 'Replace', path: 'emails[type eq "work"].primary', value: 'True' },
    ));
    expect(replaced.body.emails).toEqual([{ type: 'work', value: 'work2@example.com', primary: true }]);
  });

  test('manager given as a bare id string (Entra) is stored as {value}', async () => {
    const boss = (await generic.post('/Users', user('boss@example.com'))).body;
    const u = (await generic.post('/Users', user('report@example.com'))).body;
    const res = await generic.patch(`/Users/${u.id}`, patchOp({ op: 'Add', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager', value: boss.id }));
    expect(res.body['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']).toEqual({ manager: { value: boss.id } });
    const found = await generic.get(`/Users?filter=${q(`id eq "${u.id}" and urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "${boss.id}"`)}`);
    expect(found.body.totalResults).toBe(1);
    const entraStyle = await generic.get(`/Users?filter=${q(`id eq "${u.id}" and manager eq "${boss.id}"`)}`);
    expect(entraStyle.body.totalResults).toBe(1);
    expect((await generic.get(`/Users?filter=${q(`id eq "${u.id}" and manager eq "someone-else"`)}`)).body.totalResults).toBe(0);
    const removed = await generic.patch(`/Users/${u.id}`, patchOp({ op: 'Remove', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager' }));
    expect(removed.body['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']).toBeUndefined();
  });

  test('Test Connection: filter on a random GUID answers 200 with an empty ListResponse', async () => {
    const res = await generic.get(`/Users?filter=${q('userName eq "6f0f9b1c-1c1e-4cde-9d7e-1f2b3c4d5e6f"')}`);
    expect(res.status).toBe(200);
    expect(res.body.totalResults).toBe(0);
  });
});
