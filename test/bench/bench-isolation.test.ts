// The cause of the flaky bench-profile failure ("the cached package for registry.terraform.io/scimform/scim
// 0.1.0 (in .terraform/providers) does not match any of the checksums recorded in the dependency lock file"):
// `npm run bench -- --profile` plans from its own unminified build of the same version, in a workspace
// under .scimform/bench/, while every test process reinstalled the provider and rewrote the 0.1.0 checksum
// of every lock file under the repo to the main build's. Neither a reinstall nor a test may touch the lock
// file of a workspace it does not own.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findLockFiles, installProvider, refreshLockFiles, SCIM_ADDRESS } from '../../scripts/install-provider';
import { REPO_ROOT } from '../../scripts/build-provider';
import { ensureProviderInstalled } from '../support/terraform';

const version = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const benchLock = `# This file is maintained automatically by "terraform init".

provider "registry.terraform.io/scimform/scim" {
  version = "${version}"
  hashes = [
    "h1:theBenchProfileBuildOfThisVersion=",
  ]
}
`;

let runDir: string;
let lockFile: string;
beforeEach(() => {
  runDir = path.join(REPO_ROOT, '.scimform', 'bench', `run-isolation-${process.pid}`);
  lockFile = path.join(runDir, 'scim', '.terraform.lock.hcl');
  fs.mkdirSync(path.dirname(lockFile), { recursive: true });
  fs.writeFileSync(lockFile, benchLock);
});
afterEach(() => fs.rmSync(runDir, { recursive: true, force: true }));

test('a reinstall of the provider (npm ci, build:provider, the test run) leaves the bench workspaces\' lock files alone', async () => {
  // The same file would be rewritten if it were searched: the check below can fail.
  expect(refreshLockFiles([runDir], SCIM_ADDRESS, version, 'h1:other=')).toEqual([lockFile]);
  fs.writeFileSync(lockFile, benchLock);

  expect(findLockFiles([REPO_ROOT])).not.toContain(lockFile);
  const installed = await installProvider({ skipIfCurrent: true });
  expect(installed.refreshedLockFiles).not.toContain(lockFile);
  expect(fs.readFileSync(lockFile, 'utf8')).toBe(benchLock);
});

test('a test suite only checks the installed provider and rewrites no lock file', async () => {
  const installed = await ensureProviderInstalled();
  expect(installed.refreshedLockFiles).toEqual([]);
  expect(fs.readFileSync(lockFile, 'utf8')).toBe(benchLock);
});
