// Groups this configuration did not create: `terraform import` by id and by display_name (then a no-op
// plan), and `scim_group_member`, which adds one member (and removes only that one) without touching the rest.
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import type { TerraformWorkdir } from '../support/terraform';
import { config, initialised, memberIds, output, providerBlock, readState, requests, seedUsers, stateOf, writes } from './group-fixture';

let sb: TestSandbox;
const open: TerraformWorkdir[] = [];
let people: string[];

beforeAll(async () => {
  sb = await startTestSandbox();
  people = await seedUsers(sb, 'generic', ['ann@example.com', 'ben@example.com', 'cat@example.com', 'dan@example.com']);
});

afterAll(async () => {
  for (const wd of open) await wd.cleanup();
  await sb?.stop();
});

async function workdir(body: string): Promise<TerraformWorkdir> {
  const wd = await initialised(config(providerBlock(sb, 'generic'), body));
  open.push(wd);
  return wd;
}

const opsGroup = (members: string[]) => `resource "scim_group" "ops" {
  display_name = "Operations"
  members      = [${members.map((m) => `"${m}"`).join(', ')}]
}
`;

describe('import', () => {
  let opsId: string;
  beforeAll(async () => {
    opsId = (await sb.admin.createGroup('generic', { displayName: 'Operations', externalId: 'ops', members: [people[0], people[1]] })).id;
  });

  test('by id: the imported group matches the configuration (plan exits 0)', async () => {
    const wd = await workdir(opsGroup([people[0], people[1]]));
    const r = await wd.import('scim_group.ops', opsId);
    expect(output(r)).toContain('Import successful!');
    expect(r.code).toBe(0);
    const state = stateOf(readState(wd), 'scim_group.ops');
    expect(state).toMatchObject({ id: opsId, display_name: 'Operations', external_id: 'ops' });
    expect([...state.members].sort()).toEqual([people[0], people[1]].sort());
    const plan = await wd.plan(['-detailed-exitcode']);
    expect(output(plan)).toContain('No changes.');
    expect(plan.code).toBe(0);
  });

  test('by display_name (case-insensitively); a differing membership then plans as an update', async () => {
    const wd = await workdir(opsGroup([people[0], people[2]]));
    const r = await wd.import('scim_group.ops', 'display_name=OPERATIONS');
    expect(output(r)).toContain('Import successful!');
    expect(stateOf(readState(wd), 'scim_group.ops').id).toBe(opsId);
    const plan = await wd.plan(['-detailed-exitcode']);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('scim_group.ops will be updated in-place');
    expect(plan.stdout).toContain('Plan: 0 to add, 1 to change, 0 to destroy.');
  });

  test('an unknown id or name is a clear error', async () => {
    const wd = await workdir(opsGroup([]));
    const byId = await wd.import('scim_group.ops', 'no-such-group');
    expect(byId.code).toBe(1);
    expect(output(byId)).toContain('no group with id "no-such-group" exists');
    const byName = await wd.import('scim_group.ops', 'display_name=Nobody');
    expect(byName.code).toBe(1);
    expect(output(byName)).toContain('no group with displayName "Nobody" exists');
  });
});

describe('scim_group_member', () => {
  let supportId: string;
  let wd: TerraformWorkdir;
  const body = `data "scim_group" "support" {
  display_name = "Support"
}

data "scim_user" "dan" {
  user_name = "DAN@example.com"
}

resource "scim_group_member" "dan" {
  group_id = data.scim_group.support.id
  user_id  = data.scim_user.dan.id
}
`;

  beforeAll(async () => {
    supportId = (await sb.admin.createGroup('generic', { displayName: 'Support', members: [people[0], people[1], people[2]] })).id;
    wd = await workdir(body);
  });

  test('adds the member with one PATCH and leaves the other members alone', async () => {
    await sb.admin.clearRequestLog('generic');
    const r = await wd.apply();
    expect(output(r)).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    const log = await sb.admin.requestLog('generic');
    expect(writes(log).map((e) => `${e.method} ${e.path}`)).toEqual([`PATCH /Groups/${supportId}`]);
    expect(await memberIds(sb, 'generic', supportId)).toEqual([...people].sort());
    expect(stateOf(readState(wd), 'scim_group_member.dan')).toMatchObject({ id: `${supportId}/${people[3]}`, group_id: supportId, user_id: people[3] });
    expect((await wd.plan(['-detailed-exitcode'])).code).toBe(0);
  });

  test('members added by others do not show as drift; removing this membership out of band does', async () => {
    await sb.admin.patchGroup('generic', supportId, { members: [people[0], people[3]] });
    expect((await wd.plan(['-detailed-exitcode'])).code).toBe(0);
    await sb.admin.patchGroup('generic', supportId, { members: [people[0]] });
    const r = await wd.plan(['-detailed-exitcode', '-out=readd.tfplan']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('scim_group_member.dan will be created');
    expect((await wd.apply(['readd.tfplan'])).code).toBe(0);
    expect(await memberIds(sb, 'generic', supportId)).toEqual([people[0], people[3]].sort());
  });

  test('import by <group_id>/<user_id>', async () => {
    const other = await workdir(body);
    const r = await other.import('scim_group_member.dan', `${supportId}/${people[3]}`);
    expect(output(r)).toContain('Import successful!');
    expect((await other.plan(['-detailed-exitcode'])).code).toBe(0);
  });

  test('destroy removes only that member', async () => {
    await sb.admin.patchGroup('generic', supportId, { members: [people[0], people[1], people[3]] });
    await sb.admin.clearRequestLog('generic');
    const r = await wd.destroy();
    expect(r.code).toBe(0);
    expect(requests(await sb.admin.requestLog('generic'), 'PATCH', '/Groups')).toHaveLength(1);
    expect(await memberIds(sb, 'generic', supportId)).toEqual([people[0], people[1]].sort());
    expect(await sb.admin.getGroup('generic', supportId)).toBeDefined();
  });
});

test('a group without `members` leaves membership alone and is read with excludedAttributes=members', async () => {
  const wd = await workdir(`resource "scim_group" "all" {\n  display_name = "All Staff"\n}\n`);
  expect((await wd.apply()).code).toBe(0);
  const all = (await sb.admin.listGroups('generic')).find((g) => g.displayName === 'All Staff');
  expect(stateOf(readState(wd), 'scim_group.all').members).toBeNull();
  await sb.admin.patchGroup('generic', all.id, { members: [people[0], people[1]] });
  await sb.admin.clearRequestLog('generic');
  const plan = await wd.plan(['-detailed-exitcode']);
  expect(output(plan)).toContain('No changes.');
  expect(plan.code).toBe(0);
  const reads = requests(await sb.admin.requestLog('generic'), 'GET', '/Groups');
  expect(reads.length).toBeGreaterThan(0);
  expect(reads.every((e) => e.path.includes('excludedAttributes=members'))).toBe(true);
  const destroy = await wd.destroy();
  expect(destroy.code).toBe(0);
  expect(await sb.admin.getGroup('generic', all.id)).toBeUndefined();
});
