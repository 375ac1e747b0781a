// Versions and races over real HTTP: weak ETags from meta.version on reads and writes, If-Match honoured on
// PUT/PATCH/DELETE (412 on a stale version), a tenant switched to "no ETags", and the editAfterGet fault that
// changes a resource right after a GET has been answered.
import type { TestSandbox } from '../support/sandbox';
import { useGenericTenant } from './generic-tenant';
import { expectScimError, patchOp, user, type ScimCaller } from './scim-http';

let sb: TestSandbox;
let api: ScimCaller;

useGenericTenant({}, (s, a) => {
  sb = s;
  api = a;
});

test('ETag = meta.version on POST, GET and PATCH; If-Match with a stale version is 412 and writes nothing', async () => {
  const created = await api.post('/Users', user('etag@example.com', { title: 'A' }));
  expect(created.status).toBe(201);
  expect(created.headers.etag).toBe('W/"1"');
  expect(created.body.meta.version).toBe('W/"1"');
  const id = created.body.id;
  const patched = await api.call('PATCH', `/Users/${id}`, patchOp({ op: 'replace', path: 'title', value: 'B' }), { 'if-match': 'W/"1"' });
  expect(patched.status).toBe(200);
  expect(patched.headers.etag).toBe('W/"2"');
  const stale = await api.call('PATCH', `/Users/${id}`, patchOp({ op: 'replace', path: 'title', value: 'C' }), { 'if-match': 'W/"1"' });
  expectScimError(stale, 412);
  const staleDelete = await api.call('DELETE', `/Users/${id}`, undefined, { 'if-match': 'W/"1"' });
  expectScimError(staleDelete, 412);
  const now = await api.get(`/Users/${id}`);
  expect(now.body.title).toBe('B');
  expect(now.headers.etag).toBe('W/"2"');
});

test('etags: false — no ETag header, no meta.version, If-Match ignored, discovery says unsupported', async () => {
  const created = await api.post('/Users', user('noetag@example.com'));
  const id = created.body.id;
  await sb.admin.setFaults('generic', { etags: false });
  const got = await api.get(`/Users/${id}`);
  expect(got.headers.etag).toBeUndefined();
  expect(got.body.meta.version).toBeUndefined();
  expect(got.body.meta.lastModified).toBeDefined();
  const listed = await api.get('/Users?filter=userName eq "noetag@example.com"');
  expect(listed.body.Resources[0].meta.version).toBeUndefined();
  const patched = await api.call('PATCH', `/Users/${id}`, patchOp({ op: 'replace', path: 'title', value: 'X' }), { 'if-match': 'W/"999"' });
  expect(patched.status).toBe(200);
  expect(patched.headers.etag).toBeUndefined();
  expect((await api.get('/ServiceProviderConfig')).body.etag.supported).toBe(false);
  await sb.admin.setFaults('generic', {});
  expect((await api.get(`/Users/${id}`)).headers.etag).toBe('W/"2"');
});

test('editAfterGet: the GET answers the state before the edit, the edit is applied once, then the switch clears', async () => {
  const created = await api.post('/Users', user('race@example.com', { title: 'Engineer' }));
  const id = created.body.id;
  await sb.admin.setFaults('generic', { editAfterGet: { path: `/Users/${id}`, attributes: { title: 'Director', displayName: 'Changed' } } });
  await api.get('/Users?count=1'); // a listing does not trigger it
  expect((await sb.admin.getUser('generic', id)).title).toBe('Engineer');
  const first = await api.get(`/Users/${id}`);
  expect(first.body.title).toBe('Engineer');
  expect(first.headers.etag).toBe('W/"1"');
  const after = await sb.admin.getUser('generic', id);
  expect(after).toMatchObject({ title: 'Director', displayName: 'Changed' });
  // The version read with the GET is stale now: a conditional write is refused.
  const write = await api.call('PATCH', `/Users/${id}`, patchOp({ op: 'replace', path: 'title', value: 'Manager' }), { 'if-match': first.headers.etag as string });
  expectScimError(write, 412);
  expect((await sb.admin.getFaults('generic')).editAfterGet).toBeUndefined();
  expect((await api.get(`/Users/${id}`)).body.title).toBe('Director');
});

test('fault validation names the field', async () => {
  await expect(sb.admin.setFaults('generic', { etags: 'no' } as never)).rejects.toThrow(/'etags' must be true or false/);
  await expect(sb.admin.setFaults('generic', { editAfterGet: { path: '/Nope/1', attributes: {} } })).rejects.toThrow(/'editAfterGet' must be/);
});

test('editAfterGet works for groups too, and an ETag-less tenant answers group writes without versions', async () => {
  const created = await api.post('/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Race team' });
  const id = created.body.id;
  expect(created.headers.etag).toBe('W/"1"');
  await sb.admin.setFaults('generic', { etags: false, editAfterGet: { path: `/Groups/${id}`, attributes: { displayName: 'Renamed team' } } });
  const got = await api.get(`/Groups/${id}`);
  expect(got.body.displayName).toBe('Race team');
  expect(got.headers.etag).toBeUndefined();
  expect(got.body.meta.version).toBeUndefined();
  expect((await sb.admin.getGroup('generic', id)).displayName).toBe('Renamed team');
});
