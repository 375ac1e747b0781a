// Filter string values are JSON strings (RFC 7644 §3.4.2.2): escaped quotes and backslashes, \uXXXX, and
// `)` / `]` inside quoted values work over HTTP and through the SCIM client's own filter escaping.
import { getProfile, ScimClient } from '../../providers/scim/client';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { expectScimError, q, scimCaller, user, type ScimCaller } from './scim-http';

let sb: TestSandbox;
let api: ScimCaller;
const clients: ScimClient[] = [];

const QUOTED = 'o"brien@example.com';
const BACKSLASHED = 'corp\\jdoe';
const MIXED = 'we"ird\\na\\"me';

beforeAll(async () => {
  sb = await startTestSandbox();
  api = scimCaller(sb.credentials.generic.baseUrl, { token: sb.credentials.generic.token });
  for (const name of [QUOTED, BACKSLASHED, MIXED, 'plain@example.com']) expect((await api.post('/Users', user(name))).status).toBe(201);
  expect((await api.post('/Users', user('paren@example.com', { displayName: 'Smith (contractor)' }))).status).toBe(201);
});
afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.close()));
  await api.close();
  await sb.stop();
});

const names = (reply: { body: any }) => (reply.body.Resources ?? []).map((r: any) => r.userName).sort();

test('userName eq "o\\"brien…" finds the user whose userName holds a double quote (case-insensitively)', async () => {
  const res = await api.get(`/Users?filter=${q('userName eq "o\\"brien@example.com"')}`);
  expect(res.status).toBe(200);
  expect(names(res)).toEqual([QUOTED]);
  expect(names(await api.get(`/Users?filter=${q('userName eq "O\\"BRIEN@EXAMPLE.COM"')}`))).toEqual([QUOTED]);
  expect(names(await api.get(`/Users?filter=${q('userName sw "o\\"b"')}`))).toEqual([QUOTED]);
});

test('escaped backslashes, \\uXXXX and \\/ decode as in JSON', async () => {
  expect(names(await api.get(`/Users?filter=${q('userName eq "corp\\\\jdoe"')}`))).toEqual([BACKSLASHED]);
  expect(names(await api.get(`/Users?filter=${q('userName eq "we\\"ird\\\\na\\\\\\"me"')}`))).toEqual([MIXED]);
  expect(names(await api.get(`/Users?filter=${q('userName eq "o\\u0022brien@example.com"')}`))).toEqual([QUOTED]);
  expect(names(await api.get(`/Users?filter=${q('userName eq "plain@example\\/com" or userName eq "plain@example.com"')}`))).toEqual(['plain@example.com']);
});

test('")" and "]" inside quoted values do not end a group or a value filter', async () => {
  const grouped = await api.get(`/Users?filter=${q('(displayName eq "Smith (contractor)" or userName eq "x]y") and active eq true')}`);
  expect(grouped.status).toBe(200);
  expect(names(grouped)).toEqual(['paren@example.com']);
  const valuePath = await api.get(`/Users?filter=${q('emails[value eq "o\\"brien@example.com" and type eq "work"]')}`);
  expect(names(valuePath)).toEqual([QUOTED]);
});

test('escaped filters work in POST /Users/.search too', async () => {
  const res = await api.post('/Users/.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter: 'userName eq "o\\"brien@example.com"' });
  expect(res.status).toBe(200);
  expect(names(res)).toEqual([QUOTED]);
});

test('bad escapes and unterminated strings → 400 invalidFilter naming the problem', async () => {
  const badEscape = await api.get(`/Users?filter=${q('userName eq "corp\\jdoe"')}`);
  expectScimError(badEscape, 400, 'invalidFilter');
  expect(badEscape.body.detail).toMatch(/invalid escape '\\j'/);
  const open = await api.get(`/Users?filter=${q('userName eq "o\\"brien')}`);
  expectScimError(open, 400, 'invalidFilter');
  expect(open.body.detail).toMatch(/no closing '"'/);
  expectScimError(await api.get(`/Users?filter=${q('userName eq "a" "b"')}`), 400, 'invalidFilter');
});

test('many escaped characters in a value are fine (no parser blow-up), a flood outside values is still refused', async () => {
  const long = `${'\\"'.repeat(200)}`;
  const res = await api.get(`/Users?filter=${q(`userName eq "${long}"`)}`);
  expect(res.status).toBe(200);
  expect(res.body.totalResults).toBe(0);
  expectScimError(await api.get(`/Users?filter=${q(`userName eq ${'\\'.repeat(40)}`)}`), 400, 'invalidFilter');
});

test('SCIM client round trip: findUser/createUser with quotes and backslashes use the escaped filter against the sandbox', async () => {
  const creds = sb.credentials.generic;
  const client = new ScimClient({ endpoint: creds.baseUrl, auth: { kind: 'bearer', token: creds.token }, profile: getProfile('generic'), readCache: false, maxRetries: 0 });
  clients.push(client);
  await sb.admin.clearRequestLog('generic');
  for (const name of [QUOTED, BACKSLASHED, MIXED]) {
    const found = await client.findUser({ userName: name });
    expect(found?.userName).toBe(name);
  }
  expect(await client.findUser({ userName: 'o"brien@example.org' })).toBeUndefined();
  const log = await sb.admin.requestLog('generic');
  expect(log.filter((e) => e.path.startsWith('/Users?') && e.path.includes('filter=')).map((e) => e.status)).toEqual([200, 200, 200, 200]);
  expect(log.some((e) => e.path.includes('userName eq "o\\"brien@example.com"'))).toBe(true);

  // createUser looks the userName up first: an existing account with a quote is adopted, not duplicated.
  const { user: adopted, adopted: wasAdopted } = await client.createUser({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: QUOTED, active: true });
  expect(wasAdopted).toBe(true);
  expect(adopted.userName).toBe(QUOTED);
  const created = await client.createUser({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'new"one\\x', active: true });
  expect(created.adopted).toBe(false);
  expect((await client.findUser({ userName: 'NEW"ONE\\X' }))?.id).toBe(created.user.id);
});

test('the proxy tenant (HTTP Basic, other quirks) accepts escaped filters too', async () => {
  const creds = sb.credentials.proxy;
  const client = new ScimClient({ endpoint: creds.baseUrl, auth: { kind: 'basic', username: creds.username, password: creds.password }, profile: getProfile('proxy'), readCache: false, maxRetries: 0 });
  clients.push(client);
  await sb.admin.createUser('proxy', { userName: "d'arcy \"dee\"@proxy.example" });
  expect((await client.findUser({ userName: "d'arcy \"dee\"@proxy.example" }))?.userName).toBe("d'arcy \"dee\"@proxy.example");
});

test('PATCH paths whose filter value holds \\", ")" or "]" address the right element (remove, replace a sub-attribute, add when missing)', async () => {
  const u = (await api.post('/Users', user('patchme@example.com', { emails: [{ value: 'o"b@example.com', type: 'work' }, { value: 'a)b]c@example.com', type: 'other' }, { value: 'plain@example.com', type: 'home' }] }))).body;
  const patch = (...Operations: object[]) => api.patch(`/Users/${u.id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations });
  const emails = async () => (await api.get(`/Users/${u.id}`)).body.emails.map((e: any) => `${e.value}|${e.type}`);

  const replaced = await patch({ op: 'replace', path: 'emails[value eq "o\\"b@example.com"].type', value: 'home' });
  expect(replaced.status).toBe(200);
  expect(await emails()).toEqual(['o"b@example.com|home', 'a)b]c@example.com|other', 'plain@example.com|home']);

  // remove, then (in the same request) a value filter naming an element that is not there yet: added
  const removed = await patch(
    { op: 'remove', path: 'emails[value eq "a)b]c@example.com"]' },
    { op: 'add', path: 'emails[value eq "new\\"one@example.com"].type', value: 'work' },
  );
  expect(removed.status).toBe(200);
  expect(await emails()).toEqual(['o"b@example.com|home', 'plain@example.com|home', 'new"one@example.com|work']);

  expect((await patch({ op: 'remove', path: 'emails[value eq "o\\"b@example.com"]' })).status).toBe(200);
  expect(await emails()).toEqual(['plain@example.com|home', 'new"one@example.com|work']);
  // a filter that matches nothing removes nothing
  expect((await patch({ op: 'remove', path: 'emails[value eq "gone\\"x"]' })).status).toBe(200);
  expect(await emails()).toEqual(['plain@example.com|home', 'new"one@example.com|work']);

  const unclosed = await patch({ op: 'remove', path: 'emails[value eq "unclosed]' });
  expectScimError(unclosed, 400, 'invalidPath');
  expect(unclosed.body.detail).toMatch(/PATCH operation 1: .*no closing '"'/);
  expect(await emails()).toEqual(['plain@example.com|home', 'new"one@example.com|work']);
});
