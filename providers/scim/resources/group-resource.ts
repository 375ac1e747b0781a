// Resource `scim_group`: a SCIM group, optionally with its whole membership. Create adopts an existing group
// with the same displayName (found again at apply; announced by a plan-time warning); an update writes only
// what the plan changes, checked against a fresh read (group-changes.ts); membership changes go to the server
// in PATCH add/remove batches (the client falls back to PUT when the server has no PATCH). The new state is
// the planned state.
import type {
  Diagnostic,
  ObjectValue,
  PlanRequest,
  PlanResponse,
  ResourceType,
  Schema,
  Value,
} from '../plugin/provider-definition';
import { DiagnosticError, Unknown, isObjectValue as isObject, isUnknown } from '../plugin/provider-definition';
import type { ScimClient, ScimGroup } from '../client';
import { isScimClientError } from '../client/errors';
import { groupsUnsupported, optionalClient, requireClient, toDiagnostic } from '../data-sources/provider-access';
import { metaSchema, metaValue } from '../data-sources/meta-values';
import { attributeWrites, deletedSincePlanError, keepsChangingError, memberDiff, memberWrites, sameExternalId, settledState, withWrites } from './group-changes';
import { adoptionRemovals, takeoverWarning, unknownMemberDiagnostics, unknownUsers } from './group-plan-checks';
import { twinCheck } from './group-twins';
import { keyedMembers, memberIdsAttribute, memberKeysOf, memberMapDiagnostics, membershipValue, parseGroupImportId, sameMembership, unchangedOnServer } from './group-member-map';
import type { ScimProviderData } from '../provider-config';

export const GROUP_TYPE = 'scim_group';

export const groupSchema: Schema = {
  version: 0,
  block: {
    description: [
      'A SCIM group on the app, and optionally its complete membership.',
      '',
      'Creating a group whose `display_name` already exists on the server (compared case-insensitively) **adopts** that ' +
        'group instead of creating a duplicate; the plan warns, naming the group, and apply looks the name up again, so a ' +
        'group created in the app between plan and apply is adopted too (`existing_id` records it).',
      '',
      'An update writes only what the plan changes, checked against the group as the server has it at apply time: a ' +
        'planned `display_name`/`external_id` the server already has is skipped; one the server still has at its prior ' +
        'value is written; any other value stops apply with an error naming the group and the values (run plan again). ' +
        'Only the planned member additions and removals are sent; other membership changes made in the app stay and show ' +
        'up on the next plan.',
      '',
      'When `members` is set, the group\'s membership is managed as a whole: members added or removed outside ' +
        'Terraform show up as drift, and apply sends only the difference, as PATCH `add`/`remove` operations in ' +
        'batches (`member_batch_size` on the provider, else the connector profile\'s default), or as a PUT when the ' +
        'server does not support PATCH. Leave `members` unset to leave membership alone (the group is then read ' +
        'without its members, which keeps large groups cheap), for example when memberships are managed with ' +
        '`scim_group_member`. Do not combine `members` with `scim_group_member` on the same group: each would undo the other. ' +
        'When `members` takes over a membership it did not manage before (an adopted group, or `members` set again after ' +
        'being unset), everyone not listed is removed; since the plan diff cannot show them, the plan warns, naming them.',
      '',
      'Connector profiles without groups (`proxyclick`, `promapp`) reject this resource at plan time. Destroying the ' +
        'resource deletes the group on the server (groups have no active flag); the member accounts are untouched.',
    ].join('\n'),
    attributes: {
      id: { type: 'string', computed: true, description: 'The group\'s SCIM `id`, assigned by the server.' },
      display_name: {
        type: 'string',
        required: true,
        description: 'The group\'s `displayName`. Unique on most servers; compared case-insensitively when adopting an existing group.',
      },
      external_id: {
        type: 'string',
        optional: true,
        computed: true,
        description: 'The group\'s `externalId`: an identifier from the provisioning source. When unset, the server\'s value is kept.',
      },
      members: {
        type: { set: 'string' },
        optional: true,
        description:
          'SCIM ids of the member users, usually `scim_user.<name>.id` references. When set, the membership is exactly ' +
          'this set; when unset (null), membership is not managed by this resource. Removing `members` from the ' +
          'configuration stops managing the membership and removes nobody (the plan shows it changing to null, with a ' +
          'warning); set `members = []` to remove every member. An id the server does not know is reported as an error naming it. ' +
          'For large groups use `member_ids` instead.',
      },
      member_ids: memberIdsAttribute,
      existing_id: {
        type: 'string',
        computed: true,
        description:
          'The id of the existing group with the same `display_name` that apply adopted instead of creating a new one; ' +
          'null when apply created the group. Known after apply (a plan-time warning names a group that will be adopted), ' +
          'so a saved plan still applies when the group is created in the app between plan and apply.',
      },
      meta: metaSchema('group'),
    },
  },
};

// ----------------------------------------------------------------------------------------------- values

const asString = (v: Value | undefined): string | null => (typeof v === 'string' ? v : null);

/** Known member ids of a set value; `undefined` when the set (or any element) is not known yet. */
function knownMembers(v: Value | undefined): string[] | null | undefined {
  if (v === null || v === undefined) return null;
  if (isUnknown(v) || !Array.isArray(v)) return undefined;
  if (v.some((x) => isUnknown(x))) return undefined;
  return v.filter((x): x is string => typeof x === 'string');
}

/** State value of a group read from the server. `managedMembers` false keeps `members` null; `memberKeys` (the
 * prior `member_ids`) makes the membership a map again (group-member-map.ts). Server
 * normalisation is no change: the prior spelling is kept when the server only changed the case of
 * displayName (not caseExact) or dropped an empty externalId. */
export function groupState(g: ScimGroup, prev: { display_name?: Value; external_id?: Value; existing_id?: Value; managedMembers: boolean; memberKeys?: ObjectValue }): ObjectValue {
  const prevName = asString(prev.display_name ?? null);
  const displayName = prevName !== null && prevName.toLowerCase() === g.displayName.toLowerCase() ? prevName : g.displayName;
  return {
    id: g.id ?? null,
    display_name: displayName,
    external_id: prev.external_id === '' && sameExternalId(g.externalId, '') ? '' : (g.externalId ?? null),
    members: prev.managedMembers && !prev.memberKeys ? [...new Set((g.members ?? []).map((m) => m.value))].sort() : null,
    member_ids: prev.memberKeys ? keyedMembers(prev.memberKeys, (g.members ?? []).map((m) => m.value)) : null,
    existing_id: asString(prev.existing_id ?? null),
    meta: metaValue(g.meta),
  };
}

function desiredGroup(planned: ObjectValue): ScimGroup {
  const g: ScimGroup = { displayName: String(planned.display_name) };
  const ext = asString(planned.external_id);
  if (ext !== null) g.externalId = ext;
  return g;
}

/** Sends a membership difference. Batching is the client's job: PATCH bodies of at most `member_batch_size` members
 * (else the profile default), each with adds and removes, so a change within one batch is ONE request; else a PUT. */
export async function applyMemberChanges(client: ScimClient, groupId: string, add: string[], remove: string[]): Promise<void> {
  if (add.length || remove.length) await client.updateGroupMembers(groupId, add, remove);
}

function requireGroups(client: ScimClient): void {
  if (!client.profile.supportsGroups) throw groupsUnsupported(client.profile, GROUP_TYPE);
}

// --------------------------------------------------------------------------------------------- resource

async function readGroup(client: ScimClient, id: string, managedMembers: boolean): Promise<ScimGroup | undefined> {
  return client.getGroup(id, { excludeMembers: !managedMembers });
}

/** Brings a group just created or adopted to the planned state and returns the new state (the planned values;
 * the server's where the plan said "known after apply"). */
async function converge(client: ScimClient, id: string, planned: ObjectValue, current: ScimGroup | undefined): Promise<{ state: ObjectValue; removed: string[] }> {
  const desiredMembers = knownMembers(membershipValue(planned));
  const managed = desiredMembers !== null;
  let cur = current ?? (await client.getGroup(id, { excludeMembers: !managed, fresh: true }));
  if (!cur) throw new DiagnosticError('Group disappeared', `group ${id} was not found on the server right after it was created or adopted; run apply again.`);
  const want = desiredGroup(planned);
  const needsAttrs = cur.displayName !== want.displayName || (want.externalId !== undefined && !sameExternalId(cur.externalId, want.externalId));
  if (needsAttrs) cur = { ...(await client.updateGroup(id, cur, { ...cur, ...want })), members: cur.members };
  let removed: string[] = [];
  if (managed && desiredMembers) {
    const { add, remove } = memberDiff((cur.members ?? []).map((m) => m.value), desiredMembers);
    await applyMemberChanges(client, id, add, remove);
    removed = remove;
  }
  const after = await readGroup(client, id, managed);
  if (!after) throw new DiagnosticError('Group disappeared', `group ${id} was not found on the server after apply; run apply again.`);
  return { state: settledState(planned, groupState(after, { display_name: planned.display_name, external_id: planned.external_id, managedMembers: managed, memberKeys: memberKeysOf(planned) })), removed };
}

export const groupResource: ResourceType<ScimProviderData> = {
  name: GROUP_TYPE,
  schema: groupSchema,

  validate(config) {
    const diags: Diagnostic[] = [];
    const name = config.display_name;
    if (typeof name === 'string' && !name.trim())
      diags.push({ severity: 'error', summary: 'Empty display_name', detail: 'display_name must not be empty.', path: ['display_name'] });
    const members = config.members;
    if (Array.isArray(members))
      for (const m of members)
        if (typeof m === 'string' && !m.trim())
          diags.push({ severity: 'error', summary: 'Empty member id', detail: 'members must not contain an empty id.', path: ['members'] });
    diags.push(...memberMapDiagnostics(config));
    return diags;
  },

  async plan(req: PlanRequest, ctx): Promise<PlanResponse> {
    const planned: ObjectValue = { ...req.proposed };
    const diagnostics: Diagnostic[] = [];
    const client = optionalClient(ctx);
    if (client) requireGroups(client);
    let adoptId: string | null = null;
    const twin = twinCheck(ctx.providerData, planned.display_name, planned.external_id);
    if (twin) return { planned, diagnostics: [twin] };

    if (req.prior === null) {
      planned.id = Unknown;
      planned.meta = Unknown;
      // Always "known after apply": apply looks the group up again (a saved plan must survive a group created in
      // the app between plan and apply). The lookup here only announces an adoption.
      planned.existing_id = Unknown;
      const name = planned.display_name;
      if (client && typeof name === 'string') {
        try {
          const existing = await client.findGroup({ displayName: name });
          if (existing?.id) {
            adoptId = existing.id;
            diagnostics.push({
              severity: 'warning',
              summary: `scim_group "${name}" will adopt existing group ${existing.id}`,
              detail: `A group named "${existing.displayName}" already exists (id ${existing.id}); apply adopts it and brings it to this configuration instead of creating a duplicate.`,
              path: ['display_name'],
            });
          }
        } catch (e) {
          throw toDiagnostic(e, `Could not look up group "${name}"`, ['display_name']);
        }
      }
    } else {
      planned.id = req.prior.id;
      planned.existing_id = req.prior.existing_id ?? null;
      // members → null only stops managing the membership: nothing is sent, so meta stays as it is.
      const plannedSet = membershipValue(planned), priorSet = membershipValue(req.prior);
      const releasing = plannedSet === null && priorSet !== null;
      const changed =
        planned.display_name !== req.prior.display_name ||
        (planned.external_id !== req.prior.external_id && !isUnknown(planned.external_id)) ||
        (!releasing && !sameMembership(plannedSet, priorSet));
      // A write changes the server's modification stamp and version, nothing else in meta.
      const pm = req.prior.meta;
      planned.meta = !changed ? pm : isObject(pm) ? { ...pm, last_modified: Unknown, version: Unknown } : Unknown;
      if (releasing) {
        const count = Array.isArray(priorSet) ? priorSet.length : 0;
        diagnostics.push({
          severity: 'warning',
          summary: `members of "${String(planned.display_name)}" will no longer be managed`,
          detail:
            `members was removed from the configuration, so the plan shows it changing to null. Apply does not remove anyone: ` +
            `the ${count} current member(s) stay in the group, and later membership changes made elsewhere are not drift. ` +
            'To remove every member, set members = [] instead.',
          path: ['members'],
        });
      }
    }

    // Taking over the membership of a group whose members were not managed (an adopted group, or `members` newly
    // set): the plan diff cannot show who leaves, so say it.
    const declared = membershipValue(planned);
    const takeoverId = req.prior === null ? adoptId : membershipValue(req.prior) === null ? asString(req.prior.id) : null;
    if (client && takeoverId && Array.isArray(declared)) {
      try {
        const warning = await takeoverWarning(client, takeoverId, declared, String(planned.display_name));
        if (warning) diagnostics.push(warning);
      } catch (e) {
        throw toDiagnostic(e, 'Could not read the current members of the group', ['members']);
      }
    }

    // Members being added must exist on the server (checked through the client's read cache).
    const want = knownMembers(declared);
    if (client && want) {
      const had = req.prior ? knownMembers(membershipValue(req.prior)) ?? [] : [];
      const added = memberDiff(had, want).add;
      if (added.length) {
        try {
          diagnostics.push(...unknownMemberDiagnostics(await unknownUsers(client, added)));
        } catch (e) {
          throw toDiagnostic(e, 'Could not check the group members', ['members']);
        }
      }
    }
    return { planned, diagnostics };
  },

  async create(req, ctx) {
    const client = requireClient(ctx, GROUP_TYPE);
    requireGroups(client);
    const planned = req.planned;
    const managed = knownMembers(membershipValue(planned)) !== null;
    try {
      // Looked up now, not taken from the plan: the group may have been created (or deleted) since.
      let existing = await client.findGroup({ displayName: String(planned.display_name) });
      if (existing?.id) existing = await client.getGroup(existing.id, { excludeMembers: !managed, fresh: true });
      if (existing?.id) {
        ctx.log.info('adopting existing group', { id: existing.id });
        const { state, removed } = await converge(client, existing.id, planned, existing);
        return { state: { ...state, existing_id: existing.id }, diagnostics: adoptionRemovals(String(planned.display_name), existing.id, removed) };
      }
      const want = desiredGroup(planned);
      // POST without members, then the members as PATCH batches (large groups never go in one body).
      const { group, adopted } = await client.createGroup({ ...want, members: [] });
      if (!group.id) throw new DiagnosticError('Invalid server answer', `POST /Groups for "${want.displayName}" returned no id.`);
      if (adopted) ctx.log.info('group already existed; adopted', { id: group.id });
      try {
        const { state, removed } = await converge(client, group.id, planned, adopted ? undefined : { ...group, members: group.members ?? [] });
        return { state: { ...state, existing_id: adopted ? group.id : null }, diagnostics: adoptionRemovals(want.displayName, group.id, removed) };
      } catch (e) {
        if (!isScimClientError(e, 'SCIM_ABORTED')) throw e;
        // Not recorded in the state (Terraform would taint it, and replace the group next time): the next plan
        // finds it by display_name and adopts it.
        throw new DiagnosticError(
          `Apply of scim_group "${want.displayName}" was cancelled after the group was created (SCIM id ${group.id})`,
          'The group exists on the server, possibly with only some of its members. Run terraform plan again: it finds ' +
            'the group by display_name and adopts it (no duplicate), then apply completes the membership.',
        );
      }
    } catch (e) {
      throw toDiagnostic(e, `Could not create group "${String(planned.display_name)}"`);
    }
  },

  async read(req, ctx) {
    // Provider configuration not known yet (it depends on values computed during apply): keep the state.
    if (!optionalClient(ctx)) return { state: req.state };
    const client = requireClient(ctx, GROUP_TYPE);
    const id = String(req.state.id);
    const managed = membershipValue(req.state) !== null;
    try {
      const g = await readGroup(client, id, managed);
      if (!g) return { state: null };
      return { state: groupState(g, { display_name: req.state.display_name, external_id: req.state.external_id, existing_id: req.state.existing_id, managedMembers: managed, memberKeys: memberKeysOf(req.state) }) };
    } catch (e) {
      throw toDiagnostic(e, `Could not read group ${id}`);
    }
  },

  async update(req, ctx) {
    const client = requireClient(ctx, GROUP_TYPE);
    requireGroups(client);
    const id = String(req.prior.id);
    const ref = { displayName: String(req.prior.display_name), id };
    if (unchangedOnServer(req.prior, req.planned)) return { state: req.planned }; // e.g. members → member_ids: no request
    try {
      const priorMembers = knownMembers(membershipValue(req.prior)) ?? null;
      const desiredMembers = knownMembers(membershipValue(req.planned)) ?? null;
      // Read fresh (never the listing cache): the plan is checked against what the server has now.
      const read = () => client.getGroup(id, { excludeMembers: desiredMembers === null, fresh: true });
      let current = await read();
      if (!current) throw deletedSincePlanError(ref);
      for (let attempt = 1; ; attempt++) {
        // Every planned attribute is checked before anything is written.
        const writes = attributeWrites(ref, req.prior, req.planned, current);
        if (writes.displayName === undefined && writes.externalId === undefined) break;
        try {
          // If-Match the version just read: an edit racing this write makes the server answer 412.
          await client.updateGroup(id, current, withWrites(current, writes), { ifMatch: current.meta?.version });
          break;
        } catch (e) {
          if (!isScimClientError(e) || e.status !== 412) throw e;
          if (attempt >= 2) throw keepsChangingError(ref);
          current = await read();
          if (!current) throw deletedSincePlanError(ref);
        }
      }
      const { add, remove } = memberWrites(priorMembers, desiredMembers, (current.members ?? []).map((m) => m.value));
      await applyMemberChanges(client, id, add, remove);
      const after = await readGroup(client, id, desiredMembers !== null);
      if (!after) throw deletedSincePlanError(ref);
      const server = groupState(after, { display_name: req.planned.display_name, external_id: req.planned.external_id, existing_id: req.prior.existing_id, managedMembers: desiredMembers !== null, memberKeys: memberKeysOf(req.planned) });
      return { state: settledState(req.planned, server) };
    } catch (e) {
      // A 404 while writing: deleted between the fresh read and the write?
      if (isScimClientError(e, 'SCIM_NOT_FOUND') && !(await client.getGroup(id, { excludeMembers: true, fresh: true }).catch(() => true))) throw deletedSincePlanError(ref);
      throw toDiagnostic(e, `Could not update group ${id}`);
    }
  },

  async delete(req, ctx) {
    const client = requireClient(ctx, GROUP_TYPE);
    const id = String(req.prior.id);
    try {
      await client.deleteGroup(id);
      return {};
    } catch (e) {
      throw toDiagnostic(e, `Could not delete group ${id}`);
    }
  },

  async import(importId, ctx) {
    const client = requireClient(ctx, GROUP_TYPE);
    requireGroups(client);
    const { id, memberKeys } = parseGroupImportId(importId);
    const byName = /^display_name=(.+)$/s.exec(id);
    try {
      const g = byName ? await client.findGroup({ displayName: byName[1] }) : await client.getGroup(id);
      if (!g?.id) {
        throw new DiagnosticError(
          'Cannot import scim_group',
          byName
            ? `no group with displayName "${byName[1]}" exists on the server. Import by "<id>" or "display_name=<name>".`
            : `no group with id "${id}" exists on the server. Import by "<id>" or "display_name=<name>".`,
        );
      }
      const full = g.members ? g : ((await client.getGroup(g.id)) ?? g);
      return { state: groupState(full, { managedMembers: true, ...(memberKeys ? { memberKeys } : {}) }) };
    } catch (e) {
      throw toDiagnostic(e, `Could not import group "${id}"`);
    }
  },
};
