// The ScimClient's group operations (no memberships: group-memberships.ts): reads from the read cache or
// fresh by id, create with adoption (then the members in batches), displayName/externalId changes by PATCH or
// by a PUT that keeps the members, and delete.
import { checkAborted, requireGroups, type ClientContext } from './client-context';
import { postWithAdoption } from './create-with-adoption';
import { ScimClientError, isScimClientError } from './errors';
import { resourcePath } from './filter';
import { updateGroupMembers } from './group-memberships';
import type { HttpResponse } from './http-transport';
import { cloneJson } from './json-clone';
import { parseGroup, type ScimGroup } from './model';
import { opName, patchBody, type PatchOperation } from './patch-builder';
import { findGroupDirect, getGroupById, listGroupsChecked, locationId, withoutMembers, type GroupQuery } from './server-reads';
import { groupPostBody, groupPutBody } from './wire';

const lower = (s: string) => s.toLowerCase();
const clone = <T>(v: T | undefined): T | undefined => (v === undefined ? undefined : cloneJson(v));
const isEmpty = (v: unknown) => v === undefined || v === null || v === '';

export async function getGroup(c: ClientContext, id: string, opts: { excludeMembers?: boolean; fresh?: boolean }): Promise<ScimGroup | undefined> {
  checkAborted(c);
  requireGroups(c, 'reading groups');
  if (opts.fresh) return clone(await getGroupById(c, id, opts.excludeMembers === true));
  const cache = opts.excludeMembers && !c.caches.groupsFull.warm ? c.caches.groupsLite : c.caches.groupsFull;
  if (await cache.ensure()) {
    const hit = cache.get(id);
    if (hit.hit && hit.value) return clone(opts.excludeMembers ? withoutMembers(hit.value) : hit.value);
  }
  return clone(await getGroupById(c, id, opts.excludeMembers === true));
}

export async function findGroup(c: ClientContext, q: GroupQuery): Promise<ScimGroup | undefined> {
  checkAborted(c);
  requireGroups(c, 'finding groups');
  const cache = c.caches.groupsFull.warm ? c.caches.groupsFull : c.caches.groupsLite;
  if (await cache.ensure()) {
    const hit = cache.findByKeys([q.displayName !== undefined ? `displayName:${lower(q.displayName)}` : undefined, q.externalId ? `externalId:${q.externalId}` : undefined]);
    if (hit.hit) return hit.value && clone(withoutMembers(hit.value));
  }
  return clone(await findGroupDirect(c, q));
}

export async function listGroups(c: ClientContext, opts: { filter?: string; excludeMembers?: boolean }): Promise<ScimGroup[]> {
  checkAborted(c);
  requireGroups(c, 'listing groups');
  const { items: groups, complete } = await listGroupsChecked(c, opts, 'list-groups');
  if (!opts.filter) (opts.excludeMembers ? c.caches.groupsLite : c.caches.groupsFull).fill(groups.map((g) => cloneJson(g)), complete);
  return groups;
}

export async function createGroup(c: ClientContext, group: ScimGroup): Promise<{ group: ScimGroup; adopted: boolean }> {
  checkAborted(c);
  requireGroups(c, 'creating groups');
  const body = groupPostBody(group);
  const found = await postWithAdoption(c, {
    collection: '/Groups',
    body,
    action: 'create-group',
    lookup: () => findGroupDirect(c, { displayName: group.displayName, externalId: group.externalId }),
    what: `group ${group.displayName}`,
  });
  if (found.adopted) {
    const full = (await getGroupById(c, found.value.id!, false)) ?? found.value;
    putGroup(c, full);
    return { group: clone(full)!, adopted: true };
  }
  let created = parseGroupOr(c, found.response, body);
  const members = [...new Set((group.members ?? []).map((m) => m.value))];
  if (created.id && members.length) {
    try {
      await updateGroupMembers(c, created.id, members, []);
    } catch (e) {
      if (e instanceof ScimClientError) {
        throw new ScimClientError(e.code, `group ${group.displayName} was created (id ${created.id}) but adding its members failed: ${e.message}`, e);
      }
      throw e;
    }
    created = { ...created, members: members.map((value) => ({ value })) };
  }
  putGroup(c, created);
  return { group: clone(created)!, adopted: false };
}

export async function updateGroup(c: ClientContext, id: string, current: ScimGroup, desired: ScimGroup, opts: { ifMatch?: string }): Promise<ScimGroup> {
  checkAborted(c);
  requireGroups(c, 'updating groups');
  const changes: Partial<Pick<ScimGroup, 'displayName' | 'externalId'>> = {};
  const ops: PatchOperation[] = [];
  if (desired.displayName !== current.displayName) {
    changes.displayName = desired.displayName;
    ops.push({ op: opName('replace', c.profile), path: 'displayName', value: desired.displayName });
  }
  if ((desired.externalId ?? '') !== (current.externalId ?? '')) {
    changes.externalId = desired.externalId;
    ops.push(isEmpty(desired.externalId) ? { op: opName('remove', c.profile), path: 'externalId' } : { op: opName('replace', c.profile), path: 'externalId', value: desired.externalId });
  }
  if (ops.length === 0) return current;
  const path = resourcePath('/Groups', id);
  const headers = opts.ifMatch ? { 'if-match': opts.ifMatch } : undefined;
  let res: HttpResponse;
  try {
    if (await c.patchSupported()) {
      res = await c.http.request({ method: 'PATCH', path, body: patchBody(ops), contentType: c.profile.patchContentType, action: 'update-group', headers });
    } else {
      const base = await getGroupById(c, id, false);
      if (!base) throw new ScimClientError('SCIM_NOT_FOUND', `cannot update group ${id}: ${c.http.endpoint}${path} does not exist`, { status: 404 });
      const putHeaders = headers ?? (base.meta?.version ? { 'if-match': base.meta.version } : undefined);
      res = await c.http.request({ method: 'PUT', path, body: groupPutBody(base, changes, (base.members ?? []).map((m) => m.value)), action: 'update-group', headers: putHeaders });
    }
  } catch (e) {
    if (isScimClientError(e) && e.status === 412) {
      c.caches.groupsFull.invalidate(id);
      c.caches.groupsLite.invalidate(id);
    }
    throw e;
  }
  const updated = tryParseGroup(res.body) ?? (await getGroupById(c, id, current.members === undefined));
  if (!updated) throw new ScimClientError('SCIM_NOT_FOUND', `group ${id} disappeared during update at ${c.http.endpoint}${path}`, { status: 404 });
  c.caches.groupsLite.put(withoutMembers(updated));
  if (updated.members !== undefined) c.caches.groupsFull.put(updated);
  else c.caches.groupsFull.invalidate(id);
  return updated;
}

export async function deleteGroup(c: ClientContext, id: string): Promise<void> {
  checkAborted(c);
  requireGroups(c, 'deleting groups');
  try {
    await c.http.request({ method: 'DELETE', path: resourcePath('/Groups', id), action: 'delete-group' });
  } catch (e) {
    if (!isScimClientError(e, 'SCIM_NOT_FOUND')) throw e;
  }
  c.caches.groupsFull.remove(id);
  c.caches.groupsLite.remove(id);
}

function putGroup(c: ClientContext, g: ScimGroup): void {
  c.caches.groupsLite.put(withoutMembers(g));
  if (g.members !== undefined) c.caches.groupsFull.put(g);
}

function tryParseGroup(body: unknown): ScimGroup | undefined {
  if (body === undefined) return undefined;
  try {
    return parseGroup(body);
  } catch {
    return undefined;
  }
}

/** A POST's answer as a group: its body, else the posted group with the id of the Location header. */
function parseGroupOr(c: ClientContext, res: HttpResponse, fallback: ScimGroup): ScimGroup {
  const g = tryParseGroup(res.body);
  if (g) return g;
  const id = locationId(res);
  if (!id) throw new ScimClientError('SCIM_INVALID_RESPONSE', `POST ${c.http.endpoint}/Groups returned neither a group nor a Location header`);
  return { ...fallback, id };
}
