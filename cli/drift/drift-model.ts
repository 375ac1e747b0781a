// The drift report model: per app, what changed in the live app outside Terraform (Terraform's
// `resource_drift`), and what an apply would do to bring it back (the plan report of that app).
import type { AttributeChange } from '../report/attribute-diff';
import type { AppReport } from '../report/report-model';

export type DriftStatus = 'clean' | 'drift' | 'error';

export interface DriftEntry {
  /** `user`, `group` or `membership`. */
  kind: 'user' | 'group' | 'membership';
  /** userName, group displayName, or `user → group` for a membership. */
  name: string;
  address: string;
  /** What happened out of band. */
  what: 'changed' | 'deleted' | 'deactivated' | 'reactivated' | 'members changed';
  changes: AttributeChange[];
  /** For groups: members added / removed out of band (names). */
  membersAdded?: string[];
  membersRemoved?: string[];
}

export interface AppDrift {
  app: string;
  status: DriftStatus;
  outOfBand: DriftEntry[];
  /** What apply would do now (reverting the drift and any unapplied configuration change). */
  pending: AppReport;
  error?: string;
}

export interface DriftReport {
  kind: 'scimform-drift-report';
  version: 1;
  status: DriftStatus;
  apps: AppDrift[];
}

export function assembleDriftReport(apps: AppDrift[]): DriftReport {
  const sorted = [...apps].sort((a, b) => a.app.localeCompare(b.app));
  const status: DriftStatus = sorted.some((a) => a.status === 'error')
    ? 'error'
    : sorted.some((a) => a.status === 'drift')
      ? 'drift'
      : 'clean';
  return { kind: 'scimform-drift-report', version: 1, status, apps: sorted };
}
