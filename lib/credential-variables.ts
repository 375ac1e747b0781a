// The Terraform input variables that carry an app's secrets to the provider: the credential parts (token,
// or username and password) and the extra HTTP `headers`, each declared sensitive AND ephemeral (Terraform
// ≥ 1.10), so their values live only in the process environment (TF_VAR_…) and never in a synthesized
// file, a saved plan or the state. Synth records where each value comes from (never the value) for the
// scimform command, which fills the variables at plan and again at apply time. Also what keeps an app from
// authenticating (credentialProblems), checked at synth.
// Types only at load: the scimform command reads HEADERS_VARIABLE and headersVariableValue on every run
// (cli/workflow/stack-metadata.ts) and must not load cdktf unless it synthesizes; see ephemeralVariable.
import type { TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import { messages } from './errors';
import { TERRAFORM_FLOOR } from './terraform-version';
import { escapeTemplateSequences } from './template-escape';
import { CREDENTIAL_VARIABLES, credentialParts, describeSource, readCredential, type AppCredentials, type CredentialSource } from './credentials';

/** `terraform.required_version` of every stack: older Terraform stops with its "Unsupported Terraform Core version" error. */
export const TERRAFORM_REQUIRED_VERSION = `>= ${TERRAFORM_FLOOR}`;

/** The sensitive, ephemeral map variable holding the provider's `headers`. */
export const HEADERS_VARIABLE = 'scim_headers';

/** Extra HTTP headers: name → where its value comes from (values are never written into the stack). */
export type HeaderSources = Readonly<Record<string, CredentialSource>>;

export interface CredentialVariables {
  readonly token?: string;
  readonly username?: string;
  readonly password?: string;
  readonly headers?: { [key: string]: string };
  /** Variable name → source of its value (recorded for the scimform command). */
  readonly sources: Record<string, CredentialSource>;
  /** Header name → source, when `headers` are configured (filled into TF_VAR_scim_headers as one map). */
  readonly headerSources?: Record<string, CredentialSource>;
}

const isSource = (v: unknown): v is CredentialSource =>
  !!v && typeof v === 'object' && (typeof (v as { env?: unknown }).env === 'string' || typeof (v as { file?: unknown }).file === 'string');

/**
 * Problems with `headers` given to an app: a value written literally (it would land in cdk.tf.json and the
 * plan) or a source that is not set. Plain function, tested without Terraform.
 */
export function headerProblems(app: string, headers: Readonly<Record<string, unknown>> | undefined, env: Record<string, string | undefined> = process.env): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!isSource(value)) {
      out.push(
        `SCIMFORM_LITERAL_HEADER: ${app}: provider.headers["${name}"] is written literally; header values may be secrets and are ` +
          `never written into synthesized files or plans. Name where it comes from instead: Credential.env('…') or Credential.jsonFile(file, key).`,
      );
    } else if (readCredential(value, env) === undefined && !env[`TF_VAR_${HEADERS_VARIABLE}`]) {
      out.push(`SCIMFORM_MISSING_CREDENTIAL: ${app}: no value for header "${name}": ${describeSource(value)} is not set.`);
    }
  }
  return out;
}

function ephemeralVariable(scope: Construct, name: string, type: string, description: string): TerraformVariable {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const v = new (require('cdktf') as typeof import('cdktf')).TerraformVariable(scope, name, { type, sensitive: true, description });
  // CDKTF 0.21 has no `ephemeral` option yet; Terraform ≥ 1.10 reads it from the variable block.
  v.addOverride('ephemeral', true);
  return v;
}

/** Declares the app's secret variables in `stack` and returns the provider arguments that reference them. */
export function declareCredentialVariables(
  stack: Construct,
  title: string,
  credentials: AppCredentials | undefined,
  headers: Readonly<Record<string, unknown>> | undefined,
): CredentialVariables {
  const refs: { token?: string; username?: string; password?: string } = {};
  const sources: Record<string, CredentialSource> = {};
  for (const [part, source] of credentials ? credentialParts(credentials) : []) {
    const name = CREDENTIAL_VARIABLES[part];
    refs[part] = ephemeralVariable(stack, name, 'string', `${title} ${part}; the scimform command sets TF_VAR_${name} from ${describeSource(source)}`).stringValue;
    sources[name] = source;
  }
  const entries = Object.entries(headers ?? {}).filter((e): e is [string, CredentialSource] => isSource(e[1]));
  if (entries.length === 0) return { ...refs, sources };
  const headerSources = Object.fromEntries(entries);
  const described = entries.map(([n, s]) => `${n} from ${describeSource(s)}`).join(', ');
  const v = ephemeralVariable(stack, HEADERS_VARIABLE, 'map(string)', `${title} extra HTTP headers; the scimform command sets TF_VAR_${HEADERS_VARIABLE} (${described})`);
  return { ...refs, headers: v.value as { [key: string]: string }, sources, headerSources };
}

/** HCL text of a map(string) for TF_VAR_scim_headers (a JSON object, with template sequences escaped). */
export function headersVariableValue(values: Record<string, string>): string {
  return escapeTemplateSequences(JSON.stringify(values));
}

/**
 * What keeps an app from authenticating, each as a message naming the fix: credentials of the wrong kind for
 * the profile, or (outside the sandbox) none at all or a part whose source is empty at synth.
 */
export function credentialProblems(app: {
  readonly title: string;
  readonly endpoint: string;
  readonly sandbox: boolean;
  readonly profile: { readonly name: string; readonly auth: 'bearer' | 'basic' };
  readonly credentials?: AppCredentials;
}): string[] {
  const profileAuth = app.profile.auth;
  if (app.credentials) {
    const given = 'token' in app.credentials ? 'bearer' : 'basic';
    if (given !== profileAuth) return [messages.wrongAuth(app.title, app.profile.name, profileAuth)];
  }
  if (app.sandbox) return [];
  if (!app.credentials) {
    const hint =
      profileAuth === 'basic'
        ? "Add credentials: { username: Credential.env('…_USERNAME'), password: Credential.env('…_PASSWORD') } and export those variables."
        : "Add credentials: { token: Credential.env('…_TOKEN') } and export that variable.";
    return [messages.missingCredential(app.title, app.endpoint, profileAuth === 'basic' ? 'username and password' : 'token', hint)];
  }
  const out: string[] = [];
  for (const [part, source] of credentialParts(app.credentials)) {
    const tfVar = `TF_VAR_${CREDENTIAL_VARIABLES[part]}`;
    if (readCredential(source) === undefined && !process.env[tfVar]) {
      out.push(
        messages.missingCredential(
          app.title,
          app.endpoint,
          part,
          'env' in source
            ? `Set the environment variable ${source.env} (or ${tfVar}) before synth.`
            : `Put it at key "${source.key}" of ${source.file}.`,
        ),
      );
    }
  }
  return out;
}
