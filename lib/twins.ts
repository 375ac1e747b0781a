// Twins: two resources of one app that would address the same account or group on the server — equal
// userName or group displayName (compared case-insensitively, as SCIM servers match them) or the same
// externalId (case-exact). Such resources would silently share one account and flap on every apply, so
// synth refuses them, naming both people (or teams) and the app. Plain functions, tested without Terraform.
import { messages } from './errors';

export interface UserIdentity {
  /** The person's key. */
  readonly person: string;
  readonly userName: string;
  readonly externalId?: string;
}

export interface GroupIdentity {
  /** The team's key. */
  readonly team: string;
  readonly displayName: string;
  readonly externalId?: string;
}

/** Groups `items` by `keyOf` (skipping empty keys); returns the first spelling and the owners of each shared key. */
function shared<T>(items: readonly T[], keyOf: (t: T) => string | undefined, fold: boolean, owner: (t: T) => string): { value: string; owners: string[] }[] {
  const by = new Map<string, { value: string; owners: string[] }>();
  for (const t of items) {
    const value = keyOf(t);
    if (value === undefined || value === '') continue;
    const k = fold ? value.toLowerCase() : value;
    const e = by.get(k) ?? { value, owners: [] };
    if (!e.owners.includes(owner(t))) e.owners.push(owner(t));
    by.set(k, e);
  }
  return [...by.values()].filter((e) => e.owners.length > 1);
}

export const duplicateExternalId = (externalId: string, owners: string[], app: string, what: 'people' | 'teams'): string =>
  `SCIMFORM_DUPLICATE_EXTERNAL_ID: externalId "${externalId}" would be given to ${what} ${owners.join(' and ')} in ${app} ` +
  `(externalIds are compared exactly, and each ${what === 'people' ? 'account' : 'group'} needs its own, or both resources would ` +
  `manage one ${what === 'people' ? 'account' : 'group'}). Give them distinct keys in the org files, or override this app's externalId mapping.`;

/** Problems for users of one app that would address the same account. */
export function userTwins(app: string, users: readonly UserIdentity[]): string[] {
  return [
    ...shared(users, (u) => u.userName, true, (u) => u.person).map((e) => messages.duplicateUserName(e.value, e.owners, app)),
    ...shared(users, (u) => u.externalId, false, (u) => u.person).map((e) => duplicateExternalId(e.value, e.owners, app, 'people')),
  ];
}

/** Problems for groups of one app that would address the same group. */
export function groupTwins(app: string, groups: readonly GroupIdentity[]): string[] {
  return [
    ...shared(groups, (g) => g.displayName, true, (g) => g.team).map((e) => messages.duplicateGroup(e.value, e.owners, app)),
    ...shared(groups, (g) => g.externalId, false, (g) => g.team).map((e) => duplicateExternalId(e.value, e.owners, app, 'teams')),
  ];
}
