// Data source `scim_service_provider_config`: the "test connection". Reads /ServiceProviderConfig and proves the
// credential works with one authenticated probe (a userName filter that matches nobody), as provisioning IdPs do.
import { randomUUID } from 'node:crypto';
import type { AttributeSchema, DataSourceType } from '../plugin/provider-definition';
import { DiagnosticError } from '../plugin/provider-definition';
import { ScimClientError } from '../client/errors';
import { requireClient } from './provider-access';
import type { ScimProviderData } from '../provider-config';

const flag = (description: string): AttributeSchema => ({ type: 'bool', computed: true, description });
const num = (description: string): AttributeSchema => ({ type: 'number', computed: true, description });

export const serviceProviderConfigDataSource: DataSourceType<ScimProviderData> = {
  name: 'scim_service_provider_config',
  schema: {
    version: 0,
    block: {
      description:
        'Tests the connection to the SCIM endpoint and reports what the server supports. Reading it fetches ' +
        '`/ServiceProviderConfig` (RFC 7643 §5) and makes one authenticated request (a `userName` filter that ' +
        'matches nobody), so an unreachable endpoint or a refused credential fails the plan with a clear error. ' +
        'Servers without `/ServiceProviderConfig` still pass; `discovered` is then false and the capabilities ' +
        'come from the connector profile.',
      attributes: {
        profile: { type: 'string', computed: true, description: 'Name of the connector profile the provider uses (e.g. `generic`).' },
        discovered: flag('Whether the server published a `/ServiceProviderConfig` document (false = capabilities assumed from the profile).'),
        patch_supported: flag('Whether updates use PATCH (otherwise the provider sends PUT).'),
        bulk_supported: flag('Whether the server accepts `/Bulk` requests.'),
        bulk_max_operations: num('Most operations the server accepts in one bulk request (null when not reported).'),
        filter_supported: flag('Whether the server supports filtered listings.'),
        filter_max_results: num('Most resources the server returns for one filtered query (null when not reported).'),
        change_password_supported: flag('Whether the server supports changing passwords.'),
        sort_supported: flag('Whether the server supports sorting listings.'),
        etag_supported: flag('Whether the server supports ETags (`meta.version`).'),
        authentication_schemes: {
          computed: true,
          description: 'Authentication schemes the server declares.',
          nested: {
            nesting: 'list',
            attributes: {
              type: { type: 'string', computed: true, description: 'Scheme type, such as `oauthbearertoken` or `httpbasic`.' },
              name: { type: 'string', computed: true, description: 'Human-readable name of the scheme.' },
              description: { type: 'string', computed: true, description: 'The server\'s description of the scheme.' },
            },
          },
        },
      },
    },
  },

  async read(_config, ctx) {
    const client = requireClient(ctx, 'data.scim_service_provider_config');
    try {
      const caps = await client.capabilities();
      // The capabilities document may be public; prove the credential with a filter that matches nobody.
      await client.listUsers({ filter: `userName eq "scimform-connection-test-${randomUUID()}"` });
      return {
        state: {
          profile: client.profile.name,
          discovered: caps.discovered,
          patch_supported: caps.patch,
          bulk_supported: caps.bulk.supported,
          bulk_max_operations: caps.bulk.maxOperations ?? null,
          filter_supported: caps.filter.supported,
          filter_max_results: caps.filter.maxResults ?? null,
          change_password_supported: caps.changePassword,
          sort_supported: caps.sort,
          etag_supported: caps.etag,
          authentication_schemes: caps.authenticationSchemes.map((a) => ({ type: a.type, name: a.name ?? null, description: a.description ?? null })),
        },
      };
    } catch (e) {
      if (e instanceof DiagnosticError) throw e;
      const msg = e instanceof Error ? e.message : String(e);
      if (e instanceof ScimClientError && e.code === 'SCIM_UNAUTHORIZED')
        throw new DiagnosticError('Test connection failed: credential refused', /check the token/i.test(msg) ? msg : `${msg}; check the token, or username and password, in the provider configuration.`);
      if (e instanceof ScimClientError && (e.code === 'SCIM_UNREACHABLE' || e.code === 'SCIM_TIMEOUT' || e.code === 'SCIM_RETRIES_EXHAUSTED'))
        throw new DiagnosticError('Test connection failed: endpoint unreachable', /check the endpoint/i.test(msg) ? msg : `${msg}; check the provider's endpoint.`);
      throw new DiagnosticError('Test connection failed', msg);
    }
  },
};
