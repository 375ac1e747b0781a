// With the real example app, the real terraform and a sandbox: a provider error seen through `scimform plan`
// names the app and the resource (not cdk.tf.json) — a refused listing is the roster's error, not a person's —
// and the credential variable the app reads (SCIMFORM_WIKI_TOKEN), not the provider's SCIM_TOKEN.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { ensureProviderInstalled } from '../support/terraform';
import { explainTerraformJson } from '../../cli/diagnostic-origins';
import { readStackMetadata } from '../../cli/workflow/stack-metadata';
import { runTerraform, terraformEnv } from '../../cli/terraform-runner';
import { scimformPaths } from '../../lib/paths';
import { REPO, scimform } from './stack-fixture';

let sb: TestSandbox;
let tmp: string;

beforeAll(async () => {
  await ensureProviderInstalled();
  sb = await startTestSandbox();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-diag-'));
});

afterAll(async () => {
  await sb?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test('a refused token: one error per roster, condensed, naming Wiki and SCIMFORM_WIKI_TOKEN', async () => {
  const r = await scimform(['plan', '--stack', 'wiki'], {
    SCIMFORM_SANDBOX_DIR: sb.dataDir,
    SCIMFORM_OUTDIR: path.join(tmp, 'out'),
    SCIMFORM_STATE_DIR: path.join(tmp, 'state'),
    SCIMFORM_LOG_DIR: path.join(tmp, 'logs'),
    SCIMFORM_WIKI_ENDPOINT: sb.credentials.generic.baseUrl,
    SCIMFORM_WIKI_TOKEN: 'not-the-token',
  });
  const out = `${r.stdout}\n${r.stderr}`;
  expect(r.code).toBe(1);
  // A refused listing fails each roster (slice) of the app once, condensed by Terraform and named by app.
  expect(out).toMatch(/Error: scim_roster: cannot check whether its new entries already have accounts on \S+\n\s*for Wiki — scim_roster\.accounts_\d\d\n/);
  expect(out).toMatch(/the same error for \d+ more resources?: scim_roster\.accounts_\d\d/);
  expect(out).toContain('environment variable SCIMFORM_WIKI_TOKEN, passed as TF_VAR_scim_token');
  expect(out).not.toContain('cdk.tf.json');
  expect(out).not.toContain('SCIM_TOKEN');
  expect(out).not.toContain('not-the-token');
});

test('terraform plan -json gives each diagnostic its resource address: rendered with the app the same way', async () => {
  const stackDir = path.join(tmp, 'out', 'stacks', 'wiki');
  const env = terraformEnv(scimformPaths({}, REPO), { TF_VAR_scim_token: 'not-the-token' });
  const r = await runTerraform(['plan', '-json', '-input=false'], { cwd: stackDir, env });
  expect(r.code).toBe(1);
  const text = explainTerraformJson(r.stdout, readStackMetadata(stackDir));
  expect(text).toMatch(/^Error: scim_roster: cannot check whether its new entries already have accounts on \S+\n  for Wiki — scim_roster\.accounts_\d\d\n/);
  expect(text).toContain('environment variable SCIMFORM_WIKI_TOKEN, passed as TF_VAR_scim_token');
  expect(text).not.toContain('cdk.tf.json');
});
