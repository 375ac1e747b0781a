// scim_group with the real terraform binary against the sandbox's generic tenant: a group of 3 members,
// a no-op plan, "drop one, add two" planned exactly and applied as ONE PATCH, out-of-band membership drift,
// adoption of an existing group announced at plan time, and destroy deleting the group but not its members.
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import type { TerraformWorkdir } from '../support/terraform';
import { changes, config, initialised, memberIds, output, providerBlock, readState, requests, stateOf, writes } from './group-fixture';

const PEOPLE = ['ada', 'bob', 'cyd', 'dee', 'eve'];
const users = PEOPLE.map((p) => `resource "scim_user" "${p}" {\n  user_name = "${p}@example.com"\n}\n`).join('\n');
const group = (members: string[]) => `resource "scim_group" "eng" {
  display_name = "Engineering"
  external_id  = "eng-1"
  members      = [${members.map((m) => `scim_user.${m}.id`).join(', ')}]
}
`;

let sb: TestSandbox;
let wd: TerraformWorkdir;
let groupId: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  sb = await startTestSandbox();
  wd = await initialised(config(providerBlock(sb, 'generic'), `${users}\n${group(['ada', 'bob', 'cyd'])}`));
});

afterAll(async () => {
  await wd?.cleanup();
  await sb?.stop();
});

test('apply creates the group with its 3 members', async () => {
  const r = await wd.apply();
  expect(output(r)).not.toMatch(/Error/);
  expect(r.code).toBe(0);
  for (const u of await sb.admin.listUsers('generic')) ids[u.userName.split('@')[0]] = u.id;
  const groups = await sb.admin.listGroups('generic');
  expect(groups).toHaveLength(1);
  groupId = groups[0].id;
  expect(groups[0]).toMatchObject({ displayName: 'Engineering', externalId: 'eng-1' });
  expect(await memberIds(sb, 'generic', groupId)).toEqual([ids.ada, ids.bob, ids.cyd].sort());
  const state = stateOf(readState(wd), 'scim_group.eng');
  expect(state).toMatchObject({ id: groupId, existing_id: null, display_name: 'Engineering' });
  expect([...state.members].sort()).toEqual([ids.ada, ids.bob, ids.cyd].sort());
  expect(state.meta.resource_type).toBe('Group');
});

test('a second plan has nothing to do (plan -detailed-exitcode exits 0)', async () => {
  const r = await wd.plan(['-detailed-exitcode']);
  expect(output(r)).toContain('No changes.');
  expect(r.code).toBe(0);
});

test('dropping one member and adding two plans exactly that, as an in-place update', async () => {
  wd.setHcl(config(providerBlock(sb, 'generic'), `${users}\n${group(['ada', 'bob', 'dee', 'eve'])}`));
  const r = await wd.plan(['-out=change.tfplan', '-detailed-exitcode']);
  expect(r.code).toBe(2);
  expect(r.stdout).toContain('scim_group.eng will be updated in-place');
  expect(r.stdout).toContain('Plan: 0 to add, 1 to change, 0 to destroy.');
  const planned = changes(await wd.showPlanJson('change.tfplan'));
  expect(planned.map((c) => [c.address, c.actions])).toEqual([['scim_group.eng', ['update']]]);
  const before = new Set<string>(planned[0].before.members);
  const after = new Set<string>(planned[0].after.members);
  expect([...before].filter((m) => !after.has(m))).toEqual([ids.cyd]);
  expect([...after].filter((m) => !before.has(m)).sort()).toEqual([ids.dee, ids.eve].sort());
  expect(planned[0].after.display_name).toBe('Engineering');
});

test('apply sends ONE PATCH carrying both the removal and the additions', async () => {
  await sb.admin.clearRequestLog('generic');
  const r = await wd.apply(['change.tfplan']);
  expect(output(r)).not.toMatch(/Error/);
  expect(r.code).toBe(0);
  const log = await sb.admin.requestLog('generic');
  expect(writes(log).map((e) => `${e.method} ${e.path.split('?')[0]}`)).toEqual([`PATCH /Groups/${groupId}`]);
  // The one PATCH did both: cyd is gone, dee and eve are in.
  expect(await memberIds(sb, 'generic', groupId)).toEqual([ids.ada, ids.bob, ids.dee, ids.eve].sort());
  expect((await wd.plan(['-detailed-exitcode'])).code).toBe(0);
});

test('a member added out of band shows as drift (exit 2), and apply removes it', async () => {
  const now = await memberIds(sb, 'generic', groupId);
  await sb.admin.patchGroup('generic', groupId, { members: [...now, ids.cyd] });
  const r = await wd.plan(['-detailed-exitcode', '-out=drift.tfplan']);
  expect(r.code).toBe(2);
  expect(r.stdout).toContain('scim_group.eng will be updated in-place');
  expect(r.stdout).toContain(`- "${ids.cyd}"`);
  await sb.admin.clearRequestLog('generic');
  expect((await wd.apply(['drift.tfplan'])).code).toBe(0);
  expect(requests(await sb.admin.requestLog('generic'), 'PATCH', '/Groups')).toHaveLength(1);
  expect(await memberIds(sb, 'generic', groupId)).toEqual([ids.ada, ids.bob, ids.dee, ids.eve].sort());
});

test('renaming keeps the group and its members (in-place update)', async () => {
  wd.setHcl(config(providerBlock(sb, 'generic'), `${users}\n${group(['ada', 'bob', 'dee', 'eve']).replace('"Engineering"', '"R&D Engineering"')}`));
  const r = await wd.apply();
  expect(output(r)).toContain('0 added, 1 changed, 0 destroyed');
  expect(await sb.admin.getGroup('generic', groupId)).toMatchObject({ displayName: 'R&D Engineering' });
  expect(await memberIds(sb, 'generic', groupId)).toHaveLength(4);
});

test('a group that already exists with the same name (other case) is adopted, announced at plan time', async () => {
  const existing = await sb.admin.createGroup('generic', { displayName: 'Design', members: [ids.ada] });
  const body = `${users}\n${group(['ada', 'bob', 'dee', 'eve']).replace('"Engineering"', '"R&D Engineering"')}
resource "scim_group" "design" {
  display_name = "DESIGN"
  members      = [scim_user.bob.id]
}
`;
  wd.setHcl(config(providerBlock(sb, 'generic'), body));
  const plan = await wd.plan(['-out=adopt.tfplan']);
  expect(plan.code).toBe(0);
  expect(output(plan)).toContain(`will adopt existing group ${existing.id}`);
  const planned = changes(await wd.showPlanJson('adopt.tfplan'));
  expect(planned).toHaveLength(1);
  expect(planned[0]).toMatchObject({ address: 'scim_group.design', actions: ['create'] });
  // existing_id is known after apply (apply looks the group up again), so a saved plan survives a busy tenant.
  expect(planned[0].after.existing_id).toBeUndefined();

  await sb.admin.clearRequestLog('generic');
  expect((await wd.apply(['adopt.tfplan'])).code).toBe(0);
  const log = await sb.admin.requestLog('generic');
  expect(requests(log, 'POST', '/Groups')).toHaveLength(0);
  expect(await sb.admin.listGroups('generic')).toHaveLength(2);
  expect(await sb.admin.getGroup('generic', existing.id)).toMatchObject({ displayName: 'DESIGN' });
  expect(await memberIds(sb, 'generic', existing.id)).toEqual([ids.bob]);
  expect(stateOf(readState(wd), 'scim_group.design')).toMatchObject({ id: existing.id, existing_id: existing.id });
  expect((await wd.plan(['-detailed-exitcode'])).code).toBe(0);
});

test('a group deleted out of band is planned for re-creation', async () => {
  const design = stateOf(readState(wd), 'scim_group.design');
  await sb.admin.deleteGroup('generic', design.id);
  const r = await wd.plan(['-detailed-exitcode']);
  expect(r.code).toBe(2);
  expect(r.stdout).toContain('scim_group.design will be created');
});

test('destroy deletes the groups and leaves the member accounts', async () => {
  const r = await wd.destroy(['-target=scim_group.eng', '-target=scim_group.design']);
  expect(output(r)).not.toMatch(/Error/);
  expect(r.code).toBe(0);
  expect(await sb.admin.getGroup('generic', groupId)).toBeUndefined();
  expect((await sb.admin.listUsers('generic')).every((u) => u.active === true)).toBe(true);
});
