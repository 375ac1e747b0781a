// `scimform drift` on real refreshed plans against a sandbox tenant: exit 0 when the app matches,
// 2 after changes made in the app out of band (named per app in the report and the job summary),
// 1 when the app cannot be checked (bad credential, sandbox gone) — never printing the credential.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { ensureProviderInstalled } from '../support/terraform';
import { scimform, StackFixture, user } from './stack-fixture';
import type { DriftReport } from '../../cli/drift/drift-model';
import { commandTerraformEnv, runTerraformIn } from '../../cli/terraform-runner';

let sb: TestSandbox;
let fx: StackFixture;
const WRONG_TOKEN = 'not-the-token-0123456789';

function writeStack(credentials: Record<string, { env: string } | { file: string; key: string }>) {
  fx.write('generic', {
    endpoint: sb.credentials.generic.baseUrl,
    credentials,
    resources: {
      scim_user: { ada: user('ada@example.com', { title: 'Engineer' }), bob: user('bob@example.com') },
      scim_group: { eng: { display_name: 'Engineering', members: ['${scim_user.ada.id}', '${scim_user.bob.id}'] } },
    },
  });
}
const goodCredentials = () => ({ scim_token: { file: path.join(sb.dataDir, 'credentials.json'), key: 'generic.token' } });

beforeAll(async () => {
  await ensureProviderInstalled();
  sb = await startTestSandbox();
  fx = new StackFixture();
  writeStack(goodCredentials());
  // The app is provisioned as the stack says (the setup, not the point): terraform init + apply in the stack
  // folder, as `scimform apply` runs them, without the two scimform processes and the plan's extra commands.
  const dir = path.join(fx.stacksDir, 'generic');
  const env = { ...commandTerraformEnv(), TF_VAR_scim_token: sb.credentials.generic.token };
  const init = await runTerraformIn(['init', '-input=false', '-no-color'], dir, env);
  expect(init.code).toBe(0);
  const apply = await runTerraformIn(['apply', '-input=false', '-no-color', '-auto-approve'], dir, env);
  if (apply.code !== 0) throw new Error(`terraform apply of the drift stack failed:\n${apply.stderr}`);
});

afterAll(async () => {
  await sb?.stop();
  fx?.cleanup();
});

describe('scimform drift', () => {
  test('exit 0 when every app matches its configuration', async () => {
    const r = await scimform(['drift', '--stacks-dir', fx.stacksDir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('scimform drift: 0 of 1 app drifted');
    expect(r.stdout).toContain('generic — clean');
    // Drift leaves no plan file behind (it would hold the credential variable).
    expect(fs.readdirSync(path.join(fx.stacksDir, 'generic')).filter((f) => f.endsWith('.tfplan'))).toEqual([]);
  });

  test('exit 2 after changes made in the app; the report names them per app', async () => {
    const users = await sb.admin.listUsers('generic');
    const ada = users.find((u) => u.userName === 'ada@example.com');
    const bob = users.find((u) => u.userName === 'bob@example.com');
    await sb.admin.patchUser('generic', ada.id, { title: 'CEO' });
    await sb.admin.patchUser('generic', bob.id, { active: false });
    const eng = (await sb.admin.listGroups('generic')).find((g) => g.displayName === 'Engineering');
    await sb.admin.patchGroup('generic', eng.id, { members: [ada.id] });

    const summary = path.join(fx.root, 'summary.md');
    fs.writeFileSync(summary, '# nightly\n');
    const jsonFile = path.join(fx.root, 'drift.json');
    const r = await scimform(['drift', '--stacks-dir', fx.stacksDir, '--summary-file', summary, '--json-file', jsonFile]);
    expect(r.code).toBe(2);
    for (const line of [
      'scimform drift: 1 of 1 app drifted',
      'generic — drift',
      'user ada@example.com: changed out of band',
      'title: "Engineer" → "CEO"',
      'user bob@example.com: deactivated out of band',
      'group Engineering: members changed out of band',
      'member removed: bob@example.com',
      'apply would:',
      '~ update       ada@example.com',
      '+ reactivate   bob@example.com',
      '+ member       bob@example.com → Engineering',
    ]) {
      expect(r.stdout).toContain(line);
    }
    const md = fs.readFileSync(summary, 'utf8');
    expect(md.startsWith('# nightly\n<!-- scimform-drift-report -->')).toBe(true);
    expect(md).toContain('| generic | drift | 3 |');
    expect(md).toContain('- user `ada@example.com`: changed out of band\n  - `title: "Engineer" → "CEO"`');
    const report = JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as DriftReport;
    expect(report.status).toBe('drift');
    expect(report.apps[0].outOfBand.map((e) => `${e.kind} ${e.name} ${e.what}`)).toEqual([
      'group Engineering members changed',
      'user ada@example.com changed',
      'user bob@example.com deactivated',
    ]);
  });

  test('exit 1 with a wrong credential, naming the app and never the token', async () => {
    writeStack({ scim_token: { env: 'SCIMFORM_TEST_TOKEN' } });
    const r = await scimform(['drift', '--stacks-dir', fx.stacksDir, '--format', 'markdown'], { SCIMFORM_TEST_TOKEN: WRONG_TOKEN });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('⚠️ <strong>generic</strong>: could not be checked');
    expect(r.stdout).toMatch(/401|unauthori[sz]ed/i);
    expect(r.stdout + r.stderr).not.toContain(WRONG_TOKEN);
    expect(r.stdout + r.stderr).not.toContain(sb.credentials.generic.token);
  });

  test('exit 1 when the app cannot be reached (sandbox stopped)', async () => {
    const token = sb.credentials.generic.token;
    writeStack({ scim_token: { env: 'SCIMFORM_TEST_TOKEN' } });
    // One retry instead of the default five: the error still comes after retrying (retries exhausted), without
    // ~10 s of backoff against a port nobody listens on.
    const file = path.join(fx.stacksDir, 'generic', 'cdk.tf.json');
    const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    doc.provider.scim[0].max_retries = 1;
    fs.writeFileSync(file, JSON.stringify(doc, null, 2));
    await sb.stop();
    const r = await scimform(['drift', '--stacks-dir', fx.stacksDir, '--format', 'json'], { SCIMFORM_TEST_TOKEN: token });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as DriftReport;
    expect(report.status).toBe('error');
    expect(report.apps[0].error).toMatch(/connect|unreachable|ECONNREFUSED/i);
    expect(report.apps[0].error).toContain('(after 2 attempts)'); // retried as max_retries says, then gave up
    // One cause, one message: the same error for every account is shown once, naming the others.
    expect(report.apps[0].error!.match(/Error: Cannot read SCIM user/g)).toHaveLength(1);
    expect(report.apps[0].error).toMatch(/\(the same error for 1 more resource: scim_user\.(ada|bob)\)/);
    expect(r.stdout + r.stderr).not.toContain(token);
  });
});
