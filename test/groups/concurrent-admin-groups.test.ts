// scim_group and scim_group_member with the real terraform binary while another admin edits the sandbox
// tenant between `terraform plan -out` and `apply` of that plan: server normalisation (external_id = ""),
// an unknown provider configuration, a group created in the app before apply (adopted, never a twin), a
// member removed out of band beside an unrelated planned add (the edit stays), a planned attribute changed
// in the app (a clear conflict error), a group deleted before apply (a clear error saying to re-plan), and
// scim_group_member with its membership removed, or its group deleted, by another admin before apply.
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { TerraformWorkdir } from '../support/terraform';
import { changes, config, initialised, memberIds, output, providerBlock, readState, requests, seedUsers, stateOf } from './group-fixture';

let sb: TestSandbox;
let wd: TerraformWorkdir;
let ids: string[];

const group = (name: string, body: string) => `resource "scim_group" "${name}" {\n${body}\n}\n`;

beforeAll(async () => {
  sb = await startTestSandbox();
  ids = await seedUsers(sb, 'generic', ['ada@example.com', 'bob@example.com', 'cyd@example.com']);
  wd = await initialised(config(providerBlock(sb, 'generic'), ''));
});

afterAll(async () => {
  await wd?.cleanup();
  await sb?.stop();
});

const hcl = (body: string) => config(providerBlock(sb, 'generic'), body);

const team = (members: number[], extra = '') =>
  group('team', `  display_name = "Team"\n  external_id  = "team-1"\n  members      = [${members.map((i) => `"${ids[i]}"`).join(', ')}]${extra}`);
/** Team with ada and bob: created by the first apply beside ops and kept by the next case, for the third. */
const TEAM_AB = () => team([0, 1]);

test('external_id = "" round-trips: apply succeeds although the server drops the empty value, then no changes', async () => {
  wd.setHcl(hcl(`${group('ops', '  display_name = "Ops"\n  external_id  = ""')}\n${TEAM_AB()}`));
  const r = await wd.apply();
  expect(output(r)).not.toMatch(/inconsistent|Error/);
  expect(r.code).toBe(0);
  expect(stateOf(readState(wd), 'scim_group.ops')).toMatchObject({ display_name: 'Ops', external_id: '' });
  const again = await wd.plan(['-detailed-exitcode']);
  expect(output(again)).toContain('No changes.');
  expect(again.code).toBe(0);
});

test('a group created in the app between plan -out and apply is adopted: one group, no inconsistent plan', async () => {
  const base = group('ops', '  display_name = "Ops"\n  external_id  = ""');
  wd.setHcl(hcl(`${base}\n${group('support', `  display_name = "Support"\n  members      = ["${ids[0]}"]`)}\n${TEAM_AB()}`));
  const plan = await wd.plan(['-out=support.tfplan']);
  expect(plan.code).toBe(0);
  const planned = changes(await wd.showPlanJson('support.tfplan'));
  expect(planned.map((c) => [c.address, c.actions])).toEqual([['scim_group.support', ['create']]]);
  const other = await sb.admin.createGroup('generic', { displayName: 'support', members: [ids[1]] });
  await sb.admin.clearRequestLog('generic');
  const r = await wd.apply(['support.tfplan']);
  expect(output(r)).not.toMatch(/inconsistent|Error/);
  expect(r.code).toBe(0);
  // The plan declared the whole membership; the member the other admin had put in is removed, and apply says so.
  expect(output(r)).toContain(`Warning: scim_group "Support" adopted existing group ${other.id} and removed 1 member(s)`);
  expect(output(r)).toContain(`the members the existing group had beyond it were removed: ${ids[1]}`);
  expect(requests(await sb.admin.requestLog('generic'), 'POST', '/Groups')).toHaveLength(0);
  const supports = (await sb.admin.listGroups('generic')).filter((g) => g.displayName.toLowerCase() === 'support');
  expect(supports.map((g) => g.id)).toEqual([other.id]);
  expect(await memberIds(sb, 'generic', other.id)).toEqual([ids[0]]);
  expect(stateOf(readState(wd), 'scim_group.support')).toMatchObject({ id: other.id, existing_id: other.id, display_name: 'Support' });
});

test('a member removed in the app between plan and apply of an unrelated add stays removed; the add is applied', async () => {
  // Team (ada, bob) was created by the first case's apply and kept since; ops and support stay as they are.
  const teamId = stateOf(readState(wd), 'scim_group.team').id;
  expect(await memberIds(sb, 'generic', teamId)).toEqual([ids[0], ids[1]].sort());
  const others = `${group('ops', '  display_name = "Ops"\n  external_id  = ""')}\n${group('support', `  display_name = "Support"\n  members      = ["${ids[0]}"]`)}`;
  wd.setHcl(hcl(`${others}\n${team([0, 1, 2])}`));
  expect((await wd.plan(['-out=add.tfplan'])).code).toBe(0);
  await sb.admin.patchGroup('generic', teamId, { members: [ids[0]] });
  const r = await wd.apply(['add.tfplan']);
  expect(output(r)).not.toMatch(/inconsistent|Error/);
  expect(r.code).toBe(0);
  expect(await memberIds(sb, 'generic', teamId)).toEqual([ids[0], ids[2]].sort());
  // The other admin's removal shows up on the next refresh, as a change to review.
  const next = await wd.plan(['-detailed-exitcode']);
  expect(next.code).toBe(2);
  expect(next.stdout).toContain('scim_group.team will be updated in-place');
});

test('a planned attribute changed in the app since the plan stops apply with a conflict naming group, values and re-plan', async () => {
  wd.setHcl(hcl(team([0, 1, 2])));
  expect((await wd.apply()).code).toBe(0);
  const teamId = stateOf(readState(wd), 'scim_group.team').id;
  wd.setHcl(hcl(team([0, 1, 2]).replace('"team-1"', '"team-2"')));
  expect((await wd.plan(['-out=ext.tfplan'])).code).toBe(0);
  await sb.admin.patchGroup('generic', teamId, { externalId: 'hr-7' });
  await sb.admin.clearRequestLog('generic');
  const r = await wd.apply(['ext.tfplan']);
  expect(r.code).toBe(1);
  const text = output(r);
  expect(text).toContain(`Error: scim_group "Team" (SCIM id ${teamId}) was changed in the app since the plan`);
  expect(text).toContain('- external_id: the plan changes it from "team-1" to "team-2", but the group now has "hr-7"');
  expect(text).toContain('Apply stopped without writing anything to this group, and the change made in the app is kept. Re-run terraform plan');
  expect(text).not.toMatch(/inconsistent/);
  expect((await sb.admin.requestLog('generic')).filter((e) => e.method !== 'GET')).toEqual([]);
  expect(await sb.admin.getGroup('generic', teamId)).toMatchObject({ externalId: 'hr-7' });
});

test('a planned attribute the app already has is not written again', async () => {
  const teamId = stateOf(readState(wd), 'scim_group.team').id;
  await sb.admin.patchGroup('generic', teamId, { externalId: 'team-1' });
  wd.setHcl(hcl(team([0, 1, 2]).replace('"team-1"', '"team-2"')));
  expect((await wd.plan(['-out=same.tfplan'])).code).toBe(0);
  await sb.admin.patchGroup('generic', teamId, { externalId: 'team-2' });
  await sb.admin.clearRequestLog('generic');
  const r = await wd.apply(['same.tfplan']);
  expect(output(r)).not.toMatch(/inconsistent|Error/);
  expect(r.code).toBe(0);
  expect((await sb.admin.requestLog('generic')).filter((e) => e.method !== 'GET')).toEqual([]);
  expect((await wd.plan(['-detailed-exitcode'])).code).toBe(0);
});

test('a group deleted in the app between plan and apply gives a clear error saying to re-plan', async () => {
  const teamId = stateOf(readState(wd), 'scim_group.team').id;
  wd.setHcl(hcl(team([0, 1, 2]).replace('"Team"', '"Team A"').replace('"team-1"', '"team-2"')));
  expect((await wd.plan(['-out=gone.tfplan'])).code).toBe(0);
  await sb.admin.deleteGroup('generic', teamId);
  const r = await wd.apply(['gone.tfplan']);
  expect(r.code).toBe(1);
  const text = output(r);
  expect(text).toContain(`Error: scim_group "Team" (SCIM id ${teamId}) was deleted in the app since the plan`);
  expect(text).toContain('The group no longer exists on the server: it was deleted after the plan was made');
  expect(text).toContain('Re-run terraform plan');
  expect((await sb.admin.listGroups('generic')).filter((g) => /^team/i.test(g.displayName))).toEqual([]);
});

test('scim_group_member: a membership removed in the app before its planned removal is fine; a group deleted before a planned add is a clear error', async () => {
  const ops = group('ops', '  display_name = "Ops"\n  external_id  = ""');
  const member = `resource "scim_group_member" "ops_cyd" {\n  group_id = scim_group.ops.id\n  user_id  = "${ids[2]}"\n}\n`;
  wd.setHcl(hcl(`${ops}\n${member}`));
  const added = await wd.apply();
  expect(output(added)).not.toMatch(/Error/);
  const opsId = stateOf(readState(wd), 'scim_group.ops').id;
  expect(await memberIds(sb, 'generic', opsId)).toEqual([ids[2]]);

  wd.setHcl(hcl(ops));
  expect((await wd.plan(['-out=drop.tfplan'])).code).toBe(0);
  await sb.admin.patchGroup('generic', opsId, { members: [] });
  const dropped = await wd.apply(['drop.tfplan']);
  expect(output(dropped)).not.toMatch(/Error/);
  expect(dropped.code).toBe(0);

  wd.setHcl(hcl(`${ops}\n${member}`));
  expect((await wd.plan(['-out=readd.tfplan'])).code).toBe(0);
  await sb.admin.deleteGroup('generic', opsId);
  const r = await wd.apply(['readd.tfplan']);
  expect(r.code).toBe(1);
  expect(output(r)).toContain(`group ${opsId} does not exist on the server: it was deleted in the app (perhaps after the plan was made), or group_id is wrong. Run terraform plan again`);
  expect(await sb.admin.listGroups('generic')).not.toContainEqual(expect.objectContaining({ displayName: 'Ops' }));
});

test('with an unknown provider configuration a new group plans existing_id as known after apply', async () => {
  const unknownCfg = await initialised(`terraform {
  required_providers {
    scim = { source = "scimform/scim" }
  }
}
resource "terraform_data" "endpoint" {
  input = "${sb.credentials.generic.baseUrl}"
}
provider "scim" {
  endpoint = terraform_data.endpoint.output
  profile  = "generic"
  token    = "${sb.credentials.generic.token}"
}
${group('later', '  display_name = "Later"')}`);
  try {
    const plan = await unknownCfg.plan(['-out=u.tfplan']);
    expect(output(plan)).not.toMatch(/Error/);
    expect(plan.code).toBe(0);
    const json = await unknownCfg.showPlanJson('u.tfplan');
    const rc = json.resource_changes.find((c: any) => c.address === 'scim_group.later');
    expect(rc.change.after_unknown).toMatchObject({ id: true, existing_id: true });
    expect(rc.change.after.existing_id).toBeUndefined();
  } finally {
    await unknownCfg.cleanup();
  }
});
