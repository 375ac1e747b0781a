// Connector profile: Proxyclick (bearer token; users only; userName and email come from one value).
import type { ConnectorProfile } from './connector-profile';

export const proxyclick: ConnectorProfile = {
  name: 'proxyclick',
  title: 'Proxyclick',
  auth: 'bearer',
  supportsGroups: false,
  supportsPatch: true,
  patchableUserPaths: 'all',
  userNameChange: 'patch',
  userNameIsEmail: true,
  emailCaseFolding: 'none',
  pendingUserCannotDeactivate: false,
  deleteMeans: 'delete',
  maxPageSize: 100,
  memberPatchBatchSize: 100,
  patchOpCase: 'lower',
  notes:
    'Proxyclick (token from Settings → Integrations → Marketplace). Users only: groups are refused. ' +
    'userName and the primary email share one source value, so declare them equal; changing one changes both.',
};
