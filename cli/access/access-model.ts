// The access matrix: who (person) has which app, with which role(s) and in which status. Built from
// each app stack's Terraform state (what is provisioned) and synthesized config (what is declared).

/**
 * active / deactivated: the account as provisioned (state); pending: declared, not provisioned yet;
 * left: a leaver whose account has left state — deactivated (or deleted, per the app's policy) by the apply
 * that removed it, as the access decision (lib/access-decision.ts) recorded in synth's metadata;
 * excluded: assigned but deliberately not provisioned (out of scope, "Default Access" only) — an account
 * made before is deactivated (or deleted, per the app's policy).
 */
export type AccessStatus = 'active' | 'deactivated' | 'left' | 'pending' | 'excluded';

export interface AccessCell {
  status: AccessStatus;
  userName: string;
  roles: string[];
  /** e.g. "declared, not provisioned yet", "reactivation pending", "no longer declared". */
  note?: string;
}

export interface AccessPerson {
  /** Stable key: the directory's person key when synth recorded it, else externalId, primary email or userName. */
  key: string;
  displayName: string;
  email?: string;
  /** One cell per app the person has an account in (or is declared for). */
  apps: Record<string, AccessCell>;
}

export interface AccessMatrix {
  kind: 'scimform-access-matrix';
  version: 1;
  apps: string[];
  people: AccessPerson[];
}

/** One scim_user as found in a stack's state or config (attribute names of the provider schema). */
export interface AccountRecord {
  app: string;
  address: string;
  source: 'state' | 'config';
  userName: string;
  externalId?: string;
  displayName?: string;
  emails: string[];
  primaryEmail?: string;
  active: boolean;
  roles: string[];
  /** The directory person behind the account (synth metadata), when known. */
  personKey?: string;
  /** State only: what removing the resource does ("deactivate" or "delete"). */
  onDestroy?: string;
}
