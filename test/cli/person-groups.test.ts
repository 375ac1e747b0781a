// `scimform apply --person KEY` on a ScimApp stack (synthesized rosters and a pushed group keyed by person,
// `member_ids`) with the real terraform and the sandbox, in one stacks folder: a new hire is created and added
// to the group, a mover leaves it, and nobody else's account or membership changes (other pending changes stay
// for the full apply); a group that does not exist yet is named as left for the next full apply. Then the full
// plan shows only what the person runs did not do.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PersonSpec } from '../../lib';
import type { PlanReport } from '../../cli/report/report-model';
import { synthWiki } from '../lib/wiki-stack';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { ensureProviderInstalled } from '../support/terraform';
import { rememberTerraformVersionInSuite } from '../support/terraform-version-memo';
import { commandTerraformEnv, runTerraform } from '../../cli/terraform-runner';
import { scimform } from './stack-fixture';

const person = (key: string, teams: string[], familyName = 'Test'): PersonSpec => ({ key, givenName: key, familyName, email: `${key}@example.com`, teams });
const TEAMS = [
  { key: 'eng', displayName: 'Engineering' },
  { key: 'ops', displayName: 'Operations' },
];

rememberTerraformVersionInSuite();

let sb: TestSandbox;
let root: string;
let stacksDir: string;
// Testing.synth leaves out the `//.scimform` metadata, so the token goes in as Terraform's variable.
const env = () => ({ TF_VAR_scim_token: sb.credentials.generic.token });

function synth(people: PersonSpec[], pushGroups = ['eng']): void {
  const dir = path.join(stacksDir, 'wiki');
  fs.mkdirSync(dir, { recursive: true });
  synthWiki({ dir, endpoint: sb.credentials.generic.baseUrl }, people, TEAMS, { accounts: 'roster', rosterSlices: 2, pushGroups });
}

/** The starting point, deployed with terraform itself (init + apply): the CLI's own plan and apply are what
 * the person runs below exercise; this is only their fixture. */
async function deployWithTerraform(): Promise<void> {
  const cwd = path.join(stacksDir, 'wiki');
  const tfEnv = commandTerraformEnv({ ...process.env, ...env() });
  for (const args of [['init', '-input=false', '-no-color'], ['apply', '-input=false', '-no-color', '-auto-approve']]) {
    const r = await runTerraform(args, { cwd, env: tfEnv });
    expect({ args, code: r.code, err: r.code ? r.stderr + r.stdout : '' }).toEqual({ args, code: 0, err: '' });
  }
}

const cli = async (args: string[]) => {
  const r = await scimform([...args, '--stacks-dir', stacksDir, '--no-sandbox', '--format', 'json'], env());
  return { ...r, report: r.code === 0 ? (JSON.parse(r.stdout) as PlanReport) : undefined };
};
const memberLines = (report: PlanReport | undefined) =>
  (report?.apps ?? []).flatMap((a) => [...a.members.added.map((m) => `+ ${m.user} → ${m.group}`), ...a.members.removed.map((m) => `- ${m.user} ✕ ${m.group}`)]);
async function groupMembers(name: string): Promise<string[]> {
  const g = (await sb.admin.listGroups('generic')).find((x) => x.displayName === name);
  if (!g) return [];
  const users = await sb.admin.listUsers('generic');
  return (g.members ?? []).map((m: { value: string }) => users.find((u) => u.id === m.value)?.userName ?? m.value).sort();
}

beforeAll(async () => {
  await ensureProviderInstalled();
  sb = await startTestSandbox();
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-person-groups-'));
  stacksDir = path.join(root, 'stacks');
}, 120_000);

afterAll(async () => {
  await sb?.stop();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

test('apply --person adds a new hire to the pushed group and removes a mover, touching no one else', async () => {
  synth([person('ada', ['eng']), person('grace', ['eng']), person('linus', ['ops'])]);
  await deployWithTerraform();
  expect(await groupMembers('Engineering')).toEqual(['ada@example.com', 'grace@example.com']);

  // Pending for the full apply: ada's new name, linus joining Engineering, Operations pushed (not created yet).
  synth([person('ada', ['eng'], 'Lovelace'), person('grace', ['ops']), person('linus', ['ops', 'eng']), person('ken', ['eng'])], ['eng', 'ops']);
  const ken = await cli(['apply', '--person', 'ken']);
  expect(ken.stderr).not.toMatch(/failed/);
  expect(ken.code).toBe(0);
  expect(memberLines(ken.report)).toEqual(['+ ken@example.com → Engineering']);
  expect(ken.report!.totals).toMatchObject({ create: 1, update: 0, deactivate: 0, membersRemoved: 0 });
  expect(ken.stderr).not.toContain('left for the next full apply');
  expect(await groupMembers('Engineering')).toEqual(['ada@example.com', 'grace@example.com', 'ken@example.com']);

  const grace = await cli(['apply', '--person', 'grace']);
  expect(grace.code).toBe(0);
  expect(memberLines(grace.report)).toEqual(['- grace@example.com ✕ Engineering']);
  // grace also joins Operations, which this run cannot create without its other members.
  expect(grace.stderr).toContain('[wiki] left for the next full apply: scim_group.group_ops ("Operations"): the group does not exist yet, so adding grace is left for the next full `scimform apply`, which creates it with all its members');
  expect(await groupMembers('Engineering')).toEqual(['ada@example.com', 'ken@example.com']);
  expect((await sb.admin.listUsers('generic')).find((u) => u.userName === 'ada@example.com').name.familyName).toBe('Test');

  // What the person runs left: ada's update, linus into Engineering, Operations created with its members.
  const full = await cli(['plan', '--no-synth']);
  expect(full.code).toBe(0);
  expect(full.report!.totals).toMatchObject({ create: 0, update: 1, deactivate: 0, groupsCreate: 1, membersRemoved: 0 });
  expect(memberLines(full.report).filter((l) => l.includes('Engineering'))).toEqual(['+ linus@example.com → Engineering']);
}, 400_000);
