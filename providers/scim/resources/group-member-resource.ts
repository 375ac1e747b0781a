// Resource `scim_group_member`: one user's membership of one group, additive. Create sends a single PATCH
// `add` and destroy a single `remove`; the group's other members are never touched. A membership already in
// place (create) or already gone (destroy, also a `noTarget` answer) is success.
import type { Diagnostic, ObjectValue, ResourceType, Schema } from '../plugin/provider-definition';
import { DiagnosticError, isUnknown } from '../plugin/provider-definition';
import type { ScimClient } from '../client';
import { groupsUnsupported, optionalClient, requireClient, toDiagnostic } from '../data-sources/provider-access';
import type { ScimProviderData } from '../provider-config';

export const GROUP_MEMBER_TYPE = 'scim_group_member';

export const groupMemberSchema: Schema = {
  version: 0,
  block: {
    description: [
      'One user\'s membership of one SCIM group. Use it when a configuration must add people to a group it does not ' +
        'own: creating it adds the member, destroying it removes only that member, and other members are never touched.',
      '',
      '~> **Do not mix** `scim_group_member` with the `members` attribute of a `scim_group` for the same group: `members` ' +
        'declares the complete membership, so each plan would remove what `scim_group_member` added (and the other way ' +
        'round). Either manage the whole membership with `members`, or leave `members` unset and use `scim_group_member`.',
      '',
      'When the user is removed from the group outside Terraform, the next plan shows the membership being added again. ' +
        'Connector profiles without groups (`proxyclick`, `promapp`) reject this resource at plan time.',
    ].join('\n'),
    attributes: {
      id: { type: 'string', computed: true, description: 'Identifier of the membership in the form `<group_id>/<user_id>`.' },
      group_id: {
        type: 'string',
        required: true,
        description: 'SCIM id of the group, usually `scim_group.<name>.id` or `data.scim_group.<name>.id`. Changing it replaces the membership.',
      },
      user_id: {
        type: 'string',
        required: true,
        description: 'SCIM id of the member user, usually `scim_user.<name>.id`. Changing it replaces the membership.',
      },
    },
  },
};

const membershipId = (groupId: string, userId: string): string => `${groupId}/${userId}`;

async function isMember(client: ScimClient, groupId: string, userId: string): Promise<boolean | undefined> {
  const g = await client.getGroup(groupId);
  if (!g) return undefined;
  return (g.members ?? []).some((m) => m.value === userId);
}

function requireGroups(client: ScimClient): void {
  if (!client.profile.supportsGroups) throw groupsUnsupported(client.profile, GROUP_MEMBER_TYPE);
}

export const groupMemberResource: ResourceType<ScimProviderData> = {
  name: GROUP_MEMBER_TYPE,
  schema: groupMemberSchema,

  validate(config) {
    const diags: Diagnostic[] = [];
    for (const attr of ['group_id', 'user_id'])
      if (typeof config[attr] === 'string' && !(config[attr] as string).trim())
        diags.push({ severity: 'error', summary: `Empty ${attr}`, detail: `${attr} must not be empty.`, path: [attr] });
    return diags;
  },

  async plan(req, ctx) {
    const client = optionalClient(ctx);
    if (client) requireGroups(client);
    const planned: ObjectValue = { ...req.proposed };
    const g = planned.group_id;
    const u = planned.user_id;
    planned.id = typeof g === 'string' && typeof u === 'string' ? membershipId(g, u) : req.proposed.id;
    const requiresReplace = req.prior
      ? (['group_id', 'user_id'] as const).filter((a) => isUnknown(planned[a]) || planned[a] !== req.prior![a]).map((a) => [a])
      : [];
    return { planned, requiresReplace };
  },

  async create(req, ctx) {
    const client = requireClient(ctx, GROUP_MEMBER_TYPE);
    requireGroups(client);
    const groupId = String(req.planned.group_id);
    const userId = String(req.planned.user_id);
    try {
      const member = await isMember(client, groupId, userId);
      if (member === undefined)
        throw new DiagnosticError(
          'Group not found',
          `group ${groupId} does not exist on the server: it was deleted in the app (perhaps after the plan was made), or group_id is wrong. ` +
            'Run terraform plan again; it plans the group again when it is managed by this configuration.',
          ['group_id'],
        );
      if (!member) await client.updateGroupMembers(groupId, [userId], []);
      return { state: { id: membershipId(groupId, userId), group_id: groupId, user_id: userId } };
    } catch (e) {
      throw toDiagnostic(e, `Could not add user ${userId} to group ${groupId}`, ['user_id']);
    }
  },

  async read(req, ctx) {
    // Provider configuration not known yet (it depends on values computed during apply): keep the state.
    if (!optionalClient(ctx)) return { state: req.state };
    const client = requireClient(ctx, GROUP_MEMBER_TYPE);
    const groupId = String(req.state.group_id);
    const userId = String(req.state.user_id);
    try {
      const member = await isMember(client, groupId, userId);
      if (!member) return { state: null };
      return { state: { id: membershipId(groupId, userId), group_id: groupId, user_id: userId } };
    } catch (e) {
      throw toDiagnostic(e, `Could not read the members of group ${groupId}`);
    }
  },

  async update(req) {
    // Both arguments force replacement, so there is nothing to update in place.
    return { state: req.planned };
  },

  async delete(req, ctx) {
    const client = requireClient(ctx, GROUP_MEMBER_TYPE);
    const groupId = String(req.prior.group_id);
    const userId = String(req.prior.user_id);
    try {
      const member = await isMember(client, groupId, userId);
      if (member) await client.updateGroupMembers(groupId, [], [userId]);
      return {};
    } catch (e) {
      throw toDiagnostic(e, `Could not remove user ${userId} from group ${groupId}`);
    }
  },

  async import(id, ctx) {
    const client = requireClient(ctx, GROUP_MEMBER_TYPE);
    const m = /^([^/]+)\/([^/]+)$/.exec(id);
    if (!m) throw new DiagnosticError('Invalid import id', `expected "<group_id>/<user_id>", got "${id}".`);
    const [, groupId, userId] = m;
    const member = await isMember(client, groupId, userId).catch((e) => {
      throw toDiagnostic(e, `Could not read the members of group ${groupId}`);
    });
    if (!member)
      throw new DiagnosticError('Cannot import scim_group_member', `user ${userId} is not a member of group ${groupId} on the server.`);
    return { state: { id: membershipId(groupId, userId), group_id: groupId, user_id: userId } };
  },
};
