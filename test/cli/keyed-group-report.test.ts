// ScimApp's pushed groups carry their membership as `member_ids` (person key → the roster's account id), and the
// CLI reads it as it reads `members`, on real Terraform plans against the sandbox, in one working directory:
// a group deployed with the old `members` emission moves to `member_ids` with no membership change in the report
// and no request at apply (sandbox request log); the report of a group gaining a new person (id known after apply)
// and an existing one names both; after apply a no-op plan reads the group once (one GET /Groups); drift names a
// member removed in the app.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PersonSpec } from '../../lib';
import { outOfBandChanges } from '../../cli/drift/build-drift';
import { buildAppReport } from '../../cli/report/build-report';
import { renderAppTerminal } from '../../cli/report/render-terminal';
import { explodeRosterPlan } from '../../cli/report/roster-changes';
import type { AppReport } from '../../cli/report/report-model';
import { synthWiki, wikiWorkdir } from '../lib/wiki-stack';
import type { TestSandbox } from '../support/sandbox';
import { output, TerraformWorkdir } from '../support/terraform';
import { rememberTerraformVersionInSuite } from '../support/terraform-version-memo';

// cdktf's validations run `terraform version` once per import block of every synth: answered once here.
rememberTerraformVersionInSuite();

const person = (key: string, teams: string[]): PersonSpec => ({ key, givenName: key, familyName: 'Test', email: `${key}@example.com`, teams });
const TEAMS = [
  { key: 'eng', displayName: 'Engineering' },
  { key: 'ops', displayName: 'Operations' },
];
const START = [person('ada', ['eng']), person('grace', ['eng']), person('linus', ['ops'])];

let sb: TestSandbox;
let wd: TerraformWorkdir;
let env: Awaited<ReturnType<typeof wikiWorkdir>>;

/** Synthesizes the app; `oldEmission` rewrites every group's `member_ids` into the former `members` set. */
function synthInto(people: PersonSpec[], oldEmission = false): void {
  synthWiki({ dir: wd.dir, endpoint: sb.credentials.generic.baseUrl }, people, TEAMS, { accounts: 'roster', rosterSlices: 2 });
  const file = path.join(wd.dir, 'cdk.tf.json');
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  const groups: Record<string, { members?: string[]; member_ids?: Record<string, string> }> = json.resource.scim_group;
  for (const g of Object.values(groups)) {
    expect(g.members).toBeUndefined();
    expect(Object.keys(g.member_ids ?? {}).length).toBeGreaterThan(0);
    if (oldEmission) {
      g.members = Object.values(g.member_ids!);
      delete g.member_ids;
    }
  }
  fs.writeFileSync(file, JSON.stringify(json, null, 2));
}

async function planReport(): Promise<{ code: number; report: AppReport; plan: any }> {
  const r = await wd.plan(['-out=tfplan', '-detailed-exitcode']);
  if (r.code === 1) throw new Error(output(r));
  const plan = await wd.showPlanJson('tfplan');
  return { code: r.code, plan, report: buildAppReport('wiki', explodeRosterPlan(plan)) };
}

const memberLines = (report: AppReport) => [
  ...report.members.added.map((m) => `+ ${m.user} → ${m.group}`),
  ...report.members.removed.map((m) => `- ${m.user} ✕ ${m.group}`),
];
const groupRequests = (log: { method: string; path: string }[]) => log.filter((e) => e.path.startsWith('/Groups')).map((e) => `${e.method} ${e.path.split('?')[0]}`);

beforeAll(async () => {
  env = await wikiWorkdir();
  ({ sb, wd } = env);
}, 120_000);

afterAll(async () => {
  await env?.stop();
});

test('a group deployed with `members` moves to `member_ids`: no membership change in the report, no request at apply', async () => {
  synthInto(START, true);
  await wd.init();
  const first = await wd.apply();
  expect(first.code).toBe(0);
  const [eng] = await sb.admin.listGroups('generic');
  expect(eng.displayName).toBe('Engineering');
  expect(eng.members).toHaveLength(2);

  synthInto(START);
  const { report, plan } = await planReport();
  // Terraform itself shows the attribute moving (an in-place update of the group)…
  const change = plan.resource_changes.find((c: any) => c.address === 'scim_group.group_eng').change;
  expect(change.actions).toEqual(['update']);
  expect(change.after.member_ids).toEqual({ ada: expect.any(String), grace: expect.any(String) });
  // …the report a reviewer reads shows nothing to do.
  expect(memberLines(report)).toEqual([]);
  expect(report.groups.update).toEqual([]);
  expect(renderAppTerminal(report)).toEqual(['wiki — no changes']);

  await sb.admin.clearRequestLog('generic');
  const apply = await wd.apply(['tfplan']);
  expect(output(apply)).toContain('0 added, 1 changed, 0 destroyed');
  expect(await sb.admin.requestLog('generic')).toEqual([]);
  const [after] = await sb.admin.listGroups('generic');
  expect(after.members.map((m: { value: string }) => m.value).sort()).toEqual(eng.members.map((m: { value: string }) => m.value).sort());
}, 300_000);

test('the report names new and existing members of a pushed group; after apply a no-op plan reads the group once', async () => {
  // ken is new (account created by this apply, id unknown at plan); linus exists and joins Engineering.
  synthInto([...START.slice(0, 2), person('linus', ['ops', 'eng']), person('ken', ['eng'])]);
  const { report } = await planReport();
  expect(memberLines(report)).toEqual(['+ ken@example.com → Engineering', '+ linus@example.com → Engineering']);
  expect(report.counts.membersAdded).toBe(2);
  expect(renderAppTerminal(report).join('\n')).toMatch(/1 create, 2 members added/);
  const apply = await wd.apply(['tfplan']);
  expect(apply.code).toBe(0);
  const eng = (await sb.admin.listGroups('generic')).find((g) => g.displayName === 'Engineering')!;
  const names = await Promise.all(eng.members.map(async (m: { value: string }) => (await sb.admin.getUser('generic', m.value)).userName));
  expect(names.sort()).toEqual(['ada@example.com', 'grace@example.com', 'ken@example.com', 'linus@example.com']);

  await sb.admin.clearRequestLog('generic');
  const noop = await planReport();
  expect(noop.code).toBe(0);
  expect(memberLines(noop.report)).toEqual([]);
  // One read of the group: the listing behind the provider's read cache, nothing else for groups.
  expect(groupRequests(await sb.admin.requestLog('generic'))).toEqual(['GET /Groups']);
}, 300_000);

test('drift reads `member_ids`: a member removed in the app is named as removed out of band', async () => {
  const eng = (await sb.admin.listGroups('generic')).find((g) => g.displayName === 'Engineering')!;
  const users = await sb.admin.listUsers('generic');
  const ken = users.find((u) => u.userName === 'ken@example.com')!;
  await sb.admin.patchGroup('generic', eng.id, { members: eng.members.map((m: { value: string }) => m.value).filter((id: string) => id !== ken.id) });
  const { code, plan, report } = await planReport();
  expect(code).toBe(2);
  expect(outOfBandChanges(explodeRosterPlan(plan))).toEqual([
    expect.objectContaining({ kind: 'group', name: 'Engineering', what: 'members changed', membersRemoved: ['ken@example.com'] }),
  ]);
  expect(memberLines(report)).toEqual(['+ ken@example.com → Engineering']);
}, 300_000);
