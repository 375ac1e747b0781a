// Terraform diagnostics told in the user's terms: a provider error names the app and the person or team it
// came from (and the org file line where they are declared) instead of a line of cdk.tf.json, and the
// provider's generic credential variables (SCIM_TOKEN, …) are replaced by the ones the app really reads.
// Pure functions over terraform's text (or `-json`) output and the stack metadata synth recorded.
import { CREDENTIAL_VARIABLES, describeSource, type CredentialPart, type CredentialSource } from '../lib/credentials';
import type { StackMetadata } from './workflow/stack-metadata';
import { entryAddress, parseEntryAddress } from './report/roster-changes';

/** What the mapping needs from a stack: its title and who each resource address stands for. */
export type OriginMetadata = Pick<StackMetadata, 'title' | 'users' | 'groups' | 'credentials'>;

/** One diagnostic of `terraform … -json` (a message of type "diagnostic"). */
export interface JsonDiagnostic {
  severity: 'error' | 'warning';
  summary: string;
  detail?: string;
  address?: string;
}

/** The resource part of an address (`module.x.scim_user.user_ada["k"]` → `scim_user.user_ada`). */
const resourceAddress = (address: string): string => {
  const parts = address.replace(/\[[^\]]*\]/g, '').split('.');
  return parts.slice(-2).join('.');
};

/** A roster entry's address in either form (Terraform's `…entries_json["KEY"]` too) as the CLI's (`…entries["KEY"]`). */
const asEntryAddress = (address: string): string => {
  const entry = parseEntryAddress(address);
  return entry ? entryAddress(entry.roster, entry.key) : address;
};

/** A roster diagnostic names its entry in the summary (`scim_roster entry "KEY" …`): the entry's address. */
const ROSTER_ENTRY = /^\s*[│]?\s*(?:Error|Warning): scim_roster entry "([^"]*)"/;
export const diagnosticAddress = (address: string, summaryLine: string): string => {
  const entry = ROSTER_ENTRY.exec(summaryLine);
  return entry && /\bscim_roster\.[\w-]+$/.test(address) ? entryAddress(address, entry[1]) : asEntryAddress(address);
};

/** `person "ada" (org/people.yaml:14)`, `team "engineering" (org/teams.yaml:3)`, or undefined. */
export function subjectOf(address: string, meta: OriginMetadata | undefined): string | undefined {
  const key = resourceAddress(address);
  // A roster entry's address (`scim_roster.accounts_00.entries["ada"]`) is recorded as it is.
  const user = meta?.users?.[asEntryAddress(address)] ?? meta?.users?.[key];
  if (user) return `person "${user.person}"${user.declared ? ` (${user.declared})` : ''}`;
  const group = meta?.groups?.[key];
  if (group) return `team "${group.team}"${group.declared ? ` (${group.declared})` : ''}`;
  return undefined;
}

/** `Wiki, person "ada" (org/people.yaml:14) — scim_user.user_ada`; the bare address when unknown. */
export function describeAddress(address: string, meta: OriginMetadata | undefined): string {
  const app = meta?.title;
  if (/^provider\[/.test(address)) return `the provider settings of ${app ?? 'this app'} (endpoint, credentials; ScimApp props in main.ts)`;
  const subject = subjectOf(address, meta);
  if (!subject) return app ? `${app} — ${address}` : address;
  return `${app ? `${app}, ` : ''}${subject} — ${address}`;
}

/** The provider's own environment variables (providers/scim/provider-config.ts), by credential part. */
const PROVIDER_ENV: Record<string, CredentialPart> = { SCIM_TOKEN: 'token', SCIM_USERNAME: 'username', SCIM_PASSWORD: 'password' };

/** The provider's own credential variables replaced by where this app's credentials come from. */
export function nameAppCredentials(text: string, credentials: Record<string, CredentialSource> | undefined): string {
  if (!credentials) return text;
  return text.replace(/\b(SCIM_TOKEN|SCIM_USERNAME|SCIM_PASSWORD)\b/g, (name) => {
    const variable = CREDENTIAL_VARIABLES[PROVIDER_ENV[name]];
    const source = credentials[variable];
    return source ? `${describeSource(source)}, passed as TF_VAR_${variable}` : name;
  });
}

const LOCATION_WITH = /^(\s*[│]?\s*)with ([\w.[\]"/-]+),?\s*$/;
const LOCATION_ON = /^\s*[│]?\s*on \S+ line \d+(, in [^:]+)?:\s*$/;
const SNIPPET = /^\s*[│]?\s*\d+:/;
const SAME_ERROR = /^(\s*)\(the same error for (\d+) more resources?: (.*)\)\s*$/;

/**
 * Terraform's human-readable error text with each `with <address>, / on cdk.tf.json line N … / N: …` location
 * replaced by `for <app>, person "ada" (org/people.yaml:14) — <address>`, the resource lists of condensed
 * errors named by person/team, and the provider's credential variables by the app's.
 */
export function explainTerraformText(text: string, meta: OriginMetadata | undefined): string {
  if (!meta) return text;
  const raw = text.split('\n');
  // Matched without colour codes (terraform colours the `│` gutter); a rewritten line loses its colour.
  const lines = raw.map((l) => l.replace(/\x1b\[[0-9;]*m/g, ''));
  const out: string[] = [];
  let summary = '';
  for (let i = 0; i < lines.length; i++) {
    if (/^\s*[│]?\s*(?:Error|Warning):/.test(lines[i])) summary = lines[i];
    const w = LOCATION_WITH.exec(lines[i]);
    if (w) {
      out.push(`${w[1]}for ${describeAddress(diagnosticAddress(w[2], summary), meta)}`);
      if (LOCATION_ON.test(lines[i + 1] ?? '')) {
        i++;
        while (SNIPPET.test(lines[i + 1] ?? '')) i++;
      }
      continue;
    }
    const same = SAME_ERROR.exec(lines[i]);
    if (same) {
      const named = same[3].split(', ').map((a) => (/^[\w.[\]"-]+$/.test(a) ? (subjectOf(a, meta) ?? a) : a));
      if (named.join(', ') !== same[3]) {
        out.push(`${same[1]}(the same error for ${same[2]} more: ${named.join(', ')})`);
        continue;
      }
    }
    out.push(raw[i]);
  }
  return nameAppCredentials(out.join('\n'), meta.credentials);
}

/** The diagnostics of a `terraform plan|apply -json` stream (one JSON object per line). */
export function diagnosticsFromJson(stream: string): JsonDiagnostic[] {
  const out: JsonDiagnostic[] = [];
  for (const line of stream.split('\n')) {
    if (!line.startsWith('{')) continue;
    let msg: { type?: string; diagnostic?: JsonDiagnostic };
    try {
      msg = JSON.parse(line);
    } catch {
      continue;
    }
    if (msg.type === 'diagnostic' && msg.diagnostic) out.push(msg.diagnostic);
  }
  return out;
}

/** One `-json` diagnostic as text: `Error: <summary>`, the app and person/team, then the detail. */
export function renderDiagnostic(d: JsonDiagnostic, meta: OriginMetadata | undefined): string {
  const head = `${d.severity === 'warning' ? 'Warning' : 'Error'}: ${d.summary}`;
  const where = d.address ? `\n  for ${describeAddress(diagnosticAddress(d.address, `Error: ${d.summary}`), meta)}` : meta?.title ? `\n  in ${meta.title}` : '';
  const detail = d.detail ? `\n\n${d.detail}` : '';
  return nameAppCredentials(`${head}${where}${detail}`, meta?.credentials);
}

/** Every diagnostic of a `-json` stream rendered as above, one block each (for a plan/apply run with -json). */
export function explainTerraformJson(stream: string, meta: OriginMetadata | undefined): string {
  return diagnosticsFromJson(stream)
    .map((d) => renderDiagnostic(d, meta))
    .join('\n\n');
}
