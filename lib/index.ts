// Public API of the scimform constructs.
export * from './access-decision';
export * from './app-assignment';
export * from './app-profiles';
export * from './credentials';
export * from './directory';
export * from './errors';
export * from './mappings';
export * from './org-files';
export { personSpecSchema, teamSpecSchema, formatPath, type PersonSpec, type TeamSpec } from './org-schema';
export * from './paths';
export * from './org-entities';
export * from './provider-version';
export * from './scim-app';
export * from './scoping';
export * from './targets';
