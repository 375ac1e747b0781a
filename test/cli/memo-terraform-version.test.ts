// The synth preload cli/workflow/memo-terraform-version.js: cdktf's `terraform version` check runs once per
// synth process instead of once per construct, and still refuses a Terraform that is too old.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TERRAFORM_VERSION_MEMO } from '../../cli/workflow/plan-inputs';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-tf-version-memo-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A fake terraform that prints `version` and counts its runs in `<dir>/<name>.count`. */
function fakeTerraform(name: string, version: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `#!/bin/sh\necho x >> "${file}.count"\necho "Terraform v${version}"\n`, { mode: 0o755 });
  return file;
}
const runs = (bin: string) => (fs.existsSync(`${bin}.count`) ? fs.readFileSync(`${bin}.count`, 'utf8').split('\n').filter(Boolean).length : 0);

const node = (script: string, bin: string) =>
  spawnSync(process.execPath, ['-e', script], {
    cwd: path.resolve(__dirname, '..', '..'),
    env: { ...process.env, NODE_OPTIONS: `--require ${JSON.stringify(TERRAFORM_VERSION_MEMO)}`, TERRAFORM_BINARY_NAME: bin },
    encoding: 'utf8',
  });

test('the same `terraform version` command runs once per process; every caller gets its answer; other commands run each time', () => {
  const bin = fakeTerraform('tf-a', '1.11.4');
  const r = node(
    `const { execSync } = require('child_process');
     const outs = [1, 2, 3].map(() => execSync(${JSON.stringify(`${bin} version`)}, { stdio: 'pipe' }).toString());
     outs.push(execSync(${JSON.stringify(`${bin} version`)}, { encoding: 'utf8' }));
     execSync(${JSON.stringify(`${bin} other`)}); execSync(${JSON.stringify(`${bin} other`)});
     process.stdout.write(JSON.stringify(outs));`,
    bin,
  );
  expect(r.stderr).toBe('');
  expect(JSON.parse(r.stdout)).toEqual(Array(4).fill('Terraform v1.11.4\n'));
  // one run per distinct call shape (Buffer, utf8) of `version`, two of `other`
  expect(runs(bin)).toBe(4);
});

test('cdktf still refuses a Terraform too old for an import block, with the memo preloaded', () => {
  const bin = fakeTerraform('tf-old', '1.4.0');
  const r = node(
    `const { App, TerraformStack, TerraformResource } = require('cdktf');
     const app = new App({ outdir: ${JSON.stringify(path.join(dir, 'out'))} });
     const stack = new TerraformStack(app, 's');
     for (const id of ['a', 'b', 'c']) new TerraformResource(stack, id, { terraformResourceType: 'scim_user' }).importFrom('x-' + id);
     try { app.synth(); process.stdout.write('synthesized'); } catch (e) { process.stdout.write(String(e.message)); }`,
    bin,
  );
  expect(r.stdout).toContain('[s/c] ' + bin + ' version 1.4.0 is lower than the required version >=1.5');
  expect(runs(bin)).toBe(1);
});
