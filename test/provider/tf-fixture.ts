// Shared fixture of the scim_user integration tests: a sandbox, HCL builders for each tenant's provider
// block, and a Terraform working directory (the layer-1 harness) with the commands these tests use.
import { output, TerraformWorkdir, type TfResult } from '../support/terraform';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import type { RequestLogEntry, TenantName } from '../../sandbox';

export type { TestSandbox, TfResult };
export { output, startTestSandbox };

const HEADER = `terraform {
  required_providers {
    scim = { source = "scimform/scim" }
  }
}
`;

/** A complete configuration: the provider block for `tenant` (credentials inline) plus `body`. */
export function hcl(sb: TestSandbox, tenant: Exclude<TenantName, never>, body: string, providerExtra = ''): string {
  const c = sb.credentials;
  const auth =
    tenant === 'proxy'
      ? `  username = "${c.proxy.username}"\n  password = "${c.proxy.password}"\n`
      : `  token    = "${c[tenant].token}"\n`;
  return `${HEADER}
provider "scim" {
  endpoint = "${c[tenant].baseUrl}"
  profile  = "${tenant}"
${auth}${providerExtra}}

${body}
`;
}

/** The same, with the provider block written by the caller. */
export const hclWithProvider = (providerBlock: string, body: string): string => `${HEADER}\n${providerBlock}\n\n${body}\n`;

export interface Workdir {
  dir: string;
  run(args: string[], env?: Record<string, string>): Promise<TfResult>;
  init(): Promise<TfResult>;
  plan(...args: string[]): Promise<TfResult>;
  apply(...args: string[]): Promise<TfResult>;
  destroy(...args: string[]): Promise<TfResult>;
  setHcl(text: string): void;
  cleanup(): Promise<void>;
}

export async function workdir(text: string, env: Record<string, string> = {}): Promise<Workdir> {
  const wd = await TerraformWorkdir.create(text, env);
  return {
    dir: wd.dir,
    run: (args, extraEnv) => wd.run(args, extraEnv),
    init: () => wd.init(),
    plan: (...args) => wd.plan(args),
    apply: (...args) => wd.apply(args),
    destroy: (...args) => wd.destroy(args),
    setHcl: (t) => wd.setHcl(t),
    cleanup: async () => {
      await wd.cleanup();
    },
  };
}

/** Requests of one method whose path starts with `prefix` (query ignored). */
export function requests(log: RequestLogEntry[], method: string, prefix = '/Users'): RequestLogEntry[] {
  return log.filter((e) => e.method === method && e.path.split('?')[0].startsWith(prefix));
}

/** The account of the tenant whose userName is `name` (lower case), as the sandbox holds it. */
export async function accountNamed(sb: TestSandbox, tenant: TenantName, name: string) {
  return (await sb.admin.listUsers(tenant)).find((u) => u.userName.toLowerCase() === name);
}

/** The value of `attr` for `address` in `terraform state show` style JSON from `terraform show -json`. */
export function stateValues(showJson: string, address: string): Record<string, unknown> {
  const doc = JSON.parse(showJson) as { values?: { root_module?: { resources?: { address: string; values: Record<string, unknown> }[] } } };
  const r = doc.values?.root_module?.resources?.find((x) => x.address === address);
  if (!r) throw new Error(`${address} is not in the state`);
  return r.values;
}
