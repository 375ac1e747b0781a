// Progress through a real apply: the function `scimform deploy` applies each app with (applySavedPlan) follows
// the stack's provisioning log while the real terraform applies a 30-entry scim_roster against the sandbox at
// 600 writes per minute (about 3 s), and reports progress under way and a final line.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { ensureProviderInstalled } from '../support/terraform';
import { DEFAULT_CLI_CONFIG } from '../../scripts/install-provider';
import { offlineTerraformEnv, runTerraform } from '../../cli/terraform-runner';
import { applySavedPlan, planStack } from '../../cli/workflow/stack-terraform';
import type { SynthesizedStack } from '../../cli/workflow/stack-metadata';

let sb: TestSandbox;
let tmp: string;

beforeAll(async () => {
  await ensureProviderInstalled();
  sb = await startTestSandbox();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-apply-progress-'));
});

afterAll(async () => {
  await sb?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test('applying a roster reports done/total with rate and time left while terraform runs, then a final line', async () => {
  const dir = path.join(tmp, 'stacks', 'wiki');
  fs.mkdirSync(dir, { recursive: true });
  const entries = Object.fromEntries(
    Array.from({ length: 30 }, (_, i) => [`E${1000 + i}`, { user_name: `p${i}@example.com`, display_name: `Person ${i}` }]),
  );
  const doc = {
    terraform: { required_providers: { scim: { source: 'scimform/scim' } }, backend: { local: { path: path.join(tmp, 'wiki.tfstate') } } },
    variable: { scim_token: { type: 'string', sensitive: true, ephemeral: true } },
    provider: {
      scim: [{ endpoint: sb.credentials.generic.baseUrl, profile: 'generic', token: '${var.scim_token}', writes_per_minute: 600, log_file: '../../logs/wiki.jsonl' }],
    },
    import: [{ to: 'scim_roster.people', id: 'roster' }],
    resource: { scim_roster: { people: { entries } } },
  };
  fs.writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify(doc, null, 2));
  // An earlier run's progress in the same log is not this apply's.
  fs.mkdirSync(path.join(tmp, 'logs'));
  fs.writeFileSync(path.join(tmp, 'logs', 'wiki.jsonl'), `${JSON.stringify({ time: new Date(Date.now() - 60_000).toISOString(), action: 'roster-progress', done: 7, total: 7, failed: 0, durationMs: 900 })}\n`);

  const env = { ...offlineTerraformEnv(process.env, DEFAULT_CLI_CONFIG), TF_VAR_scim_token: sb.credentials.generic.token };
  const stack: SynthesizedStack = { name: 'wiki', dir };
  const init = await runTerraform(['init', '-input=false', '-no-color'], { cwd: dir, env });
  expect(init.code).toBe(0);
  const plan = await planStack(stack, env, { save: true, text: false });
  expect(plan.summary).toMatch(/1 to import, 0 to add, 1 to change|0 to add, 1 to change/);

  const lines: string[] = [];
  const applied = await applySavedPlan(stack, env, (m) => lines.push(m));
  expect(applied).toMatch(/^Apply complete!/);
  expect((await sb.admin.listUsers('generic')).length).toBe(30);
  expect(lines.length).toBeGreaterThanOrEqual(2);
  expect(lines[0]).toMatch(/^applying accounts: (\d|[12]\d)\/30, 0 failed/);
  expect(lines.slice(0, -1).every((l) => !/done in/.test(l) && !/\/37\b/.test(l))).toBe(true);
  expect(lines.at(-1)).toMatch(/^applying accounts: 30\/30, 0 failed, [\d.]+\/s, done in \d+ s$/);
});
