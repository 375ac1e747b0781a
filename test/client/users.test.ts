// Users on a standards-following SCIM server (the sandbox's generic tenant): create, adopt instead of
// duplicating, PATCH only what changed, deactivate/reactivate, delete, lookups and filter escaping.
import { ENTERPRISE_USER, ScimClientError, userChanges, type ScimClient, type ScimUser } from '../../providers/scim/client';
import { requests, startClientSandbox, type ClientSandbox } from './client-sandbox';

let env: ClientSandbox;
let client: ScimClient;

beforeAll(async () => {
  env = await startClientSandbox();
  client = env.client('generic');
  await client.capabilities(); // discovered once per client (PATCH supported?), then cached
});
afterAll(() => env.stop());
beforeEach(() => env.sb.admin.clearRequestLog('generic'));

const alice: ScimUser = {
  userName: 'alice@example.com',
  externalId: 'ext-alice',
  displayName: 'Alice Smith',
  name: { givenName: 'Alice', familyName: 'Smith' },
  title: 'Engineer',
  emails: [{ value: 'alice@example.com', type: 'work', primary: true }],
  [ENTERPRISE_USER]: { department: 'R&D' },
};

test('creates a user, then adopts it instead of creating a duplicate when the userName differs only in case', async () => {
  const created = await client.createUser(alice);
  expect(created.adopted).toBe(false);
  expect(created.user).toMatchObject({ userName: 'alice@example.com', active: true, [ENTERPRISE_USER]: { department: 'R&D' } });
  expect(created.user.id).toBeTruthy();

  const again = await client.createUser({ ...alice, userName: 'ALICE@Example.com' });
  expect(again).toMatchObject({ adopted: true, user: { id: created.user.id } });
  const all = await env.sb.admin.listUsers('generic');
  expect(all.filter((u) => u.userName.toLowerCase() === 'alice@example.com')).toHaveLength(1);
});

test('finds users by userName case-insensitively and by externalId; unknown ones are undefined', async () => {
  const fresh = env.client('generic', { readCache: false });
  expect((await fresh.findUser({ userName: 'Alice@EXAMPLE.com' }))?.externalId).toBe('ext-alice');
  expect((await fresh.findUser({ externalId: 'ext-alice' }))?.userName).toBe('alice@example.com');
  expect(await fresh.findUser({ userName: 'nobody@example.com' })).toBeUndefined();
  expect(await fresh.getUser('no-such-id')).toBeUndefined();
});

test('encodes filter values so +, & and quotes in a userName reach the server intact', async () => {
  const odd = await client.createUser({ userName: "o'brien+tag&co@example.com" });
  const fresh = env.client('generic', { readCache: false });
  expect((await fresh.findUser({ userName: "O'Brien+tag&co@example.com" }))?.id).toBe(odd.user.id);
  const log = await requests(env.sb, 'generic');
  expect(log).toContain(`GET /Users?filter=userName eq "O'Brien+tag&co@example.com"&startIndex=1&count=1000`);
});

test('updates with one PATCH of only the changed attributes, and nothing at all when nothing changed', async () => {
  const current = (await client.findUser({ userName: 'alice@example.com' }))!;
  await env.sb.admin.clearRequestLog('generic');
  const desired: ScimUser = {
    ...alice,
    displayName: 'Alice Jones',
    name: { givenName: 'Alice', familyName: 'Jones' },
    title: '',
    emails: [
      { value: 'alice@example.com', type: 'work', primary: true },
      { value: 'alice@home.example', type: 'home' },
    ],
    [ENTERPRISE_USER]: { department: 'Ops', manager: { value: current.id } },
  };
  const updated = await client.updateUser(current.id!, current, desired, { managed: ['userName', 'externalId', 'displayName', 'name', 'title', 'emails', ENTERPRISE_USER] });
  expect(updated).toMatchObject({ displayName: 'Alice Jones', name: { familyName: 'Jones' }, [ENTERPRISE_USER]: { department: 'Ops', manager: { value: current.id } } });
  expect(updated.title).toBeUndefined();
  expect(updated.emails).toHaveLength(2);
  expect(await requests(env.sb, 'generic')).toEqual([`PATCH /Users/${current.id}`]);

  expect(userChanges(updated, desired, client.profile)).toEqual([]);
  await env.sb.admin.clearRequestLog('generic');
  expect(await client.updateUser(current.id!, updated, desired)).toBe(updated);
  expect(await requests(env.sb, 'generic')).toEqual([]);
});

test('deactivates and reactivates', async () => {
  const u = (await client.findUser({ userName: 'alice@example.com' }))!;
  expect((await client.setUserActive(u.id!, false)).active).toBe(false);
  expect((await env.sb.admin.getUser('generic', u.id!)).active).toBe(false);
  expect((await client.setUserActive(u.id!, true)).active).toBe(true);
});

test('deletes a user; deleting it again is fine', async () => {
  const { user } = await client.createUser({ userName: 'temp@example.com' });
  await client.deleteUser(user.id!);
  expect(await client.getUser(user.id!)).toBeUndefined();
  expect(await env.sb.admin.getUser('generic', user.id!)).toBeUndefined();
  await expect(client.deleteUser(user.id!)).resolves.toBeUndefined();
});

test('errors carry a stable code and a message naming method, URL and status', async () => {
  const fresh = env.client('generic', { readCache: false });
  const err = await fresh.updateUser('no-such-id', { userName: 'x' }, { userName: 'y' }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ScimClientError);
  expect(err).toMatchObject({ code: 'SCIM_NOT_FOUND', status: 404 });
  expect((err as Error).message).toMatch(/PATCH http:\/\/127\.0\.0\.1:\d+\/generic\/scim\/v2\/Users\/no-such-id failed: 404/);
});

test('one listing serves every get and lookup of a client, shared by concurrent first calls', async () => {
  for (let i = 0; i < 25; i++) await env.sb.admin.createUser('generic', { userName: `bulk${i}@example.com`, externalId: `bulk-${i}` });
  const ids = (await env.sb.admin.listUsers('generic')).map((u) => u.id as string);
  await env.sb.admin.clearRequestLog('generic');
  const cached = env.client('generic');
  const got = await Promise.all(ids.map((id) => cached.getUser(id)));
  expect(got.map((u) => u?.id)).toEqual(ids);
  expect((await cached.findUser({ userName: 'BULK7@example.com' }))?.externalId).toBe('bulk-7');
  expect(await cached.findUser({ userName: 'absent@example.com' })).toBeUndefined();
  expect(await requests(env.sb, 'generic')).toEqual(['GET /Users?startIndex=1&count=1000']);
  // An id the listing did not contain is confirmed with one GET (servers may leave accounts out of listings).
  expect(await cached.getUser('not-listed')).toBeUndefined();
  expect((await requests(env.sb, 'generic')).slice(1)).toEqual(['GET /Users/not-listed']);

  // A write updates the cache: the next read sees it without asking the server again.
  const one = got[0]!;
  await cached.updateUser(one.id!, one, { ...one, title: 'Cached' });
  await env.sb.admin.clearRequestLog('generic');
  expect((await cached.getUser(one.id!))?.title).toBe('Cached');
  expect(await requests(env.sb, 'generic')).toEqual([]);
});

test('pages through a server that caps page size until totalResults is reached', async () => {
  await env.sb.admin.setFaults('generic', { maxPageSize: 4 });
  try {
    const total = (await env.sb.admin.listUsers('generic')).length;
    await env.sb.admin.clearRequestLog('generic');
    const listed = await env.client('generic').listUsers();
    expect(listed).toHaveLength(total);
    expect(new Set(listed.map((u) => u.id)).size).toBe(total);
    const pages = (await requests(env.sb, 'generic')).filter((r) => r.startsWith('GET /Users?'));
    expect(pages).toHaveLength(Math.ceil(total / 4));
  } finally {
    await env.sb.admin.setFaults('generic', {});
  }
});
