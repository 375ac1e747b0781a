// `scimform apply` (the real executable, applying the plan saved by `scimform plan`) shows progress on the
// terminal as `scimform deploy` does: a 30-entry roster at 600 writes per minute (about 3 s) reports
// `applying accounts: N/30` under way and a final line with rate and time, and a pushed group of those 30
// members written in PATCH batches of 10 reports `applying group members: 30/30` (group-progress lines of the
// provisioning log). With SCIMFORM_QUIET=1 none of it is printed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TestSandbox } from '../support/sandbox';
import { scimform, StackFixture, useSandboxAndStacks } from './stack-fixture';

let sb: TestSandbox;
let fx: StackFixture;
useSandboxAndStacks((s, f) => ((sb = s), (fx = f)));

const KEYS = Array.from({ length: 30 }, (_, i) => `E${1000 + i}`);

function writeStack(keys: string[]): void {
  fx.write('wiki', {
    endpoint: sb.credentials.generic.baseUrl,
    credentials: { scim_token: { file: path.join(sb.dataDir, 'credentials.json'), key: 'generic.token' } },
    resources: {
      scim_roster: { people: { entries: Object.fromEntries(keys.map((k) => [k, { user_name: `${k.toLowerCase()}@example.com`, display_name: k }])) } },
      scim_group: { everyone: { display_name: 'Everyone', member_ids: Object.fromEntries(keys.map((k) => [k, `\${scim_roster.people.accounts["${k}"].id}`])) } },
    },
    imports: [{ to: 'scim_roster.people', id: 'roster' }],
    meta: { accounts: 'roster' },
  });
  // The provider block as an app with a write budget and a provisioning log writes it.
  const file = path.join(fx.stacksDir, 'wiki', 'cdk.tf.json');
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  Object.assign(doc.provider.scim[0], { writes_per_minute: 600, member_batch_size: 10, log_file: '../../logs/wiki.jsonl' });
  fs.writeFileSync(file, JSON.stringify(doc, null, 2));
}

const progressLines = (stderr: string) => stderr.split('\n').filter((l) => /^\[wiki\] applying (accounts|group members):/.test(l));

test('scimform apply reports accounts and group members applied, with rate and time, from the provisioning log', async () => {
  writeStack(KEYS);
  const plan = await scimform(['plan', '--no-synth', '--stacks-dir', fx.stacksDir]);
  expect(plan.code).toBe(0);
  const r = await scimform(['apply', '--stacks-dir', fx.stacksDir]);
  expect(r.code).toBe(0);
  expect((await sb.admin.listUsers('generic')).length).toBe(30);
  const lines = progressLines(r.stderr);
  const accounts = lines.filter((l) => l.includes('accounts'));
  expect(accounts.length).toBeGreaterThanOrEqual(2);
  expect(accounts[0]).toMatch(/^\[wiki\] applying accounts: (\d|[12]\d)\/30, 0 failed/);
  expect(accounts.at(-1)).toMatch(/^\[wiki\] applying accounts: 30\/30, 0 failed, [\d.]+\/s, done in \d+ s$/);
  expect(lines.filter((l) => l.includes('group members')).at(-1)).toMatch(/^\[wiki\] applying group members: 30\/30, 0 failed, [\d.]+\/(s|min), done in \d+ s$/);
}, 180_000);

test('with SCIMFORM_QUIET=1 apply prints no progress', async () => {
  writeStack([...KEYS, 'E2000', 'E2001']);
  expect((await scimform(['plan', '--no-synth', '--stacks-dir', fx.stacksDir])).code).toBe(0);
  const r = await scimform(['apply', '--stacks-dir', fx.stacksDir], { SCIMFORM_QUIET: '1' });
  expect(r.code).toBe(0);
  expect(progressLines(r.stderr)).toEqual([]);
  expect((await sb.admin.listUsers('generic')).length).toBe(32);
}, 180_000);
