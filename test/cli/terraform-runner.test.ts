// One Terraform runner for every command: the same offline variables whether a command insists on the
// provider mirror (start/plan/deploy) or may work from saved plans (report/apply/drift/access).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scimformPaths } from '../../lib/paths';
import { commandTerraformEnv, offlineTerraformEnv, runTerraform, terraformEnv, terraformErrorSummary } from '../../cli/terraform-runner';

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-runner-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const OFFLINE = ['CHECKPOINT_DISABLE', 'TF_IN_AUTOMATION', 'TF_INPUT', 'TF_CLI_CONFIG_FILE'] as const;
const pick = (env: NodeJS.ProcessEnv) => Object.fromEntries(OFFLINE.map((k) => [k, env[k]]));

test("terraform runs with Go's GC target 400 (less of its CPU in garbage collection) unless the caller sets GOGC", () => {
  const { GOGC: _unset, ...base } = process.env;
  expect(offlineTerraformEnv(base, undefined).GOGC).toBe('400');
  expect(offlineTerraformEnv({ ...base, GOGC: '100' }, undefined).GOGC).toBe('100');
  expect(offlineTerraformEnv({ ...base, GOGC: '' }, undefined).GOGC).toBe('400');
});

test('both commands families get the same offline environment, naming the mirror by absolute path', () => {
  const rc = path.join(dir, 'terraformrc');
  fs.writeFileSync(rc, 'disable_checkpoint = true\n');
  const base = { ...process.env, SCIMFORM_TERRAFORMRC: rc };
  const paths = scimformPaths(base);
  const saved = process.env.SCIMFORM_TERRAFORMRC;
  process.env.SCIMFORM_TERRAFORMRC = rc;
  try {
    expect(pick(terraformEnv(paths))).toEqual({ CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0', TF_CLI_CONFIG_FILE: rc });
    expect(pick(commandTerraformEnv(base))).toEqual(pick(terraformEnv(paths)));
  } finally {
    if (saved === undefined) delete process.env.SCIMFORM_TERRAFORMRC;
    else process.env.SCIMFORM_TERRAFORMRC = saved;
  }
});

test('without the mirror, start/plan/deploy stop with the fix; report/apply/drift/access go on without it', () => {
  const base = { ...process.env, SCIMFORM_TERRAFORMRC: path.join(dir, 'missing') };
  expect(() => terraformEnv(scimformPaths(base))).toThrow(/not installed\. Run `npm ci`/);
  const env = commandTerraformEnv({ ...base, TF_CLI_CONFIG_FILE: undefined });
  expect(env.TF_CLI_CONFIG_FILE).toBeUndefined();
  expect(env.CHECKPOINT_DISABLE).toBe('1');
});

test('a failed run is summarised from its Error: diagnostics, without credentials', () => {
  const summary = terraformErrorSummary(
    { code: 1, stdout: '', stderr: '╷\n│ Error: Unauthorized\n│ token s3cr3t-token-value was refused\n╵\n' },
    { TF_VAR_scim_token: 's3cr3t-token-value' },
  );
  expect(summary).toContain('Error: Unauthorized');
  expect(summary).not.toContain('s3cr3t-token-value');
});

test('the terraform the tests run is within the supported range, at the tested version', async () => {
  const { TERRAFORM_FLOOR, TERRAFORM_TESTED } = await import('../../lib/terraform-version');
  const r = await runTerraform(['version', '-json'], { cwd: dir, env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
  const version = (JSON.parse(r.stdout) as { terraform_version: string }).terraform_version;
  const minor = (v: string) => v.split('.').slice(0, 2).map(Number);
  const [major, min] = minor(version);
  const [fMajor, fMinor] = minor(TERRAFORM_FLOOR);
  expect(major > fMajor! || (major === fMajor && min! >= fMinor!)).toBe(true);
  expect(minor(version)).toEqual(minor(TERRAFORM_TESTED));
});
