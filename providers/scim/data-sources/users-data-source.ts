// Data source `scim_users`: the users matching a SCIM filter (all users when no filter), every page read.
import type { DataSourceType } from '../plugin/provider-definition';
import { requireClient, toDiagnostic } from './provider-access';
import { userAttributes, userValue } from './user-values';
import type { ScimProviderData } from '../provider-config';

export const usersDataSource: DataSourceType<ScimProviderData> = {
  name: 'scim_users',
  schema: {
    version: 0,
    block: {
      description:
        'Lists the users matching a SCIM filter (RFC 7644 §3.4.2.2), reading every page. Many servers support only ' +
        '`eq` (and `and`) on `userName`, `externalId` and `emails`; without `filter`, all users are listed.',
      attributes: {
        filter: {
          type: 'string',
          optional: true,
          description: 'SCIM filter expression, e.g. `userName eq "alice@example.com"` or `active eq true`. Omit it to list every user.',
        },
        ids: {
          type: { list: 'string' },
          computed: true,
          description: 'SCIM ids of the matching users, in the order of `users`; handy for `scim_group.members`.',
        },
        users: {
          computed: true,
          description: 'The matching users, in the order the server returned them.',
          nested: {
            nesting: 'list',
            attributes: {
              id: { type: 'string', computed: true, description: 'SCIM id of the user.' },
              ...userAttributes(),
            },
          },
        },
      },
    },
  },

  validate(config) {
    if (typeof config.filter === 'string' && !config.filter.trim())
      return [{ severity: 'error', summary: 'Empty filter', detail: 'filter must not be empty; omit it to list every user.', path: ['filter'] }];
    return [];
  },

  async read(config, ctx) {
    const client = requireClient(ctx, 'data.scim_users');
    const filter = typeof config.filter === 'string' ? config.filter : undefined;
    try {
      const users = await client.listUsers(filter !== undefined ? { filter } : {});
      const values = users.map(userValue);
      return { state: { filter: filter ?? null, ids: values.map((u) => u.id), users: values } };
    } catch (e) {
      throw toDiagnostic(e, filter !== undefined ? `Could not list users matching ${filter}` : 'Could not list users', filter !== undefined ? ['filter'] : undefined);
    }
  },
};
