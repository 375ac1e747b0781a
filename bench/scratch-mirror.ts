// A scratch filesystem mirror that holds one given provider executable as scimform/scim, and the Terraform
// environment that installs from it: for bench scripts that time terraform against a particular provider
// build (bench/terraform-startup.ts, bench/terraform-cpu.ts) without touching the repository's own mirror.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cliConfigText, packageVersion, terraformPlatform } from '../scripts/install-provider';

/** Writes `<dir>/mirror` with the executable `contents` as the provider and `<dir>/terraformrc` naming it;
 * returns the environment variables a terraform run needs to use it (non-interactive, no checkpoint). */
export function scratchMirror(dir: string, contents: string | Buffer): NodeJS.ProcessEnv {
  const version = packageVersion();
  const pkg = path.join(dir, 'mirror/registry.terraform.io/scimform/scim', version, terraformPlatform());
  fs.mkdirSync(pkg, { recursive: true });
  fs.writeFileSync(path.join(pkg, `terraform-provider-scim_v${version}`), contents, { mode: 0o755 });
  fs.writeFileSync(path.join(dir, 'terraformrc'), cliConfigText(path.join(dir, 'mirror'), 'scimform'));
  return { TF_CLI_CONFIG_FILE: path.join(dir, 'terraformrc'), CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0' };
}
