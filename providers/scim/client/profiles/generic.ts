// Connector profile: any SCIM 2.0 service provider (RFC 7643/7644); PATCH support is discovered.
import type { ConnectorProfile } from './connector-profile';

export const generic: ConnectorProfile = {
  name: 'generic',
  title: 'Generic SCIM 2.0',
  auth: 'bearer',
  supportsGroups: true,
  supportsPatch: 'discover',
  patchableUserPaths: 'all',
  userNameChange: 'patch',
  userNameIsEmail: false,
  emailCaseFolding: 'none',
  pendingUserCannotDeactivate: false,
  deleteMeans: 'delete',
  maxPageSize: 1000,
  memberPatchBatchSize: 100,
  patchOpCase: 'lower',
  memberRemoveForm: 'filter-path',
  notes:
    'Any SCIM 2.0 service provider. Bearer token by default (Basic also accepted). PATCH is used when ' +
    '/ServiceProviderConfig says patch.supported (or when the document is absent); otherwise updates go by PUT. ' +
    'Users and groups, membership changes in PATCH batches of 100.',
};
