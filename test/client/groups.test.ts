// Groups and memberships on the Proxy tenant (HTTP Basic, group PATCH answers 204): create with members,
// one PATCH carrying both add and remove, batches for large changes, unknown members named, member-less
// reads, adoption by displayName, and groups refused on users-only profiles.
import { ScimClientError, type ScimClient } from '../../providers/scim/client';
import { requests, startClientSandbox, type ClientSandbox } from './client-sandbox';

let env: ClientSandbox;
let client: ScimClient;
let users: string[];

beforeAll(async () => {
  env = await startClientSandbox();
  client = env.client('proxy');
  users = [];
  for (let i = 0; i < 6; i++) users.push((await env.sb.admin.createUser('proxy', { userName: `member${i}@example.com` })).id);
});
afterAll(() => env.stop());
beforeEach(() => env.sb.admin.clearRequestLog('proxy'));

const memberIds = async (id: string) => ((await env.sb.admin.getGroup('proxy', id)).members ?? []).map((m: { value: string }) => m.value).sort();

test('creates a group with members: absence confirmed by filter, POST without members, then one membership PATCH', async () => {
  const { group, adopted } = await client.createGroup({ displayName: 'Engineering', members: users.slice(0, 3).map((value) => ({ value })) });
  expect(adopted).toBe(false);
  expect(await memberIds(group.id!)).toEqual(users.slice(0, 3).sort());
  expect(await requests(env.sb, 'proxy')).toEqual([
    'GET /Groups?filter=displayName eq "Engineering"&excludedAttributes=members&startIndex=1&count=100',
    'POST /Groups',
    `PATCH /Groups/${group.id}`,
  ]);
});

test('drops one member and adds two with a single PATCH carrying both operations', async () => {
  const g = (await client.findGroup({ displayName: 'engineering' }))!;
  await env.sb.admin.clearRequestLog('proxy');
  await client.updateGroupMembers(g.id!, [users[3], users[4]], [users[0]]);
  expect(await memberIds(g.id!)).toEqual([users[1], users[2], users[3], users[4]].sort());
  expect(await requests(env.sb, 'proxy')).toEqual([`PATCH /Groups/${g.id}`]);
  expect((await client.getGroup(g.id!))?.members?.map((m) => m.value).sort()).toEqual([users[1], users[2], users[3], users[4]].sort());
});

test('an unknown member id is named in the error', async () => {
  const g = (await client.findGroup({ displayName: 'Engineering' }))!;
  const err = await client.updateGroupMembers(g.id!, ['ghost-user-42'], []).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ScimClientError);
  expect((err as Error).message).toMatch(/member ghost-user-42 of group/);
});

test('sends large membership changes in batches of the configured size', async () => {
  const many: string[] = [];
  for (let i = 0; i < 25; i++) many.push((await env.sb.admin.createUser('proxy', { userName: `many${i}@example.com` })).id);
  const batched = env.client('proxy', { memberBatchSize: 10 });
  const { group } = await batched.createGroup({ displayName: 'Everyone' });
  await env.sb.admin.clearRequestLog('proxy');
  await batched.updateGroupMembers(group.id!, many, []);
  expect(await memberIds(group.id!)).toEqual([...many].sort());
  expect(await requests(env.sb, 'proxy')).toEqual(Array(3).fill(`PATCH /Groups/${group.id}`));
});

test('reads groups without members when asked (excludedAttributes=members)', async () => {
  const fresh = env.client('proxy');
  const g = (await env.sb.admin.listGroups('proxy')).find((x) => x.displayName === 'Engineering');
  const lite = await fresh.getGroup(g.id, { excludeMembers: true });
  expect(lite).toMatchObject({ id: g.id, displayName: 'Engineering' });
  expect(lite?.members).toBeUndefined();
  expect(await requests(env.sb, 'proxy')).toEqual(['GET /Groups?excludedAttributes=members&startIndex=1&count=100']);
});

test('adopts an existing group with the same displayName instead of creating a second one', async () => {
  const again = await client.createGroup({ displayName: 'ENGINEERING' });
  expect(again.adopted).toBe(true);
  expect(again.group.members?.length).toBe(4);
  expect((await env.sb.admin.listGroups('proxy')).filter((g) => g.displayName.toLowerCase() === 'engineering')).toHaveLength(1);
});

test('renames a group and deletes it', async () => {
  // 'Everyone' was created by another client after this one listed groups: a new client sees it.
  const client = env.client('proxy');
  const g = (await client.findGroup({ displayName: 'Everyone' }))!;
  const renamed = await client.updateGroup(g.id!, g, { ...g, displayName: 'All staff', externalId: 'all' });
  expect(renamed).toMatchObject({ displayName: 'All staff', externalId: 'all' });
  await client.deleteGroup(g.id!);
  expect(await client.getGroup(g.id!)).toBeUndefined();
  await expect(client.deleteGroup(g.id!)).resolves.toBeUndefined();
});

test('a users-only profile refuses groups with a message naming the profile', async () => {
  const proxyclick = env.client('proxyclick');
  await expect(proxyclick.createGroup({ displayName: 'x' })).rejects.toMatchObject({ code: 'SCIM_UNSUPPORTED', message: expect.stringMatching(/Proxyclick/) });
  expect(await requests(env.sb, 'proxyclick')).toEqual([]);
});
