// The `scim` provider definition: its configuration schema, `configure` (one ScimClient per provider
// instance, or no provider data while the block still has unknown values), and the list of resources and
// data sources. `providers/scim/main.ts` serves it over the plugin protocol.
import type { Diagnostic, ObjectValue, ProviderDefinition } from './plugin/provider-definition';
import type { ScimClient } from './client';
import { loadScimClient } from './client-loader';
import { parseProviderConfig, providerSchema, validateProviderConfig, type ScimProviderData } from './provider-config';
import { userResource } from './resources/user-resource';
import { groupResource } from './resources/group-resource';
import { groupMemberResource } from './resources/group-member-resource';
import { rosterResource } from './resources/roster-resource';
import { dataSources } from './data-sources';

export type { ScimProviderData } from './provider-config';

export function createScimProvider(env: Record<string, string | undefined> = process.env): ProviderDefinition<ScimProviderData> {
  const stopController = new AbortController();
  const clients: ScimClient[] = [];

  return {
    typeName: 'scim',
    schema: providerSchema,
    validateConfig: (config: ObjectValue): Diagnostic[] => validateProviderConfig(config),

    async configure(config, ctx) {
      const { parsed, diagnostics } = parseProviderConfig(config, env);
      if (!parsed) {
        if (!diagnostics.length) ctx.log.debug('provider configuration has unknown values; planning without a SCIM connection');
        return { providerData: undefined, diagnostics };
      }
      const { ScimClient } = loadScimClient();
      const client = new ScimClient({
        endpoint: parsed.endpoint,
        auth: parsed.auth,
        profile: parsed.profile,
        headers: parsed.headers,
        timeoutMs: parsed.timeoutMs,
        maxRetries: parsed.maxRetries,
        requestsPerSecond: parsed.requestsPerSecond,
        requestsPerMinute: parsed.requestsPerMinute,
        writesPerMinute: parsed.writesPerMinute,
        caFile: parsed.caFile,
        provisioningLogFile: parsed.logFile,
        memberBatchSize: parsed.memberBatchSize,
        signal: stopController.signal,
        // Provisioning log lines carry no credentials; TF_LOG=debug shows them. A refused read cache and a listing
        // that moved while paged are warnings (TF_LOG=warn).
        onLog: (line) =>
          line.action === 'cache-refused' || line.detail?.startsWith('listing changed')
            ? ctx.log.warn('scim read cache', { ...line })
            : ctx.log.debug('scim request', { ...line }),
      });
      clients.push(client);
      ctx.log.info('configured scim provider', { endpoint: parsed.endpoint, profile: parsed.profile.name, auth: parsed.auth.kind });
      const providerData: ScimProviderData = { client, profile: parsed.profile, endpoint: parsed.endpoint, onDestroy: parsed.onDestroy };
      if (parsed.memberBatchSize !== undefined) providerData.memberBatchSize = parsed.memberBatchSize;
      return { providerData, diagnostics };
    },

    resources: [userResource, groupResource, groupMemberResource, rosterResource],
    dataSources,

    async stop() {
      if (!stopController.signal.aborted) stopController.abort(new Error('Terraform asked the provider to stop'));
      await Promise.allSettled(clients.map((c) => c.close()));
    },
  };
}
