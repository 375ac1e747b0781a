// What `terraform plan -json` says besides the plan itself: its diagnostics (severity, summary, detail and
// the resource address; never the source snippet, which may show a literally written value), its change
// summary, and — from the provider's warnings — which planned creates adopt an existing account or group
// and whether that reactivates it. The warnings are saved beside the plan file and read back by the report.
import { existsSync, readFileSync } from 'node:fs';
import { entryAddress } from './roster-changes';

export interface PlanDiagnostic {
  severity: 'error' | 'warning';
  summary: string;
  detail: string;
  address?: string;
}

export interface PlanJsonStream {
  diagnostics: PlanDiagnostic[];
  /** `Plan: 1 to add, 0 to change, 0 to destroy.` (from the change_summary message), when planned. */
  summary?: string;
  counts: { add: number; change: number; destroy: number };
}

/** Parses the JSON lines `terraform plan -json` writes on stdout (other lines are ignored). */
export function parsePlanJsonStream(stdout: string): PlanJsonStream {
  const out: PlanJsonStream = { diagnostics: [], counts: { add: 0, change: 0, destroy: 0 } };
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    let m: { type?: string; '@message'?: string; diagnostic?: Record<string, unknown>; changes?: Record<string, number> };
    try {
      m = JSON.parse(line) as typeof m;
    } catch {
      continue;
    }
    if (m.type === 'diagnostic' && m.diagnostic) {
      const d = m.diagnostic;
      out.diagnostics.push({
        severity: d.severity === 'error' ? 'error' : 'warning',
        summary: String(d.summary ?? ''),
        detail: String(d.detail ?? ''),
        ...(typeof d.address === 'string' ? { address: d.address } : {}),
      });
    } else if (m.type === 'change_summary' && m.changes) {
      out.summary = m['@message'];
      out.counts = { add: m.changes.add ?? 0, change: m.changes.change ?? 0, destroy: m.changes.remove ?? 0 };
    }
  }
  return out;
}

/** Diagnostics as Terraform prints them, without source lines: `Error: …`, `with <address>,`, detail. */
export function renderDiagnostics(diags: PlanDiagnostic[]): string {
  return diags
    .map((d) => [`${d.severity === 'error' ? 'Error' : 'Warning'}: ${d.summary}`, ...(d.address ? ['', `  with ${d.address},`] : []), ...(d.detail ? ['', d.detail] : [])].join('\n'))
    .join('\n\n');
}

/** A planned create that takes over what the app already has. */
export interface Adoption {
  kind: 'user' | 'group';
  /** The existing account's or group's id. */
  id: string;
  /** The adopted account is inactive and apply reactivates it. */
  reactivates: boolean;
}

const USER_ADOPTION = /^scim_user will adopt existing account (\S+)/;
const GROUP_ADOPTION = /^scim_group ".*" will adopt existing group (\S+)$/;
/** A roster entry's adoption: the warning is the roster's, the entry is named by its key. */
const ENTRY_ADOPTION = /^scim_roster entry "(.*)" will adopt existing account (\S+)/;

/** Adoptions by resource address (a roster entry's pseudo-address for rosters), from the provider's plan-time warnings. */
export function adoptionsFromWarnings(diags: readonly PlanDiagnostic[]): Map<string, Adoption> {
  const out = new Map<string, Adoption>();
  for (const d of diags) {
    if (d.severity !== 'warning' || !d.address) continue;
    const user = USER_ADOPTION.exec(d.summary);
    const group = user ? null : GROUP_ADOPTION.exec(d.summary);
    const entry = user || group ? null : ENTRY_ADOPTION.exec(d.summary);
    if (user) out.set(d.address, { kind: 'user', id: user[1], reactivates: /reactivating it/.test(d.detail) });
    else if (group) out.set(d.address, { kind: 'group', id: group[1], reactivates: false });
    else if (entry) {
      out.set(entryAddress(d.address, entry[1]), { kind: 'user', id: entry[2], reactivates: /reactivating it/.test(d.detail) });
    }
  }
  return out;
}

/** The warnings file saved beside a plan file. */
export const warningsFileOf = (planPath: string): string => `${planPath}.warnings.json`;

/** Reads the warnings saved beside a plan (none when the file is absent). */
export function readPlanWarnings(planPath: string): PlanDiagnostic[] {
  const file = warningsFileOf(planPath);
  if (!existsSync(file)) return [];
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { warnings?: PlanDiagnostic[] };
  return Array.isArray(doc.warnings) ? doc.warnings : [];
}
