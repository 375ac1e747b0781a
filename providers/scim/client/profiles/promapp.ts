// Connector profile: Promapp / Nintex Process Manager (bearer token at a tenant URL ending /api/scim;
// users only; PATCH changes only names and email, PUT can change userName; DELETE only deactivates).
import type { ConnectorProfile } from './connector-profile';

export const promapp: ConnectorProfile = {
  name: 'promapp',
  title: 'Promapp',
  auth: 'bearer',
  supportsGroups: false,
  supportsPatch: true,
  patchableUserPaths: ['name.givenName', 'name.familyName', 'emails'],
  userNameChange: 'put',
  userNameIsEmail: false,
  emailCaseFolding: 'none',
  pendingUserCannotDeactivate: false,
  deleteMeans: 'deactivate',
  maxPageSize: 100,
  memberPatchBatchSize: 100,
  patchOpCase: 'lower',
  patchContentType: 'application/json-patch+json',
  notes:
    'Promapp / Nintex Process Manager: bearer token (one per Promaster, valid one year) at a tenant URL ending ' +
    '/api/scim. Users only. PATCH can change only first/last name and email; any other change (active, title, … ' +
    'including userName) is sent as a PUT of the full resource. DELETE only deactivates the account.',
};
