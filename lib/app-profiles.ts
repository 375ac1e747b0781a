// What the constructs need to know about each connector profile: its name, title, auth scheme and whether
// it takes groups — read from the provider's own registry (providers/scim/client/profiles/, pure data, the
// one place those facts live) — plus what only the constructs decide: each profile's default attribute
// mappings (the same defaults Entra/Okta gallery apps start from).
import { profiles as connectorProfiles, type ConnectorProfile } from '../providers/scim/client/profiles';
import { map, type UserMappings } from './mappings';

export type ProfileName = 'generic' | 'proxyclick' | 'promapp' | 'proxy';

export interface AppProfile {
  readonly name: ProfileName;
  readonly title: string;
  readonly auth: 'bearer' | 'basic';
  readonly supportsGroups: boolean;
  readonly userMappings: UserMappings;
}

const identity = {
  externalId: map.key,
  givenName: map.givenName,
  familyName: map.familyName,
  title: map.title,
};

/** Default user mappings per profile (the construct side of a profile). */
const defaultMappings: Record<ProfileName, UserMappings> = {
  generic: {
    userName: map.userName,
    ...identity,
    displayName: map.displayName,
    middleName: map.middleName,
    emails: map.allEmails,
    phoneNumbers: map.workPhone,
    roles: map.assignedRoles,
    employeeNumber: map.employeeNumber,
    costCenter: map.costCenter,
    division: map.division,
    organization: map.organization,
    department: map.department,
    manager: map.manager,
  },
  proxyclick: { userName: map.userName, ...identity, displayName: map.displayName, emails: map.primaryEmail },
  promapp: { userName: map.userName, ...identity, emails: map.primaryEmail },
  proxy: { userName: map.userName, ...identity, displayName: map.displayName, emails: map.primaryEmail, department: map.department },
};

export const profileNames = Object.keys(defaultMappings) as ProfileName[];

function appProfile(name: ProfileName): AppProfile {
  const c: ConnectorProfile | undefined = connectorProfiles[name];
  if (!c) throw new Error(`lib/app-profiles.ts names profile "${name}", which providers/scim/client/profiles/index.ts does not register`);
  // An app whose userName mirrors the primary email (Proxyclick) takes both from one source value.
  const userMappings = c.userNameIsEmail ? { ...defaultMappings[name], userName: map.email } : defaultMappings[name];
  return { name, title: c.title, auth: c.auth, supportsGroups: c.supportsGroups, userMappings };
}

export const appProfiles = Object.fromEntries(profileNames.map((n) => [n, appProfile(n)])) as Record<ProfileName, AppProfile>;

export function profilesWithGroups(): ProfileName[] {
  return profileNames.filter((n) => appProfiles[n].supportsGroups);
}
