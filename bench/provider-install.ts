// Locates the installed scimform/scim provider: the Terraform CLI config (.scimform/terraformrc) that points
// at the filesystem mirror, and the provider executable Terraform actually launches.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { providerNotInstalled } from './errors';

export interface ProviderInstall {
  cliConfigFile: string;
  mirrorDir: string;
}

export function findProviderInstall(repoRoot: string): ProviderInstall {
  const cliConfigFile = path.join(repoRoot, '.scimform', 'terraformrc');
  const mirrorDir = path.join(repoRoot, '.scimform', 'mirror');
  if (!fs.existsSync(cliConfigFile)) throw providerNotInstalled(`${cliConfigFile} is missing`);
  if (!fs.existsSync(mirrorDir)) throw providerNotInstalled(`${mirrorDir} is missing`);
  return { cliConfigFile, mirrorDir };
}

function findExecutables(dir: string, found: string[] = []): string[] {
  if (!fs.existsSync(dir)) return found;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) findExecutables(full, found);
    else if (entry.name.startsWith('terraform-provider-scim') && !entry.name.endsWith('.zip')) {
      try {
        fs.accessSync(full, fs.constants.X_OK);
        found.push(full);
      } catch {
        // not executable: skip
      }
    }
  }
  return found;
}

/** The provider executable `terraform init` installed into a workspace (falls back to the mirror). */
export function findProviderBinary(workspaceDir: string, install: ProviderInstall): string {
  const candidates = [
    ...findExecutables(path.join(workspaceDir, '.terraform', 'providers', 'registry.terraform.io', 'scimform', 'scim')),
    ...findExecutables(install.mirrorDir),
  ];
  if (candidates.length === 0) throw providerNotInstalled(`no executable terraform-provider-scim* under ${install.mirrorDir} or ${workspaceDir}/.terraform`);
  return candidates[0]!;
}
