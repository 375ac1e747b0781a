// Test helper: a real sandbox on 127.0.0.1 (port 0) plus ScimClient factories for its tenants, with fast
// retries so fault tests stay short. Every client made here is closed by `stop()`.
import { getProfile, ScimClient, type ConnectorProfile, type ScimClientOptions } from '../../providers/scim/client';
import type { TenantName } from '../../sandbox';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';

export interface ClientSandbox {
  sb: TestSandbox;
  /** A client for a tenant, with its profile (overridable) and the tenant's credentials. */
  client(tenant: TenantName, opts?: Partial<ScimClientOptions> & { profile?: ConnectorProfile }): ScimClient;
  stop(): Promise<void>;
}

export async function startClientSandbox(seed = 1): Promise<ClientSandbox> {
  const sb = await startTestSandbox({ seed });
  const clients: ScimClient[] = [];
  return {
    sb,
    client(tenant, opts = {}) {
      const creds = sb.credentials[tenant];
      const auth: ScimClientOptions['auth'] =
        'token' in creds ? { kind: 'bearer', token: creds.token } : { kind: 'basic', username: creds.username, password: creds.password };
      const c = new ScimClient({ endpoint: creds.baseUrl, auth, profile: getProfile(tenant), retryBaseDelayMs: 20, maxRetries: 5, ...opts });
      clients.push(c);
      return c;
    },
    async stop() {
      await Promise.allSettled(clients.map((c) => c.close()));
      await sb.stop();
    },
  };
}

/** Requests of a tenant's log as 'METHOD path' strings. */
export async function requests(sb: TestSandbox, tenant: TenantName): Promise<string[]> {
  return (await sb.admin.requestLog(tenant)).map((e) => `${e.method} ${e.path}`);
}
