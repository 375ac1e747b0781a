// The Okta SCIM 2.0 SPEC/CRUD test list (provisioning-anchors §2) against the generic tenant, over
// real HTTP: list, get by id, filters (in another case), 409, 404, 401, pagination, PATCH active
// false/true, PUT, groups with member add/remove, DELETE.
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { expectScimError, GROUP, LIST, patchOp, q, scimCaller, user, USER, type ScimCaller } from './scim-http';

let sb: TestSandbox;
let api: ScimCaller;

beforeAll(async () => {
  sb = await startTestSandbox();
  api = scimCaller(sb.sandbox.tenants.generic.baseUrl, { token: sb.credentials.generic.token });
});
afterAll(async () => {
  await api.close();
  await sb.stop();
});

describe('generic tenant: Okta SCIM 2.0 spec tests', () => {
  let created: any;

  test('POST /Users creates a user: 201 with id, meta and Location', async () => {
    const res = await api.post('/Users', { ...user('okta.user@example.com'), externalId: 'okta-1', password: 'Secret-1', groups: [] });
    expect(res.status).toBe(201);
    created = res.body;
    expect(created.id).toEqual(expect.any(String));
    expect(created.userName).toBe('okta.user@example.com');
    expect(created.password).toBeUndefined();
    expect(created.meta).toMatchObject({ resourceType: 'User', version: 'W/"1"', location: `${sb.sandbox.tenants.generic.baseUrl}/Users/${created.id}` });
    expect(created.meta.created).toEqual(expect.any(String));
    expect(created.meta.lastModified).toEqual(expect.any(String));
    expect(res.headers.location).toBe(created.meta.location);
    expect(res.headers.etag).toBe('W/"1"');
  });

  test('GET /Users?startIndex=1&count=2 returns an integer ListResponse', async () => {
    await api.post('/Users', user('second@example.com'));
    await api.post('/Users', user('third@example.com'));
    const res = await api.get('/Users?startIndex=1&count=2');
    expect(res.status).toBe(200);
    expect(res.body.schemas).toEqual([LIST]);
    expect(res.body.totalResults).toBe(3);
    expect(res.body.startIndex).toBe(1);
    expect(res.body.itemsPerPage).toBe(2);
    expect(res.body.Resources).toHaveLength(2);
  });

  test('GET /Users/{id} returns the user (verify after create)', async () => {
    const res = await api.get(`/Users/${created.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: created.id, userName: 'okta.user@example.com', externalId: 'okta-1', active: true });
  });

  test('filter on an unknown userName returns 0 results', async () => {
    const res = await api.get(`/Users?filter=${q('userName eq "nobody-7f3a@example.com"')}&startIndex=1&count=100`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ totalResults: 0, Resources: [] });
  });

  test('filter userName eq finds the user in another case (case-insensitive userName)', async () => {
    const res = await api.get(`/Users?filter=${q('userName eq "OKTA.USER@EXAMPLE.COM"')}`);
    expect(res.body.totalResults).toBe(1);
    expect(res.body.Resources[0].id).toBe(created.id);
  });

  test('POST of a duplicate userName (other case) answers 409 uniqueness', async () => {
    expectScimError(await api.post('/Users', user('Okta.User@Example.COM')), 409, 'uniqueness');
  });

  test('POST of a duplicate externalId answers 409 uniqueness', async () => {
    expectScimError(await api.post('/Users', { ...user('other@example.com'), externalId: 'okta-1' }), 409, 'uniqueness');
  });

  test('GET of a bad id answers 404 with the SCIM error schema', async () => {
    expectScimError(await api.get('/Users/010101010-bad-id'), 404);
  });

  test('a bad token answers 401', async () => {
    const bad = scimCaller(sb.sandbox.tenants.generic.baseUrl, { token: 'not-the-token' });
    try {
      expectScimError(await bad.get('/Users?startIndex=1&count=2'), 401);
    } finally {
      await bad.close();
    }
  });

  test('pagination walks all users across pages without overlap', async () => {
    for (let i = 0; i < 12; i++) await api.post('/Users', user(`page${i}@example.com`));
    const seen: string[] = [];
    let start = 1;
    let total = Infinity;
    while (start <= total) {
      const res = await api.get(`/Users?startIndex=${start}&count=4`);
      total = res.body.totalResults;
      expect(res.body.startIndex).toBe(start);
      expect(res.body.itemsPerPage).toBe(res.body.Resources.length);
      seen.push(...res.body.Resources.map((r: any) => r.id));
      start += 4;
    }
    expect(total).toBe(15);
    expect(new Set(seen).size).toBe(15);
  });

  test('PATCH active=false then active=true (Okta pathless replace)', async () => {
    const off = await api.patch(`/Users/${created.id}`, patchOp({ op: 'replace', value: { active: false } }));
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    expect(off.body.meta.version).toBe('W/"2"');
    const on = await api.patch(`/Users/${created.id}`, patchOp({ op: 'replace', value: { active: true } }));
    expect(on.body.active).toBe(true);
    expect((await api.get(`/Users/${created.id}`)).body.active).toBe(true);
  });

  test('PUT replaces the user (full update)', async () => {
    const current = (await api.get(`/Users/${created.id}`)).body;
    const res = await api.put(`/Users/${created.id}`, { ...current, name: { givenName: 'Renamed', familyName: 'Person' }, title: 'Engineer' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: created.id, name: { givenName: 'Renamed', familyName: 'Person' }, title: 'Engineer', active: true });
    expect(res.body.meta.created).toBe(created.meta.created);
  });

  describe('groups', () => {
    let group: any;
    let member: any;

    test('POST /Groups with no members, then 409 on a duplicate displayName', async () => {
      const res = await api.post('/Groups', { schemas: [GROUP], displayName: 'Engineering', members: [] });
      expect(res.status).toBe(201);
      group = res.body;
      expect(group).toMatchObject({ displayName: 'Engineering', members: [] });
      expectScimError(await api.post('/Groups', { schemas: [GROUP], displayName: 'engineering' }), 409, 'uniqueness');
    });

    test('filter displayName eq finds the group in another case, excludedAttributes=members', async () => {
      const res = await api.get(`/Groups?excludedAttributes=members&filter=${q('displayName eq "ENGINEERING"')}`);
      expect(res.body.totalResults).toBe(1);
      expect(res.body.Resources[0].id).toBe(group.id);
      expect(res.body.Resources[0].members).toBeUndefined();
    });

    test('PATCH add members, then remove one with members[value eq "…"]', async () => {
      member = (await api.post('/Users', user('member@example.com'))).body;
      const add = await api.patch(`/Groups/${group.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: member.id }, { value: created.id }] }));
      expect(add.status).toBe(200);
      expect(add.body.members.map((m: any) => m.value).sort()).toEqual([member.id, created.id].sort());
      const memberUser = (await api.get(`/Users/${member.id}`)).body;
      expect(memberUser.groups).toEqual([expect.objectContaining({ value: group.id, display: 'Engineering' })]);

      const remove = await api.patch(`/Groups/${group.id}`, patchOp({ op: 'remove', path: `members[value eq "${member.id}"]` }));
      expect(remove.body.members.map((m: any) => m.value)).toEqual([created.id]);
      expect((await api.get(`/Users/${member.id}`)).body.groups).toBeUndefined();
    });

    test('PATCH members with an unknown user id answers 400 naming the member', async () => {
      const res = await api.patch(`/Groups/${group.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: 'no-such-user' }] }));
      expectScimError(res, 400, 'invalidValue');
      expect(res.body.detail).toContain('no-such-user');
    });

    test('Okta membership change: id/displayName replace plus replace members', async () => {
      const res = await api.patch(`/Groups/${group.id}`, patchOp(
        { op: 'replace', value: { id: group.id, displayName: 'Engineering' } },
        { op: 'replace', path: 'members', value: [{ value: member.id, display: 'member@example.com' }] },
      ));
      expect(res.status).toBe(200);
      expect(res.body.members.map((m: any) => m.value)).toEqual([member.id]);
    });

    test('DELETE /Groups/{id} answers 204, then 404', async () => {
      expect((await api.del(`/Groups/${group.id}`)).status).toBe(204);
      expectScimError(await api.get(`/Groups/${group.id}`), 404);
      expect((await api.get(`/Users/${member.id}`)).body.groups).toBeUndefined();
    });
  });

  test('DELETE /Users/{id} answers 204; the user is gone (404) and removed from its groups', async () => {
    const g = (await api.post('/Groups', { schemas: [GROUP], displayName: 'Doomed members', members: [{ value: created.id }] })).body;
    expect((await api.del(`/Users/${created.id}`)).status).toBe(204);
    expectScimError(await api.get(`/Users/${created.id}`), 404);
    expect((await api.get(`/Groups/${g.id}`)).body.members).toEqual([]);
    expect((await api.get(`/Users?filter=${q('userName eq "okta.user@example.com"')}`)).body.totalResults).toBe(0);
  });

  test('the request log saw the calls, with paths relative to the tenant and no credentials', async () => {
    const log = await sb.admin.requestLog('generic');
    expect(log.some((e) => e.method === 'POST' && e.path === '/Users' && e.status === 201)).toBe(true);
    expect(log.some((e) => e.method === 'GET' && e.path === '/Users?filter=userName eq "OKTA.USER@EXAMPLE.COM"')).toBe(true);
    expect(JSON.stringify(log)).not.toContain(sb.credentials.generic.token);
    expect(log[0]).toEqual({ time: expect.any(String), tenant: 'generic', method: expect.any(String), path: expect.any(String), status: expect.any(Number), durationMs: expect.any(Number) });
  });

  test('schemas of a created user name the core schema', () => {
    expect(created.schemas).toContain(USER);
  });
});
