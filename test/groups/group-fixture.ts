// Shared fixture of the group integration tests: HCL for a sandbox tenant's provider block, terraform
// working directories (the real binary, via test/support/terraform), readers over the sandbox request log, and
// the state Terraform wrote (read from terraform.tfstate: `terraform show -json` would start the provider).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { output, TerraformWorkdir, type TfResult } from '../support/terraform';
import type { TestSandbox } from '../support/sandbox';
import type { RequestLogEntry, TenantName } from '../../sandbox';

export type { TfResult };
export { output };

const HEADER = `terraform {
  required_providers {
    scim = { source = "scimform/scim" }
  }
}
`;

/** The provider block for `tenant` with its sandbox credentials inline (or `token` overridden). */
export function providerBlock(sb: TestSandbox, tenant: TenantName, opts: { token?: string; endpoint?: string; extra?: string } = {}): string {
  const c = sb.credentials;
  const auth =
    tenant === 'proxy' && opts.token === undefined
      ? `  username = "${c.proxy.username}"\n  password = "${c.proxy.password}"\n`
      : `  token    = "${opts.token ?? (c[tenant] as { token: string }).token}"\n`;
  return `provider "scim" {
  endpoint = "${opts.endpoint ?? c[tenant].baseUrl}"
  profile  = "${tenant}"
${auth}${opts.extra ?? ''}}
`;
}

/** A complete configuration: terraform header, provider block and `body`. */
export const config = (provider: string, body: string): string => `${HEADER}\n${provider}\n${body}\n`;

/** A fresh, initialised working directory holding `hcl`. */
export async function initialised(hcl: string): Promise<TerraformWorkdir> {
  const wd = await TerraformWorkdir.create(hcl);
  await wd.init();
  return wd;
}

/** Requests of `method` whose path (query ignored) starts with `prefix`. */
export function requests(log: RequestLogEntry[], method: string, prefix: string): RequestLogEntry[] {
  return log.filter((e) => e.method === method && e.path.split('?')[0].startsWith(prefix));
}

/** Writes: every POST, PUT, PATCH and DELETE in the log. */
export const writes = (log: RequestLogEntry[]) => log.filter((e) => e.method !== 'GET');

/** Member ids of a group as the sandbox holds it. */
export async function memberIds(sb: TestSandbox, tenant: TenantName, groupId: string): Promise<string[]> {
  const g = await sb.admin.getGroup(tenant, groupId);
  return ((g?.members ?? []) as { value: string }[]).map((m) => m.value).sort();
}

/** Creates users out of band (8 requests at a time) and returns their ids, in the order of `userNames`. */
export async function seedUsers(sb: TestSandbox, tenant: TenantName, userNames: string[]): Promise<string[]> {
  const ids: string[] = new Array(userNames.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(8, userNames.length) }, async () => {
      while (next < userNames.length) {
        const i = next++;
        const userName = userNames[i]!;
        ids[i] = (await sb.admin.createUser(tenant, { userName, emails: [{ value: userName, primary: true }] })).id;
      }
    }),
  );
  return ids;
}

/** The planned resource changes other than no-ops, from `terraform show -json <plan>`. */
export function changes(planJson: any): { address: string; actions: string[]; before: any; after: any }[] {
  return (planJson.resource_changes ?? [])
    .filter((c: any) => !(c.change.actions.length === 1 && c.change.actions[0] === 'no-op') && c.mode === 'managed')
    .map((c: any) => ({ address: c.address, actions: c.change.actions, before: c.change.before, after: c.change.after }));
}

/**
 * The state Terraform wrote in `wd` (local backend, terraform.tfstate), in the shape `terraform show -json`
 * gives it (values.root_module.resources[].address/values) so stateOf reads both; root-module resources
 * without count/for_each, which is all these suites declare.
 */
export function readState(wd: TerraformWorkdir): any {
  const file = path.join(wd.dir, 'terraform.tfstate');
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as { resources?: { mode: string; type: string; name: string; instances: { index_key?: unknown; attributes: any }[] }[] };
  const resources = (raw.resources ?? []).flatMap((r) => {
    if (r.instances.some((i) => i.index_key !== undefined)) throw new Error(`readState: ${r.type}.${r.name} in ${file} uses count/for_each; use wd.state()`);
    const address = `${r.mode === 'data' ? 'data.' : ''}${r.type}.${r.name}`;
    return r.instances.map((i) => ({ address, mode: r.mode, type: r.type, name: r.name, values: i.attributes }));
  });
  return { values: { root_module: { resources } } };
}

/** The values of `address` in `terraform show -json` state. */
export function stateOf(state: any, address: string): Record<string, any> {
  const r = (state?.values?.root_module?.resources ?? []).find((x: any) => x.address === address);
  if (!r) throw new Error(`${address} is not in the state`);
  return r.values;
}
