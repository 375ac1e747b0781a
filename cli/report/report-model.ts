// The dry-run report model: per app (one stack per app), which users are created, adopted, updated,
// deactivated, reactivated or deleted, which groups change and which memberships are added or removed.
// Renderers (terminal, Markdown, JSON) only read this model; it never holds a sensitive value.
import type { AttributeChange } from './attribute-diff';
import type { GuardVerdict } from '../guard/deactivation-guard';
import { fingerprintApps } from './report-fingerprint';

export const USER_ACTIONS = ['create', 'adopt', 'update', 'deactivate', 'reactivate', 'delete'] as const;
export type UserAction = (typeof USER_ACTIONS)[number];

export const GROUP_ACTIONS = ['create', 'adopt', 'update', 'delete'] as const;
export type GroupAction = (typeof GROUP_ACTIONS)[number];

export interface UserEntry {
  /** Terraform resource address in the app's stack, e.g. `scim_user.ada`. */
  address: string;
  /** The SCIM userName (or the address when it is only known after apply). */
  userName: string;
  /** SCIM id of the account, when known (for adopt: the existing account being taken over). */
  id?: string;
  /** Attribute changes (update, deactivate, reactivate); sensitive values are masked. */
  changes: AttributeChange[];
  /** Short human note, e.g. "removed from configuration", "replaces the account". */
  note?: string;
  /** A removal of an account that is already inactive (the guard does not count it). */
  alreadyInactive?: boolean;
  /** A new account (create, adopt): digest of its planned attribute values, sensitive ones masked (report-fingerprint.ts). */
  planned?: string;
}

export interface GroupEntry {
  address: string;
  displayName: string;
  id?: string;
  changes: AttributeChange[];
  note?: string;
}

export interface MemberEntry {
  group: string;
  user: string;
  /** Address of the resource carrying the membership (scim_group or scim_group_member). */
  address: string;
}

export interface ChangeCounts {
  create: number;
  adopt: number;
  update: number;
  deactivate: number;
  reactivate: number;
  delete: number;
  groupsCreate: number;
  groupsAdopt: number;
  groupsUpdate: number;
  groupsDelete: number;
  membersAdded: number;
  membersRemoved: number;
}

export interface AppReport {
  /** App name = stack name (what --stack selects). */
  app: string;
  /** Human title recorded by synth (e.g. "Proxyclick"), when known. */
  title?: string;
  /** Users managed in this app before the change (in state), the base of the guard's percentage. */
  managedUsers: number;
  users: Record<UserAction, UserEntry[]>;
  groups: Record<GroupAction, GroupEntry[]>;
  members: { added: MemberEntry[]; removed: MemberEntry[] };
  counts: ChangeCounts;
  /** Set when this app's plan could not be produced; the other apps are still reported. */
  error?: string;
}

export interface PlanReport {
  kind: 'scimform-plan-report';
  version: 1;
  apps: AppReport[];
  totals: ChangeCounts;
  /** Fingerprint of the changes (see report-fingerprint.ts); identical plans give identical values. */
  fingerprint: string;
  /** Present when the accidental-deactivation guard was evaluated. */
  guard?: GuardVerdict;
}

export const emptyCounts = (): ChangeCounts => ({
  create: 0,
  adopt: 0,
  update: 0,
  deactivate: 0,
  reactivate: 0,
  delete: 0,
  groupsCreate: 0,
  groupsAdopt: 0,
  groupsUpdate: 0,
  groupsDelete: 0,
  membersAdded: 0,
  membersRemoved: 0,
});

export function countApp(app: Pick<AppReport, 'users' | 'groups' | 'members'>): ChangeCounts {
  return {
    create: app.users.create.length,
    adopt: app.users.adopt.length,
    update: app.users.update.length,
    deactivate: app.users.deactivate.length,
    reactivate: app.users.reactivate.length,
    delete: app.users.delete.length,
    groupsCreate: app.groups.create.length,
    groupsAdopt: app.groups.adopt.length,
    groupsUpdate: app.groups.update.length,
    groupsDelete: app.groups.delete.length,
    membersAdded: app.members.added.length,
    membersRemoved: app.members.removed.length,
  };
}

export function sumCounts(all: ChangeCounts[]): ChangeCounts {
  const total = emptyCounts();
  for (const c of all) for (const k of Object.keys(total) as (keyof ChangeCounts)[]) total[k] += c[k];
  return total;
}

export const totalChanges = (c: ChangeCounts): number => Object.values(c).reduce((a, b) => a + b, 0);

export function assembleReport(apps: AppReport[], guard?: GuardVerdict): PlanReport {
  const sorted = [...apps].sort((a, b) => a.app.localeCompare(b.app));
  return {
    kind: 'scimform-plan-report',
    version: 1,
    apps: sorted,
    totals: sumCounts(sorted.map((a) => a.counts)),
    fingerprint: fingerprintApps(sorted),
    ...(guard ? { guard } : {}),
  };
}

/** Labels used by every renderer (singular, plural), so the three formats say the same thing. */
export const COUNT_LABELS: Record<keyof ChangeCounts, [string, string]> = {
  create: ['create', 'create'],
  adopt: ['adopt', 'adopt'],
  update: ['update', 'update'],
  deactivate: ['deactivate', 'deactivate'],
  reactivate: ['reactivate', 'reactivate'],
  delete: ['delete', 'delete'],
  groupsCreate: ['group created', 'groups created'],
  groupsAdopt: ['group adopted', 'groups adopted'],
  groupsUpdate: ['group updated', 'groups updated'],
  groupsDelete: ['group deleted', 'groups deleted'],
  membersAdded: ['member added', 'members added'],
  membersRemoved: ['member removed', 'members removed'],
};
