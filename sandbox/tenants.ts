// Tenant profiles: base path, authentication and the quirks each emulated app shows, as data.
// Behaviour elsewhere reads these flags instead of testing tenant names.
import type { TenantName } from './types';

export interface TenantProfile {
  name: TenantName;
  title: string;
  /** Path under the server root, without trailing slash. */
  basePath: string;
  auth: 'bearer' | 'basic';
  supportsGroups: boolean;
  /** Attribute paths a PATCH may touch; 'all' = no restriction (Promapp restricts). */
  patchableUserPaths: 'all' | string[];
  /** Promapp: DELETE only sets active=false; the user stays readable and listable. */
  deleteMeans: 'delete' | 'deactivate';
  /** Proxyclick: userName must be an email and the primary email always mirrors it. */
  userNameIsEmail: boolean;
  /** Proxy: stored emails are lower-cased. */
  lowerCaseEmails: boolean;
  /** Proxy: a user created with active=false is pending and cannot be deactivated. */
  pendingUsers: boolean;
  /** Status answered to a successful group PATCH (Proxy: 204 No Content). */
  groupPatchStatus: 200 | 204;
  /** One-paragraph description shown on the web page and in ServiceProviderConfig. */
  notes: string;
}

const COMMON = {
  patchableUserPaths: 'all' as const,
  deleteMeans: 'delete' as const,
  userNameIsEmail: false,
  lowerCaseEmails: false,
  pendingUsers: false,
  groupPatchStatus: 200 as const,
};

export const TENANT_PROFILES: Record<TenantName, TenantProfile> = {
  generic: {
    ...COMMON,
    name: 'generic',
    title: 'Generic SCIM 2.0',
    basePath: '/generic/scim/v2',
    auth: 'bearer',
    supportsGroups: true,
    notes: 'Standards-following SCIM 2.0 (RFC 7643/7644): users and groups, bearer token.',
  },
  proxyclick: {
    ...COMMON,
    name: 'proxyclick',
    title: 'Proxyclick',
    basePath: '/proxyclick/scim/v2',
    auth: 'bearer',
    supportsGroups: false,
    userNameIsEmail: true,
    notes: 'Users only (no /Groups). userName must be an email; the primary email always mirrors userName, and changing either changes both.',
  },
  promapp: {
    ...COMMON,
    name: 'promapp',
    title: 'Promapp (Nintex Process Manager)',
    basePath: '/promapp/api/scim',
    auth: 'bearer',
    supportsGroups: false,
    patchableUserPaths: ['name.givenName', 'name.familyName', 'emails'],
    deleteMeans: 'deactivate',
    notes: 'Users only. PATCH may change only name.givenName, name.familyName and emails; PUT may change userName; DELETE only sets active=false.',
  },
  proxy: {
    ...COMMON,
    name: 'proxy',
    title: 'Proxy',
    basePath: '/proxy/scim/v2',
    auth: 'basic',
    supportsGroups: true,
    lowerCaseEmails: true,
    pendingUsers: true,
    groupPatchStatus: 204,
    notes: 'HTTP Basic (app key / secret). Users and groups. Emails are stored lower-cased; a user created with active=false is pending and cannot be deactivated; deactivated users stay (active=false) until reactivated. Group PATCH answers 204.',
  },
};
