// What the constructs need to know about each connector profile: how it authenticates, whether it takes
// groups, and its default attribute mappings (the same defaults Entra/Okta gallery apps start from).
// The provider has its own, richer profiles for wire behaviour; these names match them.
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

export const appProfiles: Record<ProfileName, AppProfile> = {
  generic: {
    name: 'generic',
    title: 'Generic SCIM 2.0',
    auth: 'bearer',
    supportsGroups: true,
    userMappings: {
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
  },
  proxyclick: {
    name: 'proxyclick',
    title: 'Proxyclick',
    auth: 'bearer',
    supportsGroups: false,
    // Proxyclick requires userName and email to come from one source value.
    userMappings: { userName: map.email, ...identity, displayName: map.displayName, emails: map.primaryEmail },
  },
  promapp: {
    name: 'promapp',
    title: 'Promapp',
    auth: 'bearer',
    supportsGroups: false,
    userMappings: { userName: map.userName, ...identity, emails: map.primaryEmail },
  },
  proxy: {
    name: 'proxy',
    title: 'Proxy',
    auth: 'basic',
    supportsGroups: true,
    userMappings: {
      userName: map.userName,
      ...identity,
      displayName: map.displayName,
      emails: map.primaryEmail,
      department: map.department,
    },
  },
};

export const profileNames = Object.keys(appProfiles) as ProfileName[];

export function profilesWithGroups(): ProfileName[] {
  return profileNames.filter((n) => appProfiles[n].supportsGroups);
}
