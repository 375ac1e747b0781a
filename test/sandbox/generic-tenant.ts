// Test helper: the hooks of a sandbox suite over real HTTP against the generic tenant — one sandbox and one
// SCIM caller with the tenant's token for the whole file, the tenant's faults cleared after each test, and
// both stopped after the last one.
import type { StartSandboxOptions } from '../../sandbox';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { scimCaller, type ScimCaller } from './scim-http';

/** Registers the hooks; `ready` receives the sandbox and the caller once they run (in beforeAll). */
export function useGenericTenant(opts: Partial<StartSandboxOptions>, ready: (sb: TestSandbox, api: ScimCaller) => void): void {
  let sb: TestSandbox | undefined;
  let api: ScimCaller | undefined;
  beforeAll(async () => {
    sb = await startTestSandbox(opts);
    api = scimCaller(sb.sandbox.tenants.generic.baseUrl, { token: sb.credentials.generic.token });
    ready(sb, api);
  });
  afterEach(async () => {
    await sb?.admin.setFaults('generic', {});
  });
  afterAll(async () => {
    await api?.close();
    await sb?.stop();
  });
}
