// Discovery endpoints of a tenant (RFC 7644 §4): ServiceProviderConfig, ResourceTypes and Schemas,
// reflecting the tenant's profile (e.g. no Group resource type where the app has no groups).
import { describeSchemas, ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA, type ResourceKind } from './scim-schemas';
import type { TenantProfile } from './tenants';

export const SPC_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
export const RESOURCE_TYPE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
/** Vendor extension of ServiceProviderConfig carrying what RFC 7643 has no field for (e.g. "no groups"). */
export const SANDBOX_SPC_EXTENSION = 'urn:scimform:params:scim:schemas:extension:sandbox:2.0:ServiceProviderConfig';
export const MAX_PAGE_SIZE = 1000;

export const resourceKinds = (profile: TenantProfile): ResourceKind[] => (profile.supportsGroups ? ['User', 'Group'] : ['User']);

export function serviceProviderConfig(profile: TenantProfile, baseUrl: string): Record<string, unknown> {
  const auth = profile.auth === 'bearer'
    ? { type: 'oauthbearertoken', name: 'OAuth Bearer Token', description: 'Authentication with a bearer token in the Authorization header', primary: true }
    : { type: 'httpbasic', name: 'HTTP Basic', description: 'HTTP Basic authentication: app key as username, app secret as password', primary: true };
  return {
    schemas: [SPC_SCHEMA, SANDBOX_SPC_EXTENSION],
    documentationUri: `${new URL(baseUrl).origin}/`,
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_PAGE_SIZE },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [auth],
    [SANDBOX_SPC_EXTENSION]: {
      tenant: profile.name,
      title: profile.title,
      groups: { supported: profile.supportsGroups },
      patchableUserPaths: profile.patchableUserPaths,
      deleteMeans: profile.deleteMeans,
      notes: profile.notes,
    },
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
  };
}

export function resourceTypes(profile: TenantProfile, baseUrl: string): Record<string, unknown>[] {
  const user = {
    schemas: [RESOURCE_TYPE_SCHEMA], id: 'User', name: 'User', endpoint: '/Users', description: 'User Account', schema: USER_SCHEMA,
    schemaExtensions: [{ schema: ENTERPRISE_USER_SCHEMA, required: false }],
    meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/User` },
  };
  const group = {
    schemas: [RESOURCE_TYPE_SCHEMA], id: 'Group', name: 'Group', endpoint: '/Groups', description: 'Group', schema: GROUP_SCHEMA,
    meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/Group` },
  };
  return profile.supportsGroups ? [user, group] : [user];
}

export function schemaDocuments(profile: TenantProfile, baseUrl: string): Record<string, unknown>[] {
  return describeSchemas(resourceKinds(profile), baseUrl);
}
