// Twins at plan time with the real terraform: two scim_group resources whose display_name differ only in case,
// or that share an external_id, would manage one group and flap on every apply; the plan fails naming both.
// Plus the claim bookkeeping itself, without Terraform.
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import type { TerraformWorkdir } from '../support/terraform';
import { GroupClaims } from '../../providers/scim/resources/group-twins';
import { config, initialised, output, providerBlock } from './group-fixture';

describe('GroupClaims', () => {
  it('collides on display_name case-insensitively and on external_id exactly, not otherwise', () => {
    const claims = new GroupClaims();
    expect(claims.claim({ displayName: 'Eng', externalId: 'e-1' })).toBeUndefined();
    expect(claims.claim({ displayName: 'Ops', externalId: 'E-1' })).toBeUndefined();
    expect(claims.claim({ displayName: 'ENG' })).toEqual({ other: { displayName: 'Eng', externalId: 'e-1' }, on: 'display_name "ENG"' });
    expect(claims.claim({ displayName: 'Sales', externalId: 'e-1' })).toEqual({ other: { displayName: 'Eng', externalId: 'e-1' }, on: 'external_id "e-1"' });
  });
});

describe('terraform plan with twin scim_group resources', () => {
  let sb: TestSandbox;
  let wd: TerraformWorkdir;

  beforeAll(async () => {
    sb = await startTestSandbox();
  });
  afterAll(async () => {
    await wd?.cleanup();
    await sb?.stop();
  });

  test('fails naming both groups, and creates nothing', async () => {
    const body = `resource "scim_group" "eng" {
  display_name = "Engineering"
}
resource "scim_group" "eng_again" {
  display_name = "ENGINEERING"
}
resource "scim_group" "ops" {
  display_name = "Ops"
  external_id  = "team-7"
}
resource "scim_group" "sales" {
  display_name = "Sales"
  external_id  = "team-7"
}
`;
    wd = await initialised(config(providerBlock(sb, 'generic'), body));
    const r = await wd.plan();
    expect(r.code).toBe(1);
    const text = output(r);
    expect(text).toMatch(/Two scim_group resources address the same group: "(ENGINEERING|Engineering)" and "(Engineering|ENGINEERING)"/);
    expect(text).toMatch(/Both resources of this configuration have display_name "(ENGINEERING|Engineering)" \(display names are compared case-insensitively/);
    expect(text).toMatch(/Two scim_group resources address the same group: "(Ops|Sales)" \(external_id "team-7"\) and "(Sales|Ops)" \(external_id "team-7"\)/);
    expect(await sb.admin.listGroups('generic')).toEqual([]);
  });
});
