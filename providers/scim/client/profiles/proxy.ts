// Connector profile: Proxy (proxy.com) — HTTP Basic (app key / secret); users and groups with memberships;
// emails stored lower-cased; a pending account cannot be deactivated; deactivated users stay inactive.
import type { ConnectorProfile } from './connector-profile';

export const proxy: ConnectorProfile = {
  name: 'proxy',
  title: 'Proxy',
  auth: 'basic',
  supportsGroups: true,
  supportsPatch: true,
  patchableUserPaths: 'all',
  userNameChange: 'patch',
  userNameIsEmail: false,
  emailCaseFolding: 'lower',
  pendingUserCannotDeactivate: true,
  deleteMeans: 'delete',
  maxPageSize: 100,
  memberPatchBatchSize: 100,
  patchOpCase: 'lower',
  memberRemoveForm: 'filter-path',
  notes:
    'Proxy (proxy.com): HTTP Basic with the app key as username and the secret as password. Users and groups ' +
    'with membership sync. The app lower-cases stored emails (compared case-insensitively, so no drift). ' +
    'A pending account (not yet activated by its owner) cannot be deactivated: the client reports ' +
    'SCIM_PENDING_USER and a later run retries. Deactivated users stay as inactive users.',
};
