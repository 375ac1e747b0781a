// Writes the two Terraform workspaces the bench compares: the directory as `scim_user`/`scim_group` resources,
// and the same graph as built-in `terraform_data` resources (Terraform's own floor). Both read one JSON file
// through `for_each`, so they differ only in the provider doing the work; both keep state in the same backend.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BenchDirectory } from './fixture-data';

export type WorkspaceKind = 'scim' | 'terraform_data';

function directoryJson(dir: BenchDirectory): unknown {
  return {
    users: Object.fromEntries(
      dir.users.map((u) => [
        u.key,
        { user_name: u.userName, external_id: u.externalId, display_name: u.displayName, given_name: u.givenName, family_name: u.familyName, email: u.email, department: u.department },
      ]),
    ),
    groups: Object.fromEntries(dir.groups.map((g) => [g.key, { display_name: g.displayName, external_id: g.externalId, members: g.members }])),
  };
}

function scimConfig(endpoint: string, backend: { address: string }): Record<string, unknown> {
  return {
    terraform: { required_providers: { scim: { source: 'scimform/scim' } }, backend: { http: backend } },
    // The token comes from SCIM_TOKEN in the environment, never from a file.
    provider: { scim: { endpoint, profile: 'generic' } },
    locals: { dir: '${jsondecode(file("${path.module}/directory.json"))}' },
    resource: {
      scim_user: {
        u: {
          for_each: '${local.dir.users}',
          user_name: '${each.value.user_name}',
          external_id: '${each.value.external_id}',
          display_name: '${each.value.display_name}',
          name: { given_name: '${each.value.given_name}', family_name: '${each.value.family_name}' },
          emails: [{ value: '${each.value.email}', type: 'work', primary: true }],
          department: '${each.value.department}',
        },
      },
      scim_group: {
        g: {
          for_each: '${local.dir.groups}',
          display_name: '${each.value.display_name}',
          external_id: '${each.value.external_id}',
          members: '${[for k in each.value.members : scim_user.u[k].id]}',
        },
      },
    },
  };
}

function terraformDataConfig(backend: { address: string }): Record<string, unknown> {
  return {
    terraform: { backend: { http: backend } },
    locals: { dir: '${jsondecode(file("${path.module}/directory.json"))}' },
    resource: {
      terraform_data: {
        u: { for_each: '${local.dir.users}', input: '${each.value}' },
        g: {
          for_each: '${local.dir.groups}',
          input: { display_name: '${each.value.display_name}', external_id: '${each.value.external_id}', members: '${[for k in each.value.members : terraform_data.u[k].id]}' },
        },
      },
    },
  };
}

/** Both kinds keep state in the bench's in-memory HTTP backend (see state-backend.ts for why). */
export function writeWorkspace(dir: string, kind: WorkspaceKind, directory: BenchDirectory, backend: { address: string }, endpoint?: string): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'directory.json'), JSON.stringify(directoryJson(directory)));
  const config = kind === 'scim' ? scimConfig(endpoint!, backend) : terraformDataConfig(backend);
  fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify(config, null, 1));
  return dir;
}
