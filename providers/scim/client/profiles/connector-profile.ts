// The shape of a connector profile: one app's SCIM quirks described as data (auth scheme, PATCH dialect,
// what may be patched, email folding, pending-user rule, DELETE meaning, page and batch sizes).

export interface ConnectorProfile {
  /** Registry key: 'generic' | 'proxyclick' | 'promapp' | 'proxy' | future ones. */
  name: string;
  /** Human title used in messages and docs, e.g. 'Proxyclick'. */
  title: string;
  auth: 'bearer' | 'basic';
  supportsGroups: boolean;
  /** 'discover' = read /ServiceProviderConfig (patch.supported) once and follow it. */
  supportsPatch: boolean | 'discover';
  /** Attribute paths PATCH may change ('name.givenName', 'emails', …); any other change goes by PUT. */
  patchableUserPaths: 'all' | string[];
  userNameChange: 'patch' | 'put';
  /** userName mirrors the primary email (one source value for both). */
  userNameIsEmail: boolean;
  /** How the app stores email values; 'lower' = compare emails case-insensitively without drift. */
  emailCaseFolding: 'none' | 'lower';
  /** A pending (not yet activated) account cannot be deactivated; the client reports SCIM_PENDING_USER. */
  pendingUserCannotDeactivate: boolean;
  /** What DELETE /Users/{id} does on this app. */
  deleteMeans: 'delete' | 'deactivate';
  /** Largest page the server returns; listings ask for this (default 1000). */
  maxPageSize?: number;
  /** Members per group PATCH request. */
  memberPatchBatchSize: number;
  /** Case of PATCH `op` values we SEND; we always accept any case. */
  patchOpCase: 'lower' | 'capitalised';
  /** How member removal is written: `members[value eq "id"]` paths (default) or a value list. */
  memberRemoveForm?: 'filter-path' | 'value-list';
  /** Content-Type for PATCH bodies (default application/scim+json). */
  patchContentType?: string;
  /** Default budget of requests (any method) per minute; undefined = unlimited. The provider block may override it. */
  requestsPerMinute?: number;
  /** Default budget of writes (POST/PUT/PATCH/DELETE) per minute; undefined = unlimited. */
  writesPerMinute?: number;
  /** One paragraph for docs. */
  notes: string;
}
