// A ScimApp with `accounts: 'roster'` deployed from nothing, with the real terraform against the sandbox, in
// one working directory: every account is created through the rosters (imported empty first), a manager in
// the same slice is set, the pushed group's members are the new accounts (references into the rosters'
// `accounts` map, unknown at plan), and the next plan is empty. Then a joiner whose new manager is in another
// slice, set in the same apply.
import { sliceOf, type PersonSpec } from '../../lib';
import { synthWiki, wikiWorkdir } from './wiki-stack';
import type { TestSandbox } from '../support/sandbox';
import { output, TerraformWorkdir } from '../support/terraform';
import { rememberTerraformVersionInSuite } from '../support/terraform-version-memo';

// cdktf's validations run `terraform version` once per import block of every synth: answered once here.
rememberTerraformVersionInSuite();

const person = (key: string, manager?: string): PersonSpec => ({ key, givenName: key, familyName: 'Test', email: `${key}@example.com`, manager, teams: ['eng'] });
// Slices of 2: grace, ada, ken → 1; linus, mary → 0 (every manager in the same slice).
const PEOPLE = [person('grace'), person('ada', 'grace'), person('ken', 'grace'), person('linus'), person('mary', 'linus')];

let sb: TestSandbox;
let wd: TerraformWorkdir;
let env: Awaited<ReturnType<typeof wikiWorkdir>>;

function synthInto(people: PersonSpec[]): void {
  synthWiki({ dir: wd.dir, endpoint: sb.credentials.generic.baseUrl }, people, [{ key: 'eng', displayName: 'Engineering' }], { accounts: 'roster', rosterSlices: 2 });
}

const managerOf = (u: any) => u['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']?.manager?.value;
const byName = async (): Promise<Record<string, any>> => Object.fromEntries((await sb.admin.listUsers('generic')).map((u) => [u.userName, u]));

beforeAll(async () => {
  env = await wikiWorkdir();
  ({ sb, wd } = env);
}, 120_000);

afterAll(async () => {
  await env?.stop();
});

test('a first deploy creates every account through the rosters, with managers and the pushed group', async () => {
  expect(PEOPLE.map((p) => sliceOf(p.key, 2))).toEqual([1, 1, 1, 0, 0]);
  synthInto(PEOPLE);
  await wd.init();
  const apply = await wd.apply();
  expect(output(apply)).toContain('Apply complete! Resources: 2 imported, 2 added, 2 changed, 0 destroyed.');
  expect(apply.code).toBe(0);
  const users = await byName();
  expect(Object.keys(users).sort()).toEqual(['ada@example.com', 'grace@example.com', 'ken@example.com', 'linus@example.com', 'mary@example.com']);
  expect(managerOf(users['ada@example.com'])).toBe(users['grace@example.com'].id);
  expect(managerOf(users['mary@example.com'])).toBe(users['linus@example.com'].id);
  const [group] = await sb.admin.listGroups('generic');
  expect(group.members.map((m: { value: string }) => m.value).sort()).toEqual(Object.values(users).map((u) => u.id).sort());

  const again = await wd.plan(['-detailed-exitcode']);
  expect(output(again)).toContain('No changes.');
  expect(again.code).toBe(0);
}, 240_000);

// barbara (slice 0) reports to alan (slice 1), both new: the slices apply in parallel in one provider process,
// and barbara's manager is set once alan's slice has created him (roster-apply-phases.ts).
test('a joiner whose new manager is in another slice deploys in one apply, manager set', async () => {
  const joiners = [person('alan'), person('barbara', 'alan')];
  expect(joiners.map((p) => sliceOf(p.key, 2))).toEqual([1, 0]);
  synthInto([...PEOPLE, ...joiners]);
  const apply = await wd.apply();
  expect(output(apply)).not.toContain('inconsistent result');
  expect(apply.code).toBe(0);
  const users = await byName();
  expect(managerOf(users['barbara@example.com'])).toBe(users['alan@example.com'].id);
  const again = await wd.plan(['-detailed-exitcode']);
  expect(output(again)).toContain('No changes.');
  expect(again.code).toBe(0);
}, 240_000);
