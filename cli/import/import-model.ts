// The data of `scimform import`: what was read from each app (AppSnapshot), the humans matched across apps
// (Human), and the organisation written out (ImportedOrg: people, teams, apps and the report's findings).
import type { ScimGroup, ScimUser } from '../../providers/scim/client';
import type { PersonSpec, TeamSpec } from '../../lib';

/** One app of the current configuration, as read from its tenant (read-only). */
export interface AppSnapshot {
  /** Stack/app key, e.g. `wiki`. */
  key: string;
  title: string;
  /** Connector profile name. */
  profile: string;
  /** The profile cannot tell a pending account from a deactivated one over SCIM (e.g. Proxy). */
  canBePending: boolean;
  supportsGroups: boolean;
  users: ScimUser[];
  groups: ScimGroup[];
  /** The app's `target` (and onDestroy) in the current apps.yaml, copied as they are. */
  target?: { envPrefix: string; sandboxTenant: string };
  onDestroy?: string;
}

/** One human: their accounts by app key. */
export interface Human {
  key: string;
  accounts: Map<string, ScimUser>;
}

export interface AccountEntry {
  id?: string;
  active?: false;
  attributes?: Record<string, unknown>;
}

export interface AppEntry {
  key: string;
  title: string;
  profile: string;
  target: { envPrefix: string; sandboxTenant: string };
  onDestroy?: string;
  pushGroups?: string[];
  assign: { person: string; role?: string }[];
  accounts: Record<string, AccountEntry>;
  groups?: Record<string, { id?: string; externalId?: string | null }>;
}

export interface Disagreement {
  person: string;
  app: string;
  attribute: string;
  /** The value people.yaml (from the first app) gives. */
  person_value: unknown;
  /** The value this app holds (null: none). */
  app_value: unknown;
}

export interface ImportFindings {
  perApp: { key: string; title: string; users: number; inactive: number; groups: number }[];
  /** People with accounts in several apps: key → apps. */
  matched: { person: string; apps: string[]; userNames: string[] }[];
  disagreements: Disagreement[];
  leavers: string[];
  inactive: { person: string; app: string; maybePending: boolean }[];
  /** Inactive everywhere but kept (group member, or an app that cannot tell pending from inactive). */
  keptInactive: { person: string; reason: string }[];
  teams: { team: string; displayName: string; apps: string[]; split: boolean }[];
  skipped: { app: string; what: string; reason: string }[];
  notes: string[];
}

export interface ImportedOrg {
  people: PersonSpec[];
  teams: TeamSpec[];
  apps: AppEntry[];
  findings: ImportFindings;
}
