// What a ScimApp emits besides its resources' wiring: a mapped user as scim_user attributes, and the stack's
// machine-readable metadata under `//.scimform` in cdk.tf.json (who each resource or roster entry is, who is excluded and
// why, what happens to their existing account), which the scimform command's report and access matrix read.
import type { UserConfig } from './generated/scim/user';
import type { MappedUser } from './mappings';
import type { Exclusion, Grant } from './access-decision';
import type { Person, Team } from './org-entities';

/** Terraform address-safe id fragment (person/team keys are already restricted to [a-z0-9_-]). */
export const tfId = (prefix: string, key: string): string => `${prefix}_${key}`;

/**
 * A mapped user as the scim_user resource's attributes (the app adds its provider and onDestroy policy);
 * `active: false` keeps an imported account deactivated (an inactive assignment).
 */
export function userConfig(u: MappedUser, active = true): Omit<UserConfig, 'provider' | 'onDestroy'> {
  return {
    userName: u.userName,
    externalId: u.externalId,
    displayName: u.displayName,
    name: u.name,
    nickName: u.nickName,
    title: u.title,
    userType: u.userType,
    preferredLanguage: u.preferredLanguage,
    locale: u.locale,
    timezone: u.timezone,
    emails: u.emails?.map((e) => ({ value: e.value, type: e.type, primary: e.primary || undefined })),
    phoneNumbers: u.phoneNumbers?.map((e) => ({ value: e.value, type: e.type, primary: e.primary || undefined })),
    roles: u.roles,
    employeeNumber: u.employeeNumber,
    costCenter: u.costCenter,
    organization: u.organization,
    division: u.division,
    department: u.department,
    active,
  };
}

/** Machine-readable facts about this stack for the scimform command, stored under `//.scimform`. */
export function stackMetadata(
  app: { node: { id: string }; title: string; profile: { name: string }; endpoint: string; sandbox: boolean; onDestroy: string; credentialVariables: unknown; headerSources?: unknown },
  scope: string,
  r: {
    accounts: 'roster' | 'users';
    users: ReadonlyMap<string, { grant: Grant; user: MappedUser; address: string }>;
    groups: ReadonlyMap<string, { team: Team; members: Person[] }>;
    excluded: readonly Exclusion[];
  },
): Record<string, unknown> {
  return {
    version: 1,
    app: app.node.id,
    title: app.title,
    profile: app.profile.name,
    endpoint: app.endpoint,
    sandbox: app.sandbox,
    onDestroy: app.onDestroy,
    scope,
    credentials: app.credentialVariables,
    ...(app.headerSources ? { headers: app.headerSources } : {}),
    accounts: r.accounts,
    users: Object.fromEntries(
      [...r.users.values()].map(({ grant, user, address }) => [
        address,
        { person: grant.person.key, userName: user.userName, roles: grant.roles, via: grant.via, declared: grant.person.declaredAt },
      ]),
    ),
    groups: Object.fromEntries(
      [...r.groups.values()].map(({ team, members }) => [
        `scim_group.${tfId('group', team.key)}`,
        { team: team.key, members: members.map((m) => m.key), declared: team.declaredAt },
      ]),
    ),
    excluded: r.excluded.map((e) => ({
      person: e.person.key,
      reason: e.reason,
      detail: e.detail,
      existingAccount: e.existingAccount,
      name: e.person.displayName,
      email: e.person.email,
    })),
  };
}
