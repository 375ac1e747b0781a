// Each seed app's quirks hold through the client: Promapp's userName change by PUT and DELETE that only
// deactivates, Proxy's lower-cased emails without drift and its pending-user refusal, Proxyclick's
// userName⇄email mirror, and generic servers without PATCH or with capitalised PATCH ops.
import { getProfile, userChanges, type ScimUser } from '../../providers/scim/client';
import { requests, startClientSandbox, type ClientSandbox } from './client-sandbox';

let env: ClientSandbox;

beforeAll(async () => {
  env = await startClientSandbox();
});
afterAll(() => env.stop());

describe('Promapp', () => {
  test('names and emails change by PATCH; a userName change goes by PUT of the full resource', async () => {
    const client = env.client('promapp');
    const { user } = await client.createUser({ userName: 'pat@example.com', name: { givenName: 'Pat', familyName: 'Lee' }, title: 'Analyst', emails: [{ value: 'pat@example.com', primary: true }] });
    await env.sb.admin.clearRequestLog('promapp');

    const renamed = await client.updateUser(user.id!, user, { ...user, name: { givenName: 'Pat', familyName: 'Kim' } });
    expect(renamed.name?.familyName).toBe('Kim');
    expect(await requests(env.sb, 'promapp')).toEqual([`PATCH /Users/${user.id}`]);

    await env.sb.admin.clearRequestLog('promapp');
    const moved = await client.updateUser(user.id!, renamed, { ...renamed, userName: 'pat.kim@example.com' });
    expect(moved).toMatchObject({ userName: 'pat.kim@example.com', title: 'Analyst', name: { givenName: 'Pat', familyName: 'Kim' } });
    expect(await requests(env.sb, 'promapp')).toEqual([`GET /Users/${user.id}`, `PUT /Users/${user.id}`]);
  });

  test('deactivation goes by PUT, and DELETE leaves an inactive account', async () => {
    const client = env.client('promapp');
    const u = (await client.findUser({ userName: 'PAT.KIM@example.com' }))!;
    await env.sb.admin.clearRequestLog('promapp');
    expect((await client.setUserActive(u.id!, false)).active).toBe(false);
    expect(await requests(env.sb, 'promapp')).toEqual([`PUT /Users/${u.id}`]);
    await client.setUserActive(u.id!, true);
    await client.deleteUser(u.id!);
    expect(await client.getUser(u.id!)).toMatchObject({ id: u.id, active: false });
  });
});

describe('Proxy', () => {
  test('stored emails are lower-cased by the app, and that is not a change', async () => {
    const client = env.client('proxy');
    const desired: ScimUser = { userName: 'Dana.Ross@Example.com', emails: [{ value: 'Dana.Ross@Example.com', type: 'work', primary: true }] };
    const { user } = await client.createUser(desired);
    expect(user.emails?.[0].value).toBe('dana.ross@example.com');
    expect(userChanges(user, desired, client.profile)).toEqual([]);
    await env.sb.admin.clearRequestLog('proxy');
    await client.updateUser(user.id!, user, desired);
    expect(await requests(env.sb, 'proxy')).toEqual([]);
  });

  test('a pending account cannot be deactivated: SCIM_PENDING_USER says so and that a later run retries', async () => {
    const client = env.client('proxy');
    const pending = await env.sb.admin.createUser('proxy', { userName: 'invited@example.com', sandboxStatus: 'pending' });
    const err = await client.setUserActive(pending.id, false).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SCIM_PENDING_USER', status: 400 });
    expect((err as Error).message).toMatch(/pending.*not yet been activated.*cannot be deactivated yet; a later run will retry/);

    const viaUpdate = await client.updateUser(pending.id, { userName: 'invited@example.com', active: true }, { userName: 'invited@example.com', active: false }).catch((e: unknown) => e);
    expect(viaUpdate).toMatchObject({ code: 'SCIM_PENDING_USER' });
  });

  test('authenticates with HTTP Basic and reactivates deactivated users', async () => {
    const client = env.client('proxy');
    const { user } = await client.createUser({ userName: 'erin@example.com' });
    expect((await client.setUserActive(user.id!, false)).active).toBe(false);
    expect((await client.setUserActive(user.id!, true)).active).toBe(true);
  });
});

describe('Proxyclick', () => {
  test('the primary email mirrors userName; changing userName changes both', async () => {
    const client = env.client('proxyclick');
    const { user } = await client.createUser({ userName: 'visitor.desk@example.com', displayName: 'Front desk' });
    expect(user.emails).toEqual([{ value: 'visitor.desk@example.com', type: 'work', primary: true }]);
    const changed = await client.updateUser(user.id!, user, { ...user, userName: 'reception@example.com' }, { managed: ['userName'] });
    expect(changed.userName).toBe('reception@example.com');
    expect(changed.emails?.[0].value).toBe('reception@example.com');
  });
});

describe('generic servers that deviate', () => {
  test('without PATCH: users and group members are updated by PUT', async () => {
    const client = env.client('generic', { profile: { ...getProfile('generic'), supportsPatch: false } });
    const { user } = await client.createUser({ userName: 'putonly@example.com', title: 'A', displayName: 'Put Only' });
    const { user: other } = await client.createUser({ userName: 'putonly2@example.com' });
    const { group } = await client.createGroup({ displayName: 'Put group', members: [{ value: user.id! }] });
    await env.sb.admin.clearRequestLog('generic');

    const updated = await client.updateUser(user.id!, user, { ...user, title: 'B' });
    expect(updated).toMatchObject({ title: 'B', displayName: 'Put Only' });
    await client.updateGroupMembers(group.id!, [other.id!], [user.id!]);
    expect(((await env.sb.admin.getGroup('generic', group.id!)).members ?? []).map((m: { value: string }) => m.value)).toEqual([other.id]);
    const log = await requests(env.sb, 'generic');
    expect(log.filter((r) => !r.startsWith('GET'))).toEqual([`PUT /Users/${user.id}`, `PUT /Groups/${group.id}`]);
  });

  test('capitalised PATCH ops are sent when the profile asks for them', async () => {
    const client = env.client('generic', { profile: { ...getProfile('generic'), patchOpCase: 'capitalised' } });
    const { user } = await client.createUser({ userName: 'caps@example.com', title: 'Old' });
    expect((await client.updateUser(user.id!, user, { ...user, title: undefined }, { managed: ['title'] })).title).toBeUndefined();
    expect((await client.setUserActive(user.id!, false)).active).toBe(false);
  });

  test('a server without /ServiceProviderConfig is still usable (capabilities not discovered)', async () => {
    const client = env.client('generic', { endpoint: `${env.sb.credentials.generic.baseUrl}/../v2-missing` });
    const caps = await client.capabilities().catch((e: unknown) => e);
    expect(caps).toMatchObject({ discovered: false, patch: true });
  });
});
