// Data source `scim_user`: one existing user, looked up by SCIM id or by userName (case-insensitively).
import type { DataSourceType, Diagnostic, ObjectValue } from '../plugin/provider-definition';
import { DiagnosticError } from '../plugin/provider-definition';
import { requireClient, toDiagnostic } from './provider-access';
import { userAttributes, userValue } from './user-values';
import type { ScimProviderData } from '../provider-config';

export const userDataSource: DataSourceType<ScimProviderData> = {
  name: 'scim_user',
  schema: {
    version: 0,
    block: {
      description:
        'Reads one existing user from the SCIM server, by `id` or by `user_name` (exactly one of them). ' +
        'Use it to refer to accounts this configuration does not manage, for example as group members.',
      attributes: {
        id: {
          type: 'string',
          optional: true,
          computed: true,
          description: 'SCIM id of the user to read. Set exactly one of `id` and `user_name`.',
        },
        ...userAttributes(),
        user_name: {
          type: 'string',
          optional: true,
          computed: true,
          description: 'The `userName` of the user to read, compared case-insensitively. Set exactly one of `id` and `user_name`.',
        },
      },
    },
  },

  validate(config) {
    return exactlyOne(config, ['id', 'user_name'], 'scim_user');
  },

  async read(config, ctx) {
    const client = requireClient(ctx, 'data.scim_user');
    const id = typeof config.id === 'string' ? config.id : undefined;
    const userName = typeof config.user_name === 'string' ? config.user_name : undefined;
    try {
      const u = id !== undefined ? await client.getUser(id) : await client.findUser({ userName });
      if (!u)
        throw new DiagnosticError(
          'User not found',
          id !== undefined ? `no user with id "${id}" exists on the server.` : `no user with userName "${userName}" exists on the server.`,
          [id !== undefined ? 'id' : 'user_name'],
        );
      const state = userValue(u);
      // Keep the configured spelling (userName is not caseExact) so the result matches the configuration.
      if (userName !== undefined && userName.toLowerCase() === u.userName.toLowerCase()) state.user_name = userName;
      return { state };
    } catch (e) {
      throw toDiagnostic(e, 'Could not read the user');
    }
  },
};

/** Exactly one of `attrs` must be set (unknown counts as set). */
export function exactlyOne(config: ObjectValue, attrs: string[], what: string): Diagnostic[] {
  const set = attrs.filter((a) => config[a] !== null && config[a] !== undefined);
  if (set.length === 1) return [];
  const list = attrs.map((a) => `\`${a}\``).join(' or ');
  return [
    {
      severity: 'error',
      summary: set.length ? `Conflicting ${what} arguments` : `Missing ${what} argument`,
      detail: set.length ? `set only one of ${list}, not both.` : `set ${list} to choose what to read.`,
      path: [set[1] ?? attrs[0]],
    },
  ];
}
