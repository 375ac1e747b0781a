// Acceptance findings on scim_group / scim_group_member, with the real terraform binary against the sandbox:
// a plan whose provider configuration is unknown (endpoint computed during apply) still refreshes groups;
// removing `members` from the configuration warns and removes nobody; taking over the membership of a group
// whose members were not managed names, at plan time, the members apply will remove.
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import type { TerraformWorkdir, TfResult } from '../support/terraform';
import { diagnosticsOf } from '../support/diagnostics';
import { changes, config, initialised, memberIds, output, providerBlock, readState, requests, seedUsers, stateOf, writes } from './group-fixture';

let sb: TestSandbox;

beforeAll(async () => {
  sb = await startTestSandbox();
});

afterAll(async () => {
  await sb?.stop();
});

describe('provider endpoint unknown at plan time', () => {
  let wd: TerraformWorkdir;
  const body = (version: string) => {
    const c = sb.credentials.generic;
    return `terraform {
  required_providers {
    scim = { source = "scimform/scim" }
  }
}

resource "terraform_data" "endpoint" {
  input            = "${c.baseUrl}"
  triggers_replace = ["${version}"]
}

provider "scim" {
  endpoint = terraform_data.endpoint.output
  token    = "${c.token}"
}

resource "scim_user" "ua" {
  user_name = "ua@example.com"
}

resource "scim_group" "team" {
  display_name = "Unknown Endpoint Team"
  members      = [scim_user.ua.id]
}

resource "scim_group" "open" {
  display_name = "Unknown Endpoint Open"
}

resource "scim_group_member" "ua_open" {
  group_id = scim_group.open.id
  user_id  = scim_user.ua.id
}
`;
  };

  afterAll(async () => {
    await wd?.cleanup();
  });

  test('groups and memberships refresh (keeping their state) while the endpoint is not known yet', async () => {
    wd = await initialised(body('1'));
    const first = await wd.apply();
    expect(output(first)).not.toMatch(/Error/);
    expect(first.code).toBe(0);

    // Replacing terraform_data makes the endpoint unknown during the next plan.
    wd.setHcl(body('2'));
    const plan = await wd.plan(['-out=unknown.tfplan']);
    expect(output(plan)).not.toMatch(/Error|Provider not configured/);
    expect(plan.code).toBe(0);
    const planned = changes(await wd.showPlanJson('unknown.tfplan')).map((c) => c.address);
    expect(planned).toContain('terraform_data.endpoint');
    const r = await wd.apply(['unknown.tfplan']);
    expect(output(r)).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    expect((await wd.plan(['-detailed-exitcode'])).code).toBe(0);
  });
});

describe('membership released and taken over', () => {
  let wd: TerraformWorkdir;
  let ids: string[];
  let groupId: string;
  /** "Support" made in the app (op2, op3); the takeover plan also adopts it as a new scim_group (third case). */
  let support: { id: string };
  const supportResource = () => `resource "scim_group" "support" {\n  display_name = "support"\n  members      = ["${ids[2]}"]\n}\n`;
  let takeoverPlan: TfResult;
  const group = (members?: string) => `resource "scim_group" "ops" {
  display_name = "Operations"
${members === undefined ? '' : `  members      = [${members}]\n`}}
`;

  beforeAll(async () => {
    ids = await seedUsers(sb, 'generic', ['op1@example.com', 'op2@example.com', 'op3@example.com']);
    support = await sb.admin.createGroup('generic', { displayName: 'Support', members: [ids[1], ids[2]] });
    wd = await initialised(config(providerBlock(sb, 'generic'), group(`"${ids[0]}", "${ids[1]}"`)));
  });

  afterAll(async () => {
    await wd?.cleanup();
  });

  test('removing members from the configuration warns, keeps meta, and removes nobody', async () => {
    expect((await wd.apply()).code).toBe(0);
    groupId = stateOf(readState(wd), 'scim_group.ops').id;
    expect(await memberIds(sb, 'generic', groupId)).toEqual([ids[0], ids[1]].sort());

    wd.setHcl(config(providerBlock(sb, 'generic'), group()));
    const plan = await wd.plan(['-out=release.tfplan']);
    expect(plan.code).toBe(0);
    expect(output(plan)).toContain('members of "Operations" will no longer be managed');
    expect(output(plan)).toContain('Apply does not remove anyone: the 2 current member(s) stay in the group');
    const [change] = changes(await wd.showPlanJson('release.tfplan'));
    expect(change.after.members).toBeNull();
    expect(change.after.meta).toEqual(change.before.meta); // nothing is written, so nothing in meta changes

    await sb.admin.clearRequestLog('generic');
    expect((await wd.apply(['release.tfplan'])).code).toBe(0);
    expect(writes(await sb.admin.requestLog('generic'))).toEqual([]);
    expect(await memberIds(sb, 'generic', groupId)).toEqual([ids[0], ids[1]].sort());
    expect((await wd.plan(['-detailed-exitcode'])).code).toBe(0);
  });

  test('setting members again on the unmanaged group names, at plan time, the members apply removes', async () => {
    await sb.admin.patchGroup('generic', groupId, { members: [ids[0], ids[1], ids[2]] });
    // One plan for this case and the next: a new scim_group "support" adopting the populated Support group.
    wd.setHcl(config(providerBlock(sb, 'generic'), `${group(`"${ids[0]}"`)}\n${supportResource()}`));
    const plan = await wd.plan(['-out=takeover.tfplan']);
    takeoverPlan = plan;
    expect(plan.code).toBe(0);
    const text = diagnosticsOf(plan, 'scim_group.ops');
    expect(text).toContain('apply will remove 2 current member(s) from group "Operations"');
    expect(text).toContain(`${ids[1]} (op2@example.com)`);
    expect(text).toContain(`${ids[2]} (op3@example.com)`);
    // A changing group keeps the meta it knows; only the modification stamp and version are unknown.
    const planned = changes(await wd.showPlanJson('takeover.tfplan'));
    expect(planned.map((c) => [c.address, c.actions])).toEqual([
      ['scim_group.ops', ['update']],
      ['scim_group.support', ['create']],
    ]);
    const change = planned[0];
    expect(change.after.meta).toMatchObject({ created: change.before.meta.created, location: change.before.meta.location });

    await sb.admin.clearRequestLog('generic');
    expect((await wd.apply(['takeover.tfplan'])).code).toBe(0);
    expect(await memberIds(sb, 'generic', groupId)).toEqual([ids[0]]);
    expect(requests(await sb.admin.requestLog('generic'), 'PATCH', `/Groups/${groupId}`)).toHaveLength(1);
    expect((await wd.plan(['-detailed-exitcode'])).code).toBe(0);
  });

  test('a new scim_group adopting a populated group also names the members it will remove', () => {
    // Planned by the previous case's takeover plan, as a resource new to the state.
    expect(takeoverPlan.code).toBe(0);
    const text = diagnosticsOf(takeoverPlan, 'scim_group.support');
    expect(text).toContain(`will adopt existing group ${support.id}`);
    expect(text).toContain('apply will remove 1 current member(s) from group "support"');
    expect(text).toContain(`${ids[1]} (op2@example.com)`);
  });
});
