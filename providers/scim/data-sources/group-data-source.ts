// Data source `scim_group`: one existing group, looked up by SCIM id or by displayName (case-insensitively).
import type { DataSourceType } from '../plugin/provider-definition';
import { DiagnosticError } from '../plugin/provider-definition';
import { groupsUnsupported, requireClient, toDiagnostic } from './provider-access';
import { metaSchema, metaValue } from './meta-values';
import { exactlyOne } from './user-data-source';
import type { ScimProviderData } from '../provider-config';

export const groupDataSource: DataSourceType<ScimProviderData> = {
  name: 'scim_group',
  schema: {
    version: 0,
    block: {
      description:
        'Reads one existing group from the SCIM server, by `id` or by `display_name` (exactly one of them), with its ' +
        'members. Use it to add memberships (`scim_group_member`) to a group this configuration does not own.',
      attributes: {
        id: {
          type: 'string',
          optional: true,
          computed: true,
          description: 'SCIM id of the group to read. Set exactly one of `id` and `display_name`.',
        },
        display_name: {
          type: 'string',
          optional: true,
          computed: true,
          description: 'The `displayName` of the group to read, compared case-insensitively. Set exactly one of `id` and `display_name`.',
        },
        external_id: { type: 'string', computed: true, description: 'The group\'s `externalId`.' },
        members: { type: { set: 'string' }, computed: true, description: 'SCIM ids of the group\'s members.' },
        meta: metaSchema('group'),
      },
    },
  },

  validate(config) {
    return exactlyOne(config, ['id', 'display_name'], 'scim_group');
  },

  async read(config, ctx) {
    const client = requireClient(ctx, 'data.scim_group');
    if (!client.profile.supportsGroups) throw groupsUnsupported(client.profile, 'data.scim_group');
    const id = typeof config.id === 'string' ? config.id : undefined;
    const displayName = typeof config.display_name === 'string' ? config.display_name : undefined;
    try {
      let g = id !== undefined ? await client.getGroup(id) : await client.findGroup({ displayName });
      if (g?.id && !g.members && id === undefined) g = (await client.getGroup(g.id)) ?? g;
      if (!g?.id)
        throw new DiagnosticError(
          'Group not found',
          id !== undefined ? `no group with id "${id}" exists on the server.` : `no group with displayName "${displayName}" exists on the server.`,
          [id !== undefined ? 'id' : 'display_name'],
        );
      return {
        state: {
          id: g.id,
          display_name: displayName !== undefined && displayName.toLowerCase() === g.displayName.toLowerCase() ? displayName : g.displayName,
          external_id: g.externalId ?? null,
          members: [...new Set((g.members ?? []).map((m) => m.value))].sort(),
          meta: metaValue(g.meta),
        },
      };
    } catch (e) {
      throw toDiagnostic(e, 'Could not read the group');
    }
  },
};
