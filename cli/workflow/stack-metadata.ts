// Reads what synth recorded about each stack (cdk.tf.json `//.scimform`: app title, profile, endpoint,
// credential sources, who is provisioned and who is not) and turns credential sources into TF_VAR_…
// values (and the headers map) for terraform — the only place a secret is read, and it goes to the child's environment only.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readCredential, describeSource, type CredentialSource } from '../../lib/credentials';
import { HEADERS_VARIABLE, headersVariableValue } from '../../lib/credential-variables';
import { cliError } from '../cli-errors';

export interface StackMetadata {
  app: string;
  title: string;
  profile: string;
  endpoint: string;
  sandbox: boolean;
  onDestroy: string;
  scope: string;
  credentials: Record<string, CredentialSource>;
  /** Provider `headers`: header name → source of its value (filled into TF_VAR_scim_headers). */
  headers?: Record<string, CredentialSource>;
  /** How the stack declares accounts: `roster` (scim_roster slices) or `users` (one scim_user each); absent in older stacks. */
  accounts?: 'roster' | 'users';
  /** By resource address; a roster entry's is `scim_roster.accounts_NN.entries["<personKey>"]`. */
  users: Record<string, { person: string; userName: string; roles: string[]; via: string[]; declared?: string }>;
  /** `declared`: where the person/team is declared (`org/people.yaml:14`; absent in older stacks). */
  groups: Record<string, { team: string; members: string[]; declared?: string }>;
  /** Assigned but not provisioned, and why (name and email for reports; absent in older stacks). */
  excluded: { person: string; reason: string; detail: string; name?: string; email?: string }[];
}

export interface SynthesizedStack {
  name: string;
  /** Absolute Terraform working directory (cdktf.out/stacks/<name>). */
  dir: string;
  meta?: StackMetadata;
}

export function readStackMetadata(dir: string): StackMetadata | undefined {
  const file = path.join(dir, 'cdk.tf.json');
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { '//'?: { scimform?: StackMetadata } };
  return json['//']?.scimform;
}

/** TF_VAR_* for the stack's credential variables; throws naming the missing source (never a value). */
export function credentialEnv(stack: SynthesizedStack, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [variable, source] of Object.entries(stack.meta?.credentials ?? {})) {
    const tfVar = `TF_VAR_${variable}`;
    const value = readCredential(source, env) ?? env[tfVar];
    if (value === undefined || value === '') {
      throw cliError(
        'SCIMFORM_MISSING_CREDENTIAL',
        `${stack.meta?.title ?? stack.name}: no value for ${variable}: ${describeSource(source)} is not set (nor ${tfVar}).`,
      );
    }
    out[tfVar] = value;
  }
  const headers = stack.meta?.headers;
  if (headers && Object.keys(headers).length) {
    const tfVar = `TF_VAR_${HEADERS_VARIABLE}`;
    const values: Record<string, string> = {};
    for (const [name, source] of Object.entries(headers)) {
      const value = readCredential(source, env);
      if (value === undefined) {
        if (env[tfVar]) return { ...out, [tfVar]: env[tfVar]! };
        throw cliError(
          'SCIMFORM_MISSING_CREDENTIAL',
          `${stack.meta?.title ?? stack.name}: no value for header "${name}": ${describeSource(source)} is not set (nor ${tfVar}).`,
        );
      }
      values[name] = value;
    }
    out[tfVar] = headersVariableValue(values);
  }
  return out;
}
