// Saved plans through the real `scimform` command and real Terraform, on the example app (main.ts) with its
// org files copied to a temporary folder and its apps aimed at a test sandbox (the wiki through
// SCIMFORM_WIKI_ENDPOINT and a token in the environment): the plan file is 0600 and holds no credential,
// the provider's adoption warning is saved beside it and drives the report, apply removes it, and a plan
// made before an org file was changed back is refused. A hand-written stack adds `headers` from a variable.
// Finally no credential appears in any file under the out/state/log folders or in any CLI output.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { ensureProviderInstalled } from '../support/terraform';
import { REPO, scimform, type CliResult } from './stack-fixture';
import type { PlanReport } from '../../cli/report/report-model';

const HEADER_SECRET = 'Header-Value-Not-For-Eyes-42';
const AUTH_HEADER_SECRET = 'Bearer Authorization-Not-For-Eyes-43';

let sb: TestSandbox;
let tmp: string;
let env: NodeJS.ProcessEnv;
const outputs: string[] = [];
const run = async (args: string[], extra: NodeJS.ProcessEnv = {}): Promise<CliResult> => {
  const r = await scimform(args, { ...env, ...extra });
  outputs.push(r.stdout, r.stderr);
  return r;
};
const wikiDir = () => path.join(tmp, 'out', 'stacks', 'wiki');
const planPath = () => path.join(wikiDir(), 'scimform.tfplan');
const people = () => path.join(tmp, 'org', 'people.yaml');
const secrets = () => [
  sb.credentials.generic.token,
  sb.credentials.proxyclick.token,
  sb.credentials.promapp.token,
  sb.credentials.proxy.password,
  HEADER_SECRET,
  AUTH_HEADER_SECRET.split(' ')[1],
];
const grace = async () => (await sb.admin.listUsers('generic')).find((u) => u.userName === 'grace.hopper@example.com');

/** Every entry of a saved plan (a zip file), uncompressed. */
const unzipped = (file: string): string => {
  const r = spawnSync('unzip', ['-p', file], { encoding: 'latin1' });
  if (r.status !== 0) throw new Error(`unzip failed: ${r.stderr}`);
  return r.stdout;
};

beforeAll(async () => {
  await ensureProviderInstalled();
  sb = await startTestSandbox();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-saved-plan-'));
  fs.cpSync(path.join(REPO, 'org'), path.join(tmp, 'org'), { recursive: true });
  env = {
    SCIMFORM_ORG_DIR: path.join(tmp, 'org'),
    SCIMFORM_OUTDIR: path.join(tmp, 'out'),
    SCIMFORM_STATE_DIR: path.join(tmp, 'state'),
    SCIMFORM_LOG_DIR: path.join(tmp, 'logs'),
    SCIMFORM_SANDBOX_DIR: sb.dataDir,
    SCIMFORM_WIKI_ENDPOINT: sb.credentials.generic.baseUrl,
    SCIMFORM_WIKI_TOKEN: sb.credentials.generic.token,
  };
});

afterAll(async () => {
  await sb?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test('plan: a 0600 plan file without credentials, the adoption warning beside it drives the report; apply removes it', async () => {
  // An inactive account for grace already exists: the plan adopts and reactivates it.
  await sb.admin.createUser('generic', { userName: 'grace.hopper@example.com', active: false });
  const plan = await run(['plan', '--stack', 'wiki', '--no-sandbox', '--format', 'json']);
  expect(plan.code).toBe(0);
  const report = JSON.parse(plan.stdout) as PlanReport;
  expect(report.apps[0].users.reactivate.map((u) => u.userName)).toEqual(['grace.hopper@example.com']);

  expect(fs.statSync(planPath()).mode & 0o777).toBe(0o600);
  const warnings = fs.readFileSync(`${planPath()}.warnings.json`, 'utf8');
  expect(JSON.parse(warnings).warnings[0].summary).toContain('scim_roster entry "grace" will adopt existing account');
  expect(JSON.parse(warnings).warnings[0].address).toMatch(/^scim_roster\.accounts_\d\d$/);
  expect(fs.existsSync(`${planPath()}.inputs.json`)).toBe(true);

  const raw = unzipped(planPath());
  expect(raw).toContain('scim_roster');
  const shown = spawnSync('terraform', ['show', '-json', 'scimform.tfplan'], {
    cwd: wikiDir(),
    env: { ...process.env, TF_CLI_CONFIG_FILE: path.join(REPO, '.scimform', 'terraformrc'), CHECKPOINT_DISABLE: '1' },
    encoding: 'utf8',
  });
  expect(shown.status).toBe(0);
  for (const s of secrets()) {
    expect(raw).not.toContain(s);
    expect(shown.stdout).not.toContain(s);
  }

  const apply = await run(['apply', '--stack', 'wiki', '--no-sandbox']);
  expect(apply.code).toBe(0);
  expect((await grace())?.active).toBe(true);
  expect(fs.readdirSync(wikiDir()).filter((f) => f.startsWith('scimform.tfplan'))).toEqual([]);
});

test('a plan made before an org file was changed back is refused, and nothing is applied', async () => {
  const original = fs.readFileSync(people(), 'utf8');
  fs.writeFileSync(people(), original.replace('title: Chief Technology Officer', 'title: Chief Stale Officer'));
  const plan = await run(['plan', '--stack', 'wiki', '--no-sandbox', '--format', 'json']);
  expect(plan.code).toBe(0);
  expect(JSON.stringify(JSON.parse(plan.stdout).apps[0].users.update)).toContain('Chief Stale Officer');
  fs.writeFileSync(people(), original);

  const apply = await run(['apply', '--stack', 'wiki', '--no-sandbox']);
  expect(apply.code).toBe(1);
  expect(apply.stderr).toMatch(/the saved plan was made from other inputs than the current ones \(org file \S*people\.yaml changed\)/);
  expect(apply.stderr).toContain('Nothing was applied. Run `scimform plan` again');
  expect((await grace())?.title).toBe('Chief Technology Officer');
});

test('report makes a stale plan again; drift synthesizes again when SCIMFORM_WIKI_ENDPOINT changed', async () => {
  // Runs after the test above (file order): the saved plan it left, made with "Chief Stale Officer", is the
  // stale plan here — no third plan is needed.
  expect(fs.existsSync(planPath())).toBe(true);
  const original = fs.readFileSync(people(), 'utf8');
  fs.writeFileSync(people(), original.replace('title: Chief Technology Officer', 'title: Chief Report Officer'));
  try {
    const report = await run(['report', '--stack', 'wiki', '--no-sandbox', '--format', 'json']);
    expect(report.code).toBe(0);
    expect(report.stderr).toMatch(/scimform report: org file \S*people\.yaml changed since the last synth: synthesizing again/);
    expect(report.stderr).toMatch(/\[wiki\] the saved plan was made from other inputs \(org file \S*people\.yaml changed/);
    expect(JSON.stringify(JSON.parse(report.stdout).apps[0].users.update)).toContain('Chief Report Officer');
  } finally {
    fs.writeFileSync(people(), original);
  }

  // The wiki's endpoint is spelled differently: drift synthesizes again and checks the stack it now names.
  const moved = `${sb.credentials.generic.baseUrl}/`;
  const drift = await run(['drift', '--stack', 'wiki', '--no-sandbox'], { SCIMFORM_WIKI_ENDPOINT: moved });
  expect(drift.stderr).toMatch(/SCIMFORM_WIKI_ENDPOINT changed since the last synth: synthesizing again/);
  expect(drift.code).toBe(0);
  expect(JSON.parse(fs.readFileSync(path.join(wikiDir(), 'cdk.tf.json'), 'utf8')).provider.scim[0].endpoint).toBe(moved);
});

describe('headers from a variable (hand-written stack, --no-synth)', () => {
  const stacksDir = () => path.join(tmp, 'hand', 'stacks');
  const writeStack = (app: string, header: string) => {
    const dir = path.join(stacksDir(), app);
    fs.mkdirSync(dir, { recursive: true });
    const doc = {
      '//': {
        scimform: {
          version: 1, app, title: app, profile: 'generic', endpoint: sb.credentials.generic.baseUrl, sandbox: false,
          credentials: { scim_token: { env: 'SCIMFORM_WIKI_TOKEN' } },
          headers: { [header]: { env: 'SCIMFORM_TEST_HEADER' } },
        },
      },
      terraform: { required_providers: { scim: { source: 'scimform/scim' } }, backend: { local: { path: path.join(tmp, 'state', `${app}.tfstate`) } } },
      variable: {
        scim_token: { type: 'string', sensitive: true, ephemeral: true },
        scim_headers: { type: 'map(string)', sensitive: true, ephemeral: true },
      },
      provider: {
        scim: [{ endpoint: sb.credentials.generic.baseUrl, token: '${var.scim_token}', headers: '${var.scim_headers}', log_file: path.join(tmp, 'logs', `${app}.jsonl`) }],
      },
      resource: { scim_user: { hdr: { user_name: 'header.user@example.com' } } },
    };
    fs.writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify(doc, null, 2));
  };

  test('a tenant header reaches the provider; plan and apply succeed', async () => {
    writeStack('hdr', 'X-Tenant');
    const plan = await run(['plan', '--no-synth', '--stacks-dir', stacksDir(), '--stack', 'hdr'], { SCIMFORM_TEST_HEADER: HEADER_SECRET });
    expect(plan.code).toBe(0);
    const raw = unzipped(path.join(stacksDir(), 'hdr', 'scimform.tfplan'));
    expect(raw).not.toContain(HEADER_SECRET);
    const apply = await run(['apply', '--stacks-dir', stacksDir(), '--stack', 'hdr', '--no-sandbox'], { SCIMFORM_TEST_HEADER: HEADER_SECRET });
    expect(apply.code).toBe(0);
    expect((await sb.admin.listUsers('generic')).some((u) => u.userName === 'header.user@example.com')).toBe(true);
  });

  test('an Authorization entry in headers is refused without echoing its value', async () => {
    writeStack('auth', 'Authorization');
    const plan = await run(['plan', '--no-synth', '--stacks-dir', stacksDir(), '--stack', 'auth'], { SCIMFORM_TEST_HEADER: AUTH_HEADER_SECRET });
    expect(plan.code).toBe(1);
    expect(`${plan.stdout}${plan.stderr}`).toContain('Authorization header in headers');
  });
});

describe('at the end', () => {
  test('no credential in any file under the out, state and log folders, nor in any CLI output', () => {
    const files = (dir: string): string[] =>
      fs.existsSync(dir)
        ? fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.isFile() ? [path.join(dir, e.name)] : []))
        : [];
    const all = [...files(path.join(tmp, 'out')), ...files(path.join(tmp, 'state')), ...files(path.join(tmp, 'logs')), ...files(path.join(tmp, 'hand'))];
    expect(all.some((f) => f.endsWith('.jsonl'))).toBe(true);
    expect(all.some((f) => f.endsWith('cdk.tf.json'))).toBe(true);
    for (const f of all) {
      // Saved plans are zip files: search what they hold, uncompressed.
      const text = /\.tfplan$/.test(f) ? unzipped(f) : fs.readFileSync(f, 'latin1');
      for (const s of secrets()) if (text.includes(s)) throw new Error(`${path.relative(tmp, f)} contains a credential`);
    }
    for (const o of outputs) for (const s of secrets()) expect(o).not.toContain(s);
  });
});
