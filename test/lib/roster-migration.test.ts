// A ScimApp switched from one scim_user per person to rosters, with the real terraform against the sandbox,
// in one working directory: deployed per user first, then synthesized with `accounts: 'roster'` — the plan
// forgets the scim_user resources, creates and deactivates nothing, the pushed group's members (references
// into the rosters) resolve to the same ids, and the apply makes no write request at all; the next plan is
// empty; a changed slice count is refused at plan, naming the count the state was deployed with; and switching
// back to scim_user forgets the rosters, the scim_users adopt, again without a write.
import type { ScimAppProps } from '../../lib';
import { synthWiki, wikiWorkdir } from './wiki-stack';
import type { TestSandbox } from '../support/sandbox';
import { output, TerraformWorkdir } from '../support/terraform';
import { rememberTerraformVersionInSuite } from '../support/terraform-version-memo';

// Slices of 2 (FNV-1a): grace, ada, ken → 1; linus, mary → 0. ada's manager is in her slice, linus's is not.
const PEOPLE = [
  { key: 'grace', givenName: 'Grace', familyName: 'Hopper', email: 'grace@example.com', title: 'CTO', teams: ['eng'] },
  { key: 'ada', givenName: 'Ada', familyName: 'Lovelace', email: 'ada@example.com', manager: 'grace', teams: ['eng'] },
  { key: 'linus', givenName: 'Linus', familyName: 'Torvalds', email: 'linus@example.com', manager: 'grace', teams: ['eng'] },
  { key: 'mary', givenName: 'Mary', familyName: 'Jackson', email: 'mary@example.com', teams: ['sales'] },
  { key: 'ken', givenName: 'Ken', familyName: 'Thompson', email: 'ken@example.com', teams: ['sales'] },
];

rememberTerraformVersionInSuite();

let sb: TestSandbox;
let wd: TerraformWorkdir;
let env: Awaited<ReturnType<typeof wikiWorkdir>>;

/** Synthesizes the app as `cdk.tf.json` in the working directory. */
function synthInto(props: Partial<ScimAppProps>): void {
  const teams = [{ key: 'eng', displayName: 'Engineering' }, { key: 'sales', displayName: 'Sales' }];
  synthWiki({ dir: wd.dir, endpoint: sb.credentials.generic.baseUrl }, PEOPLE, teams, props);
}

const writes = async () => (await sb.admin.requestLog('generic')).filter((e) => e.method !== 'GET').map((e) => `${e.method} ${e.path}`);

beforeAll(async () => {
  env = await wikiWorkdir();
  ({ sb, wd } = env);
  synthInto({ accounts: 'users' });
  await wd.init();
  const first = await wd.apply();
  expect(first.code).toBe(0);
  expect((await sb.admin.listUsers('generic')).length).toBe(5);
}, 180_000);

afterAll(async () => {
  await env?.stop();
});

test('switching a deployed app to rosters forgets the scim_user resources and changes no account', async () => {
  synthInto({ accounts: 'roster', rosterSlices: 2 });
  const plan = await wd.plan(['-out=roster.plan']);
  expect(plan.code).toBe(0);
  const doc = await wd.showPlanJson('roster.plan');
  const actions = Object.fromEntries((doc.resource_changes as any[]).map((r) => [r.address, r.change.actions.join(',')]));
  expect(actions).toEqual({
    'scim_group.group_eng': 'update', // its members' ids are (known after apply): the provider plans adopted entries' accounts unknown
    'scim_roster.accounts_00': 'update',
    'scim_roster.accounts_01': 'update',
    'scim_user.user_ada': 'forget',
    'scim_user.user_grace': 'forget',
    'scim_user.user_ken': 'forget',
    'scim_user.user_linus': 'forget',
    'scim_user.user_mary': 'forget',
    'terraform_data.roster_slices': 'create',
  });
  // Every entry adopts its account: one warning each, no account created or deactivated.
  for (const k of ['ada', 'grace', 'ken', 'linus', 'mary']) expect(output(plan)).toContain(`scim_roster entry "${k}" will adopt existing account`);
  expect(output(plan)).toMatch(/Plan: 2 to import, 1 to add, 3 to change, 0 to destroy\./);
  const before = await sb.admin.listUsers('generic');

  await sb.admin.clearRequestLog('generic');
  const apply = await wd.apply(['roster.plan']);
  expect(apply.code).toBe(0);
  expect(await writes()).toEqual([]);

  const again = await wd.plan(['-detailed-exitcode']);
  expect(output(again)).toContain('No changes.');
  expect(again.code).toBe(0);
  expect(await sb.admin.listUsers('generic')).toEqual(before);
}, 240_000);

test('a changed slice count is refused at plan, naming the count the rosters were deployed with', async () => {
  synthInto({ accounts: 'roster', rosterSlices: 3 });
  const plan = await wd.plan();
  expect(plan.code).toBe(1);
  expect(output(plan)).toContain(
    "SCIMFORM_ROSTER_SLICES_CHANGED: wiki: rosterSlices is 3, but this app's accounts were deployed in 2 rosters (scim_roster.accounts_00 …).",
  );
  expect(output(plan)).toContain('Set rosterSlices back to 2');
}, 120_000);

test('switching back to one scim_user per person forgets the rosters and deactivates no one', async () => {
  synthInto({ accounts: 'users' });
  const plan = await wd.plan(['-out=users.plan']);
  expect(plan.code).toBe(0);
  const doc = await wd.showPlanJson('users.plan');
  const actions = Object.fromEntries((doc.resource_changes as any[]).map((r) => [r.address, r.change.actions.join(',')]));
  expect(actions).toEqual({
    'scim_group.group_eng': 'update', // members (known after apply) until the scim_users adopt their accounts
    'scim_roster.accounts_00': 'forget',
    'scim_roster.accounts_01': 'forget',
    'scim_user.user_ada': 'create', // each adopts the existing account (scim_user's adoption at apply)
    'scim_user.user_grace': 'create',
    'scim_user.user_ken': 'create',
    'scim_user.user_linus': 'create',
    'scim_user.user_mary': 'create',
    'terraform_data.roster_slices': 'delete',
  });
  const before = await sb.admin.listUsers('generic');
  await sb.admin.clearRequestLog('generic');
  const apply = await wd.apply(['users.plan']);
  expect(apply.code).toBe(0);
  expect(await writes()).toEqual([]);
  expect(await sb.admin.listUsers('generic')).toEqual(before);
}, 240_000);
