// The version of the `scimform/scim` provider these constructs are built for: the `version` of this
// package, which is also the version `npm run build:provider` installs into the filesystem mirror. Every
// stack pins it in `required_providers`, so Terraform picks exactly that build and the cdktf CLI (`cdktf
// diff`/`deploy`, which require a version for each required provider) accepts the stacks.
import * as fs from 'node:fs';
import * as path from 'node:path';

function packageVersion(): string {
  const file = path.join(__dirname, '..', 'package.json');
  try {
    const version = (JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: unknown }).version;
    if (typeof version === 'string' && version.trim() !== '') return version.trim();
  } catch {
    /* reported below */
  }
  throw new Error(`SCIMFORM_NO_PROVIDER_VERSION: cannot read "version" from ${file}; it names the scimform/scim provider build to use.`);
}

/** Exact provider version constraint written to `terraform.required_providers.scim.version`. */
export const SCIM_PROVIDER_VERSION: string = packageVersion();
