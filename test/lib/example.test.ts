// The example organisation (main.ts + org/) synthesizes one stack per app and every stack plans
// successfully with the real terraform and provider against a sandbox (cdktf's toPlanSuccessfully).
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Testing } from 'cdktf';
import 'cdktf/lib/testing/adapters/jest';
import { buildExample } from '../../main';
import { scimformPaths, type ScimformPaths } from '../../lib/paths';
import type { ScimApp } from '../../lib';
import { rememberTerraformVersionInSuite } from '../support/terraform-version-memo';

Testing.setupJest();
rememberTerraformVersionInSuite();
jest.setTimeout(300_000);

const root = path.resolve(__dirname, '..', '..');
const TOKEN = 'example-test-token';
let tmp: string;
let paths: ScimformPaths;
let sandbox: ChildProcess | undefined;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-example-'));
  paths = scimformPaths(
    { SCIMFORM_SANDBOX_DIR: path.join(tmp, 'sandbox'), SCIMFORM_STATE_DIR: path.join(tmp, 'state'), SCIMFORM_LOG_DIR: path.join(tmp, 'logs'), SCIMFORM_OUTDIR: path.join(tmp, 'out'), SCIMFORM_TERRAFORMRC: process.env.SCIMFORM_TERRAFORMRC },
    root,
  );
  // toPlanSuccessfully runs terraform synchronously, so the sandbox must live in another process. One
  // token for every bearer tenant lets one TF_VAR_scim_token serve all stacks.
  sandbox = spawn(process.execPath, ['-r', require.resolve('../../scripts/ts-register.js'), 'sandbox/cli.ts', '--port', '0', '--data-dir', paths.sandboxDir, '--quiet'], {
    cwd: root,
    stdio: 'ignore',
    env: {
      ...process.env,
      SCIMFORM_SANDBOX_GENERIC_TOKEN: TOKEN,
      SCIMFORM_SANDBOX_PROXYCLICK_TOKEN: TOKEN,
      SCIMFORM_SANDBOX_PROMAPP_TOKEN: TOKEN,
      SCIMFORM_SANDBOX_PROXY_USERNAME: 'example-app-key',
      SCIMFORM_SANDBOX_PROXY_PASSWORD: 'example-secret',
    },
  });
  const creds = path.join(paths.sandboxDir, 'credentials.json');
  for (let i = 0; i < 300 && !fs.existsSync(creds); i++) await new Promise((r) => setTimeout(r, 100));
  if (!fs.existsSync(creds)) throw new Error(`the sandbox did not start (no ${creds})`);
});

afterAll(() => {
  sandbox?.kill('SIGTERM');
  fs.rmSync(tmp, { recursive: true, force: true });
});

const stacksOf = (app: App) => app.node.children.filter((c): c is ScimApp => 'provisioning' in c);

test('one stack per app, provisioning exactly who the example says', () => {
  const app = buildExample(Testing.app(), paths, {});
  const got = Object.fromEntries(
    stacksOf(app).map((s) => [
      s.node.id,
      {
        users: [...s.provisioning.users.keys()],
        groups: Object.fromEntries([...s.provisioning.groups.values()].map((g) => [g.team.key, g.members.map((m) => m.key)])),
        excluded: s.provisioning.excluded.map((e) => `${e.person.key}:${e.reason}`),
      },
    ]),
  );
  expect(got).toEqual({
    proxyclick: { users: ['ada', 'alan', 'annie', 'dorothy', 'frances', 'grace', 'katherine', 'linus', 'mary'], groups: {}, excluded: ['tim:leaver'] },
    promapp: { users: ['ada', 'alan', 'annie', 'frances', 'grace', 'katherine', 'linus', 'mary'], groups: {}, excluded: ['dorothy:default-access', 'tim:leaver'] },
    proxy: {
      users: ['ada', 'alan', 'annie', 'dorothy', 'frances', 'grace', 'katherine', 'linus', 'mary'],
      groups: { engineering: ['ada', 'alan', 'grace', 'katherine', 'linus'], sales: ['dorothy', 'mary'], operations: ['annie', 'frances'] },
      excluded: ['tim:leaver'],
    },
    wiki: {
      users: ['ada', 'alan', 'annie', 'frances', 'grace', 'katherine', 'mary'],
      groups: { engineering: ['ada', 'alan', 'grace', 'katherine'], operations: ['annie', 'frances'] },
      excluded: ['linus:out-of-scope', 'tim:leaver'],
    },
  });
  for (const s of stacksOf(app)) expect(() => Testing.synth(s, true)).not.toThrow();
});

test('every stack of the example plans successfully with terraform and the scimform/scim provider', () => {
  const app = new App({ outdir: paths.outDir });
  buildExample(app, paths, {});
  app.synth();
  const saved = { ...process.env };
  Object.assign(process.env, {
    TF_CLI_CONFIG_FILE: paths.terraformrc,
    CHECKPOINT_DISABLE: '1',
    TF_IN_AUTOMATION: '1',
    TF_VAR_scim_token: TOKEN,
    TF_VAR_scim_username: 'example-app-key',
    TF_VAR_scim_password: 'example-secret',
  });
  try {
    expect(paths.outDir).toPlanSuccessfully();
  } finally {
    for (const k of ['TF_CLI_CONFIG_FILE', 'CHECKPOINT_DISABLE', 'TF_IN_AUTOMATION', 'TF_VAR_scim_token', 'TF_VAR_scim_username', 'TF_VAR_scim_password']) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
});
