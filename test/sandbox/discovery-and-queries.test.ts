// Discovery endpoints, the filter operators, attributes/excludedAttributes, .search, ETag/If-Match
// and If-None-Match on the generic tenant.
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { expectScimError, GROUP, LIST, patchOp, q, scimCaller, user, USER, type ScimCaller } from './scim-http';

let sb: TestSandbox;
let api: ScimCaller;
const ids: Record<string, string> = {};

beforeAll(async () => {
  sb = await startTestSandbox();
  api = scimCaller(sb.sandbox.tenants.generic.baseUrl, { token: sb.credentials.generic.token });
  const people: [string, Record<string, unknown>][] = [
    ['ann@alpha.example', { title: 'Engineer', externalId: 'E-1', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'R&D', employeeNumber: '100' } }],
    ['bob@beta.example', { title: 'Manager', active: false }],
    ['cy@alpha.example', { title: 'Engineer Lead', name: { givenName: 'Cy', familyName: 'Young' } }],
  ];
  for (const [name, extra] of people) ids[name] = (await api.post('/Users', user(name, extra))).body.id;
});
afterAll(async () => {
  await api.close();
  await sb.stop();
});

const names = async (filter: string) => {
  const res = await api.get(`/Users?filter=${q(filter)}`);
  expect(res.status).toBe(200);
  return (res.body.Resources as any[]).map((r) => r.userName).sort();
};

test('ServiceProviderConfig, ResourceTypes and Schemas describe the tenant', async () => {
  const spc = (await api.get('/ServiceProviderConfig')).body;
  expect(spc).toMatchObject({ patch: { supported: true }, bulk: { supported: false }, filter: { supported: true, maxResults: 1000 }, etag: { supported: true } });
  expect(spc.authenticationSchemes[0].type).toBe('oauthbearertoken');
  const types = (await api.get('/ResourceTypes')).body;
  expect(types.schemas).toEqual([LIST]);
  expect(types.Resources.map((r: any) => r.endpoint)).toEqual(['/Users', '/Groups']);
  expect((await api.get('/ResourceTypes/Group')).body.schema).toBe(GROUP);
  const schemas = (await api.get('/Schemas')).body.Resources.map((s: any) => s.id);
  expect(schemas).toEqual([USER, GROUP, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']);
  const userSchema = (await api.get(`/Schemas/${USER}`)).body;
  expect(userSchema.attributes.find((a: any) => a.name === 'userName')).toMatchObject({ required: true, uniqueness: 'server' });
});

test('filter operators eq ne co sw ew pr gt lt, and/or/not, case-insensitive where caseExact=false', async () => {
  expect(await names('title co "engineer"')).toEqual(['ann@alpha.example', 'cy@alpha.example']);
  expect(await names('userName sw "ANN"')).toEqual(['ann@alpha.example']);
  expect(await names('userName ew "@beta.example"')).toEqual(['bob@beta.example']);
  expect(await names('name.familyName pr and title pr')).toEqual(['ann@alpha.example', 'bob@beta.example', 'cy@alpha.example']);
  expect(await names('externalId pr')).toEqual(['ann@alpha.example']);
  expect(await names('externalId eq "e-1"')).toEqual([]);
  expect(await names('active eq false')).toEqual(['bob@beta.example']);
  expect(await names('title ne "Manager"')).toEqual(['ann@alpha.example', 'cy@alpha.example']);
  expect(await names('userName ew "alpha.example" and not (title eq "engineer")')).toEqual(['cy@alpha.example']);
  expect(await names('title eq "manager" or name.givenName eq "cy"')).toEqual(['bob@beta.example', 'cy@alpha.example']);
  expect(await names('emails[type eq "work" and value co "beta"]')).toEqual(['bob@beta.example']);
  expect(await names('emails[type eq "work"].value eq "CY@alpha.example"')).toEqual(['cy@alpha.example']);
  expect(await names('emails co "BETA"')).toEqual(['bob@beta.example']);
  expect(await names('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "r&d"')).toEqual(['ann@alpha.example']);
  expect(await names(`id eq "${ids['bob@beta.example']}" and userName eq "bob@beta.example"`)).toEqual(['bob@beta.example']);
  const many = Object.values(ids).map((id) => `id eq "${id}"`).concat(Array.from({ length: 40 }, (_, i) => `userName eq "missing${i}@example.com"`)).join(' or ');
  expect(await names(many)).toEqual(['ann@alpha.example', 'bob@beta.example', 'cy@alpha.example']);
  expect(await names('meta.created gt "2000-01-01T00:00:00Z"')).toHaveLength(3);
  expect(await names('meta.created lt "2000-01-01T00:00:00Z"')).toEqual([]);
});

test('attributes and excludedAttributes shape the resources (id and schemas always returned)', async () => {
  const only = (await api.get(`/Users?attributes=userName,emails.value&filter=${q('userName eq "ann@alpha.example"')}`)).body.Resources[0];
  expect(Object.keys(only).sort()).toEqual(['emails', 'id', 'schemas', 'userName']);
  expect(only.emails).toEqual([{ value: 'ann@alpha.example' }]);
  const without = (await api.get(`/Users/${ids['ann@alpha.example']}?excludedAttributes=emails,name`)).body;
  expect(without.emails).toBeUndefined();
  expect(without.name).toBeUndefined();
  expect(without.userName).toBe('ann@alpha.example');
});

test('POST /Users/.search takes a SearchRequest', async () => {
  const res = await api.post('/Users/.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter: 'title co "engineer"', attributes: ['userName'], startIndex: 1, count: 1 });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ totalResults: 2, itemsPerPage: 1 });
  expect(Object.keys(res.body.Resources[0]).sort()).toEqual(['id', 'schemas', 'userName']);
});

test('ETag: If-Match with a stale version → 412; If-None-Match with the current one → 304', async () => {
  const id = ids['cy@alpha.example'];
  const current = await api.get(`/Users/${id}`);
  const tag = current.headers.etag as string;
  expect(tag).toBe(current.body.meta.version);
  expect((await api.get(`/Users/${id}`, { 'if-none-match': tag })).status).toBe(304);
  const ok = await api.call('PATCH', `/Users/${id}`, patchOp({ op: 'replace', path: 'title', value: 'Lead' }), { 'if-match': tag });
  expect(ok.status).toBe(200);
  const stale = await api.call('PATCH', `/Users/${id}`, patchOp({ op: 'replace', path: 'title', value: 'Again' }), { 'if-match': tag });
  expectScimError(stale, 412);
  expect((await api.call('DELETE', `/Users/${id}`, undefined, { 'if-match': '*' })).status).toBe(204);
});

test('a large group: PATCH of many members at once, listing groups with excludedAttributes=members', async () => {
  const members: string[] = [];
  for (let i = 0; i < 60; i++) members.push((await sb.admin.createUser('generic', { userName: `bulk${i}@example.com` })).id);
  const g = (await api.post('/Groups', { schemas: [GROUP], displayName: 'Big' })).body;
  await api.patch(`/Groups/${g.id}`, patchOp({ op: 'add', path: 'members', value: members.map((value) => ({ value })) }));
  const full = (await api.get(`/Groups/${g.id}`)).body;
  expect(full.members).toHaveLength(60);
  const listed = (await api.get('/Groups?excludedAttributes=members')).body.Resources[0];
  expect(listed).toMatchObject({ id: g.id, displayName: 'Big' });
  expect(listed.members).toBeUndefined();
  const removed = await api.patch(`/Groups/${g.id}`, patchOp(...members.slice(0, 30).map((m) => ({ op: 'remove', path: `members[value eq "${m}"]` }))));
  expect(removed.body.members.map((m: any) => m.value)).toEqual(members.slice(30));
  const extra = (await sb.admin.createUser('generic', { userName: 'late@example.com' })).id;
  const mixed = await api.patch(`/Groups/${g.id}`, patchOp(
    { op: 'Remove', path: 'members', value: [{ value: members[30] }, { value: members[59] }] },
    { op: 'Add', path: 'members', value: [{ value: extra }, { value: members[31] }] },
    { op: 'replace', path: 'displayName', value: 'Bigger' },
  ));
  expect(mixed.body.displayName).toBe('Bigger');
  expect(mixed.body.members.map((m: any) => m.value)).toEqual([...members.slice(31, 59), extra]);
  const replaced = await api.patch(`/Groups/${g.id}`, patchOp({ op: 'replace', path: 'members', value: [{ value: extra }] }));
  expect(replaced.body.members.map((m: any) => m.value)).toEqual([extra]);
});
