// Writes the two Terraform workspaces the bench compares: the directory as `scim_user`/`scim_group` resources,
// and the same graph as built-in `terraform_data` resources (Terraform's own floor). Both have the shape a
// CDKTF synth emits: one resource block per user and per group, groups naming their members by static
// references (`scim_user.u00042.id`); they differ only in the provider doing the work, and both keep state in
// the same backend.
//
// Why not one `for_each` over a JSON file: Terraform 1.11 plans and applies a for_each resource of N
// instances superlinearly. Measured on 2 cores with terraform_data, 1,000 users + 20 groups: no-op plan
// 5.3 s with for_each and member lookups `terraform_data.u[k]` (every group evaluates the whole
// resource), 4.4 s with for_each and no groups at all, 1.5 s as separate blocks; the apply 10.2 s vs 3.0 s.
// Separate blocks: 3.4 s for 2,000 users, 10.6 s for 5,000.
//
// The terraform_data values are either the attributes the configuration sets (the floor of `noop_plan_ratio`)
// or, for the schema-sized floor, every attribute scim_user/scim_group keeps in state (withStateAttributes).
// They go into `triggers_replace`, which Terraform stores once; `input` would be stored twice (input and its
// copy `output`), doubling the floor's state and making the provider look cheaper than it is.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BenchDirectory } from './fixture-data';

export type WorkspaceKind = 'scim' | 'terraform_data';

function scimConfig(dir: BenchDirectory, endpoint: string, backend: { address: string }): Record<string, unknown> {
  const users: Record<string, unknown> = {};
  for (const u of dir.users) {
    users[u.key] = {
      user_name: u.userName,
      external_id: u.externalId,
      display_name: u.displayName,
      name: { given_name: u.givenName, family_name: u.familyName },
      emails: [{ value: u.email, type: 'work', primary: true }],
      department: u.department,
    };
  }
  const groups: Record<string, unknown> = {};
  for (const g of dir.groups) {
    groups[g.key] = { display_name: g.displayName, external_id: g.externalId, members: g.members.map((k) => `\${scim_user.${k}.id}`) };
  }
  return {
    terraform: { required_providers: { scim: { source: 'scimform/scim' } }, backend: { http: backend } },
    // The token comes from SCIM_TOKEN in the environment, never from a file.
    provider: { scim: { endpoint, profile: 'generic' } },
    resource: { scim_user: users, ...(dir.groups.length ? { scim_group: groups } : {}) },
  };
}

function terraformDataConfig(dir: BenchDirectory, backend: { address: string }): Record<string, unknown> {
  const blocks: Record<string, unknown> = {};
  for (const u of dir.users) {
    blocks[u.key] = {
      triggers_replace: u.stateAttributes ?? { user_name: u.userName, external_id: u.externalId, display_name: u.displayName, given_name: u.givenName, family_name: u.familyName, email: u.email, department: u.department },
    };
  }
  for (const g of dir.groups) {
    const base = g.stateAttributes ?? { display_name: g.displayName, external_id: g.externalId };
    blocks[g.key] = { triggers_replace: { ...base, members: g.members.map((k) => `\${terraform_data.${k}.id}`) } };
  }
  return { terraform: { backend: { http: backend } }, resource: { terraform_data: blocks } };
}

/** Both kinds keep state in the bench's in-memory HTTP backend (see state-backend.ts for why). */
export function writeWorkspace(dir: string, kind: WorkspaceKind, directory: BenchDirectory, backend: { address: string }, endpoint?: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const config = kind === 'scim' ? scimConfig(directory, endpoint!, backend) : terraformDataConfig(directory, backend);
  fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify(config));
  return dir;
}
