// The group PUT fallback (a client whose profile has no PATCH) against the Proxy tenant's real behaviour —
// HTTP Basic, lower-cased emails, pending accounts, 204 answers to group PATCH — not only a generic server:
// a rename keeps every member, member changes replace the list exactly, and pending members are kept.
import { getProfile } from '../../providers/scim/client';
import { requests, startClientSandbox, type ClientSandbox } from './client-sandbox';

let env: ClientSandbox;
beforeAll(async () => {
  env = await startClientSandbox();
});
afterAll(() => env.stop());

const membersOf = async (id: string) =>
  ((await env.sb.admin.getGroup('proxy', id)).members ?? []).map((m: { value: string }) => m.value).sort();

test('Proxy without PATCH: rename and member changes go by PUT, keep the other members, and land in the tenant', async () => {
  const patching = env.client('proxy');
  const client = env.client('proxy', { profile: { ...getProfile('proxy'), supportsPatch: false } });
  const { user: ada } = await patching.createUser({ userName: 'ada@proxy.example', emails: [{ value: 'Ada@Proxy.Example', primary: true }] });
  const { user: bob } = await patching.createUser({ userName: 'bob@proxy.example' });
  // A pending account (created inactive): Proxy keeps it pending; it can still be a group member.
  const { user: cy } = await patching.createUser({ userName: 'cy@proxy.example', active: false });
  const { group } = await patching.createGroup({ displayName: 'Reception', members: [{ value: ada.id! }, { value: cy.id! }] });
  await env.sb.admin.clearRequestLog('proxy');

  const renamed = await client.updateGroup(group.id!, group, { ...group, displayName: 'Front desk' });
  expect(renamed.displayName).toBe('Front desk');
  expect(await membersOf(group.id!)).toEqual([ada.id, cy.id].sort());

  await client.updateGroupMembers(group.id!, [bob.id!], [ada.id!]);
  expect(await membersOf(group.id!)).toEqual([bob.id, cy.id].sort());
  const stored = await env.sb.admin.getGroup('proxy', group.id!);
  expect(stored.displayName).toBe('Front desk');

  const log = await requests(env.sb, 'proxy');
  expect(log.filter((r) => !r.startsWith('GET'))).toEqual([`PUT /Groups/${group.id}`, `PUT /Groups/${group.id}`]);
  // The tenant's own quirks still hold after the PUTs: the pending member is still pending, emails lower-cased.
  expect((await env.sb.admin.getUser('proxy', cy.id!)).active).toBe(false);
  expect((await env.sb.admin.getUser('proxy', ada.id!)).emails?.[0].value).toBe('ada@proxy.example');

  // The same change by PATCH (Proxy answers 204) leaves the same result: the two paths agree.
  await patching.updateGroupMembers(group.id!, [ada.id!], [bob.id!]);
  await client.updateGroupMembers(group.id!, [bob.id!], [ada.id!]);
  expect(await membersOf(group.id!)).toEqual([bob.id, cy.id].sort());
});
