// Public entry point of the sandbox: startSandbox, the admin client and the public types.
export { startSandbox, SandboxConfigError, type RunningSandbox } from './server';
export { SandboxAdmin, SandboxAdminError, type TenantSummary } from './admin-client';
export { CREDENTIAL_ENV } from './credentials';
export { TENANT_PROFILES, type TenantProfile } from './tenants';
export {
  TENANT_NAMES, isTenantName,
  type TenantName, type FaultConfig, type RequestLogEntry, type SandboxCredentials, type StartSandboxOptions,
} from './types';
