// Offline installation: the bundle is one executable with a shebang, laid into a filesystem mirror
// with a CLI config; lock files pinning an older build of the same version are refreshed; a missing
// terraform binary is one clear message.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  cliConfigText,
  findTerraform,
  installProvider,
  packageHashV1,
  refreshLockFiles,
  TerraformNotFoundError,
  type ProviderAddress,
} from '../../scripts/install-provider';
import { NODE_FLAGS } from '../../scripts/build-provider';
import { TerraformWorkdir } from '../support/terraform';

const testkit: ProviderAddress = { hostname: 'registry.terraform.io', namespace: 'scimform', type: 'testkit' };
let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-install-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const lockFile = (hashes: string[], version = '0.0.1', extra = '') => `# This file is maintained automatically by "terraform init".
# Manual edits may be lost in future updates.

provider "registry.terraform.io/scimform/testkit" {
  version = "${version}"
  hashes = [
${hashes.map((h) => `    "${h}",`).join('\n')}
  ]
}
${extra}`;

test('installs one executable bundle into the mirror layout with a CLI config, and knows when it is current', async () => {
  const options = {
    entry: path.join(__dirname, 'fixtures/testkit-main.ts'),
    address: testkit,
    version: '0.0.1',
    mirrorDir: path.join(dir, 'mirror'),
    cliConfigFile: path.join(dir, 'terraformrc'),
    recordFile: path.join(dir, 'record.json'),
    lockSearchRoots: [],
  };
  const first = await installProvider(options);
  expect(first.executable).toBe(
    path.join(dir, 'mirror/registry.terraform.io/scimform/testkit/0.0.1', first.platform, 'terraform-provider-testkit_v0.0.1'),
  );
  expect(fs.readdirSync(path.dirname(first.executable))).toEqual(['terraform-provider-testkit_v0.0.1']);
  expect(fs.statSync(first.executable).mode & 0o777).toBe(0o755);
  const [sh, launch] = fs.readFileSync(first.executable, 'utf8').split('\n');
  expect(sh).toBe('#!/bin/sh');
  expect(launch!.endsWith(`; exec node ${NODE_FLAGS.join(' ')} "$0" "$@"`)).toBe(true);
  expect(first.h1).toBe(packageHashV1(path.dirname(first.executable)));
  expect(fs.readFileSync(options.cliConfigFile, 'utf8')).toBe(cliConfigText(options.mirrorDir, 'scimform'));
  const again = await installProvider({ ...options, skipIfCurrent: true });
  expect(again.rebuilt).toBe(false);
  expect(again.h1).toBe(first.h1);
});

test('the CLI config takes scimform providers from the mirror only, with absolute paths', () => {
  const text = cliConfigText('/abs/.scimform/mirror', 'scimform');
  expect(text).toContain('path    = "/abs/.scimform/mirror"');
  expect(text).toContain('include = ["registry.terraform.io/scimform/*"]');
  expect(text).toMatch(/direct \{\n\s+exclude = \["registry\.terraform\.io\/scimform\/\*"\]/);
});

test('lock files that pinned another build of the same version are refreshed; others are left alone', () => {
  const stale = path.join(dir, 'stale/.terraform.lock.hcl');
  const current = path.join(dir, 'current/.terraform.lock.hcl');
  const otherVersion = path.join(dir, 'other/.terraform.lock.hcl');
  const nested = path.join(dir, 'cdktf.out/stacks/app/.terraform.lock.hcl');
  const other = 'provider "registry.terraform.io/hashicorp/null" {\n  version = "3.0.0"\n  hashes = [\n    "h1:keep",\n  ]\n}\n';
  for (const f of [stale, current, otherVersion, nested]) fs.mkdirSync(path.dirname(f), { recursive: true });
  fs.writeFileSync(stale, lockFile(['h1:old'], '0.0.1', other));
  fs.writeFileSync(current, lockFile(['h1:new']));
  fs.writeFileSync(otherVersion, lockFile(['h1:old'], '0.0.0'));
  fs.writeFileSync(nested, lockFile(['h1:old', 'h1:older']));
  const changed = refreshLockFiles([dir], testkit, '0.0.1', 'h1:new');
  expect(changed.sort()).toEqual([nested, stale].sort());
  expect(fs.readFileSync(stale, 'utf8')).toBe(lockFile(['h1:new'], '0.0.1', other));
  expect(fs.readFileSync(nested, 'utf8')).toBe(lockFile(['h1:new']));
  expect(fs.readFileSync(otherVersion, 'utf8')).toBe(lockFile(['h1:old'], '0.0.0'));
});

test('a missing terraform binary is one clear error', async () => {
  expect(() => findTerraform({ PATH: dir })).toThrow(TerraformNotFoundError);
  expect(() => findTerraform({ PATH: dir })).toThrow(/Terraform was not found \(looked for "terraform" on PATH\)\. Install Terraform 1\.10 or newer/);
  expect(() => findTerraform({ TERRAFORM_BINARY: path.join(dir, 'nope') })).toThrow(/looked for ".*nope"/);
  const saved = process.env.PATH;
  process.env.PATH = dir;
  try {
    await expect(TerraformWorkdir.create('', {}, { cliConfigFile: path.join(dir, 'x') })).rejects.toThrow(TerraformNotFoundError);
  } finally {
    process.env.PATH = saved;
  }
});

test('the repo install: terraform init works offline for scimform/scim with .scimform/terraformrc', async () => {
  const wd = await TerraformWorkdir.create(`
terraform {
  required_providers {
    scim = { source = "scimform/scim" }
  }
}
`);
  try {
    expect(wd.env.TF_CLI_CONFIG_FILE).toBe(path.resolve(__dirname, '../../.scimform/terraformrc'));
    const init = await wd.init();
    expect(init.stdout).toMatch(/Installed scimform\/scim v\d+\.\d+\.\d+/);
    const schema = await wd.run(['providers', 'schema', '-json']);
    expect(schema.code).toBe(0);
    const scim = JSON.parse(schema.stdout).provider_schemas['registry.terraform.io/scimform/scim'];
    expect(Object.keys(scim.resource_schemas)).toContain('scim_user');
    const undocumented: string[] = [];
    const walk = (where: string, attrs: Record<string, any>) => {
      for (const [name, a] of Object.entries(attrs)) {
        if (!a.description) undocumented.push(`${where}.${name}`);
        if (a.nested_type) walk(`${where}.${name}`, a.nested_type.attributes);
      }
    };
    walk('provider', scim.provider.block.attributes);
    for (const [t, s] of Object.entries<any>(scim.resource_schemas)) walk(t, s.block.attributes);
    for (const [t, s] of Object.entries<any>(scim.data_source_schemas ?? {})) walk(`data.${t}`, s.block.attributes);
    expect(undocumented).toEqual([]);
  } finally {
    await wd.cleanup();
  }
});
