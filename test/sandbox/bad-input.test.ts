// Bad input never crashes the server nor loses data: malformed JSON, wrong schemas, unknown and
// read-only attributes, invalid filters, bodies over 1 MB, unknown ids and endpoints, bad PATCH
// messages, bad paging numbers, wrong methods — each gets a SCIM error body with a useful detail.
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { expectScimError, GROUP, patchOp, q, scimCaller, user, type ScimCaller } from './scim-http';

let sb: TestSandbox;
let api: ScimCaller;
let existing: any;

beforeAll(async () => {
  sb = await startTestSandbox();
  api = scimCaller(sb.sandbox.tenants.generic.baseUrl, { token: sb.credentials.generic.token });
  existing = (await api.post('/Users', user('existing@example.com'))).body;
});
afterAll(async () => {
  await api.close();
  await sb.stop();
});

afterEach(async () => {
  // The server is still up and the stored user is intact after every bad request.
  const res = await api.get(`/Users/${existing.id}`);
  expect(res.status).toBe(200);
  expect(res.body.userName).toBe('existing@example.com');
});

test('malformed JSON → 400 invalidSyntax', async () => {
  const res = await api.post('/Users', '{"userName": "broken@example.com",');
  expectScimError(res, 400, 'invalidSyntax');
  expect(res.body.detail).toMatch(/not valid JSON/);
});

test('a body that is not an object, or no body → 400 invalidSyntax', async () => {
  expectScimError(await api.post('/Users', '[1,2,3]'), 400, 'invalidSyntax');
  expectScimError(await api.post('/Users', '"text"'), 400, 'invalidSyntax');
  expectScimError(await api.call('POST', '/Users'), 400, 'invalidSyntax');
  expectScimError(await api.call('PATCH', `/Users/${existing.id}`), 400, 'invalidSyntax');
});

test('wrong schemas → 400 invalidSyntax naming the expected schema', async () => {
  const res = await api.post('/Users', { ...user('wrong.schema@example.com'), schemas: [GROUP] });
  expectScimError(res, 400, 'invalidSyntax');
  expect(res.body.detail).toContain('urn:ietf:params:scim:schemas:core:2.0:User');
  expectScimError(await api.patch(`/Users/${existing.id}`, { schemas: ['urn:wrong'], Operations: [] }), 400, 'invalidSyntax');
});

test('unknown attributes → 400 naming them; missing userName → 400', async () => {
  const res = await api.post('/Users', { ...user('unknown.attr@example.com'), favouriteColour: 'blue', name: { givenName: 'A', nickname2: 'x' } });
  expectScimError(res, 400, 'invalidSyntax');
  expect(res.body.detail).toContain("'favouriteColour'");
  expect(res.body.detail).toContain("'name.nickname2'");
  const noName = await api.post('/Users', { schemas: [user('x').schemas[0]], displayName: 'No userName' });
  expectScimError(noName, 400, 'invalidValue');
  expect(noName.body.detail).toMatch(/userName/);
  expectScimError(await api.patch(`/Users/${existing.id}`, patchOp({ op: 'replace', path: 'favouriteColour', value: 'blue' })), 400, 'invalidPath');
});

test('read-only attributes: non-empty groups on POST and a PATCH of groups → 400 mutability', async () => {
  expectScimError(await api.post('/Users', { ...user('ro@example.com'), groups: [{ value: 'g1' }] }), 400, 'mutability');
  expectScimError(await api.patch(`/Users/${existing.id}`, patchOp({ op: 'add', path: 'groups', value: [{ value: 'g1' }] })), 400, 'mutability');
  expect((await api.post('/Users', { ...user('ro.empty@example.com'), groups: [] })).status).toBe(201);
});

test('wrong value types → 400 invalidValue', async () => {
  expectScimError(await api.post('/Users', { ...user('types@example.com'), active: 'maybe' }), 400, 'invalidValue');
  expectScimError(await api.post('/Users', { ...user('types2@example.com'), emails: 'a@b.c' }), 400, 'invalidValue');
  expectScimError(await api.post('/Users', { ...user('types3@example.com'), userName: 42 }), 400, 'invalidValue');
});

test('invalid filter syntax and unknown filter attributes → 400 invalidFilter', async () => {
  for (const filter of ['userName eq', 'userName xx "a"', '(userName eq "a"', 'nosuchattr eq "a"', '"abc"']) {
    const res = await api.get(`/Users?filter=${q(filter)}`);
    expectScimError(res, 400, 'invalidFilter');
  }
});

test('filters that would blow up the parser are refused: backslash floods, exploding grouped ors, huge texts', async () => {
  expectScimError(await api.get(`/Users?filter=${q(`userName eq "${'\\\\'.repeat(40)}`)}`), 400, 'invalidFilter');
  const exploding = Array.from({ length: 30 }, (_, i) => `(userName eq "a${i}" or userName eq "b${i}")`).join(' and ');
  const res = await api.get(`/Users?filter=${q(exploding)}`);
  expectScimError(res, 400, 'invalidFilter');
  expect(res.body.detail).toMatch(/too complex/);
  expectScimError(await api.post('/Users/.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter: `userName eq "${'x'.repeat(20000)}"` }), 400, 'invalidFilter');
  expectScimError(await api.patch(`/Users/${existing.id}`, patchOp({ op: 'remove', path: `emails[value eq "${'\\\\'.repeat(40)}]` })), 400, 'invalidPath');
  expectScimError(await api.get(`/Users?attributes=${q(`"${'\\\\'.repeat(40)}`)}`), 400, 'invalidFilter');
});

test('bad paging numbers → 400 invalidValue; negative count means zero results', async () => {
  expectScimError(await api.get('/Users?startIndex=abc'), 400, 'invalidValue');
  expectScimError(await api.get('/Users?count=1.5'), 400, 'invalidValue');
  const none = await api.get('/Users?count=-3');
  expect(none.body).toMatchObject({ itemsPerPage: 0, Resources: [] });
});

test('bodies over 1 MB → 413', async () => {
  const big = { ...user('big@example.com'), displayName: 'x'.repeat(1024 * 1024 + 10) };
  const res = await api.post('/Users', big);
  expect(res.status).toBe(413);
  expect(res.body.detail).toMatch(/exceeds/);
});

test('unknown ids → 404 for GET, PUT, PATCH and DELETE', async () => {
  expectScimError(await api.get('/Users/nope'), 404);
  expectScimError(await api.put('/Users/nope', user('nope@example.com')), 404);
  expectScimError(await api.patch('/Users/nope', patchOp({ op: 'replace', path: 'active', value: false })), 404);
  expectScimError(await api.del('/Users/nope'), 404);
  expectScimError(await api.get('/Users/%E0%A4%A'), 404);
});

test('bad PATCH messages → 400 with the operation named', async () => {
  const bad = await api.patch(`/Users/${existing.id}`, patchOp({ op: 'frobnicate', path: 'active', value: false }));
  expectScimError(bad, 400, 'invalidSyntax');
  expect(bad.body.detail).toMatch(/operation 1/);
  expectScimError(await api.patch(`/Users/${existing.id}`, patchOp({ op: 'remove' })), 400, 'noTarget');
  expectScimError(await api.patch(`/Users/${existing.id}`, patchOp({ op: 'add', path: 'active' })), 400, 'invalidValue');
  expectScimError(await api.patch(`/Users/${existing.id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'] }), 400, 'invalidValue');
  expectScimError(await api.patch(`/Users/${existing.id}`, patchOp({ op: 'remove', path: 'userName' })), 400, 'invalidValue');
});

test('unknown endpoints → 404; wrong methods → 405; Bulk → 501', async () => {
  expectScimError(await api.get('/Nothing'), 404);
  expectScimError(await api.get('/Users/a/b'), 404);
  const wrong = await api.call('DELETE', '/Users');
  expectScimError(wrong, 405);
  expect(wrong.headers.allow).toBe('GET, POST');
  expectScimError(await api.post('/Bulk', {}), 501);
  const outside = scimCaller(sb.url, { token: sb.credentials.generic.token });
  try {
    expectScimError(await outside.get('/scim/v2/Users'), 404);
  } finally {
    await outside.close();
  }
});

test('a PATCH whose value filter matches nothing and cannot create the target → 400 noTarget', async () => {
  const res = await api.patch(`/Users/${existing.id}`, patchOp({ op: 'replace', path: 'emails[type eq "home" or type eq "other"].value', value: 'x@example.com' }));
  expectScimError(res, 400, 'noTarget');
  const second = await api.patch(`/Users/${existing.id}`, patchOp({ op: 'replace', path: 'active', value: true }, { op: 'remove', path: 'userName' }));
  expectScimError(second, 400, 'invalidValue');
});
