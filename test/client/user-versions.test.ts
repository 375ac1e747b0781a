// Versioned user writes against the sandbox: a fresh read bypasses the listing cache and carries the version,
// writes send it as If-Match (412 when the account changed meanwhile), only the given attributes are written,
// and a server without versions gets no If-Match.
import { ScimClientError, type ScimClient } from '../../providers/scim/client';
import { requests, startClientSandbox, type ClientSandbox } from './client-sandbox';

let env: ClientSandbox;
let client: ScimClient;

beforeAll(async () => {
  env = await startClientSandbox();
  client = env.client('generic');
});
afterAll(() => env.stop());
afterEach(() => env.sb.admin.setFaults('generic', {}));

test('readUserFresh reads by id even when the cache is warm, and returns the version', async () => {
  const { user } = await client.createUser({ userName: 'v1@example.com', title: 'Engineer' });
  await client.listUsers(); // warms the cache
  await env.sb.admin.patchUser('generic', user.id!, { title: 'Director' });
  expect((await client.getUser(user.id!))!.title).toBe('Engineer'); // the cache
  const fresh = await client.readUserFresh(user.id!);
  expect(fresh).toMatchObject({ user: { title: 'Director' }, version: 'W/"2"' });
  expect(await client.readUserFresh('no-such-id')).toBeUndefined();
});

test('writeUserChanges writes only the given attributes, with If-Match; a stale version is a 412', async () => {
  const { user } = await client.createUser({ userName: 'v2@example.com', title: 'Engineer', displayName: 'V Two' });
  const read = (await client.readUserFresh(user.id!))!;
  await env.sb.admin.patchUser('generic', user.id!, { nickName: 'edited' });
  const desired = { ...read.user, title: 'Manager', displayName: 'ignored' };
  const stale = await client.writeUserChanges(user.id!, read.user, desired, ['title'], { ifMatch: read.version }).catch((e: unknown) => e);
  expect(stale).toBeInstanceOf(ScimClientError);
  expect((stale as ScimClientError).status).toBe(412);
  const again = (await client.readUserFresh(user.id!))!;
  const written = await client.writeUserChanges(user.id!, again.user, { ...again.user, title: 'Manager', displayName: 'ignored' }, ['title'], { ifMatch: again.version });
  expect(written.version).toBe('W/"3"'); // created 1, edited in the app 2, written 3
  expect(await env.sb.admin.getUser('generic', user.id!)).toMatchObject({ title: 'Manager', displayName: 'V Two', nickName: 'edited' });
});

test('a tenant without ETags gives no version; writes go without If-Match', async () => {
  await env.sb.admin.setFaults('generic', { etags: false });
  const { user } = await client.createUser({ userName: 'v3@example.com', title: 'Engineer' });
  const read = (await client.readUserFresh(user.id!))!;
  expect(read.version).toBeUndefined();
  await env.sb.admin.clearRequestLog('generic');
  const written = await client.writeUserChanges(user.id!, read.user, { ...read.user, active: false }, ['active'], { ifMatch: read.version });
  expect(written.user.active).toBe(false);
  expect(await requests(env.sb, 'generic')).toEqual([`PATCH /Users/${user.id}`]);
});
