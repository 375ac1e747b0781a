// App credentials, named by where they live — an environment variable or a key in a JSON file — never by
// value. Synth turns them into sensitive Terraform variables; the scimform command fills those variables
// (TF_VAR_…) from the named source for each stack, so no secret is ever written into synthesized files.
import * as fs from 'node:fs';

export type CredentialSource = { readonly env: string } | { readonly file: string; readonly key: string };

export type AppCredentials =
  | { readonly token: CredentialSource }
  | { readonly username: CredentialSource; readonly password: CredentialSource };

export const Credential = {
  /** Read from an environment variable when the scimform command runs terraform. */
  env: (name: string): CredentialSource => ({ env: name }),
  /** Read from a JSON file at a dotted key (e.g. the sandbox's `credentials.json`, key `proxyclick.token`). */
  jsonFile: (file: string, key: string): CredentialSource => ({ file, key }),
};

/** The sensitive Terraform variable holding each credential part. */
export const CREDENTIAL_VARIABLES = { token: 'scim_token', username: 'scim_username', password: 'scim_password' } as const;
export type CredentialPart = keyof typeof CREDENTIAL_VARIABLES;

export function credentialParts(c: AppCredentials): [CredentialPart, CredentialSource][] {
  return 'token' in c ? [['token', c.token]] : [['username', c.username], ['password', c.password]];
}

export function describeSource(s: CredentialSource): string {
  return 'env' in s ? `environment variable ${s.env}` : `key "${s.key}" of ${s.file}`;
}

/** Reads a credential from its source; undefined when absent. Never logs the value. */
export function readCredential(s: CredentialSource, env: Record<string, string | undefined> = process.env): string | undefined {
  if ('env' in s) {
    const v = env[s.env];
    return v && v !== '' ? v : undefined;
  }
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(s.file, 'utf8'));
  } catch {
    return undefined;
  }
  const v = s.key.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), data);
  return typeof v === 'string' && v !== '' ? v : undefined;
}
