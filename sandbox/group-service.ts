// Group operations of a tenant: create, replace (PUT), patch (members add/remove/replace through
// scimmy), delete, and the admin API's out-of-band variants. Members must be users of the tenant.
import { randomUUID } from 'node:crypto';
import { Types } from 'scimmy';
import { applyPatch, readPatchRequest, type PatchOperation } from './patch-request';
import { checkSchemas, coerceResource, GROUP_SCHEMA, inspectBody } from './scim-schemas';
import { badRequest, invalidSyntax, invalidValue } from './scim-error';
import type { TenantContext } from './tenant-context';
import type { StoredRecord } from './tenant-store';
import { checkIfMatch, now, requireRecord } from './user-service';

const SERVER_KEYS = new Set(['id', 'meta', 'schemas', 'members']);

function stripServerKeys(data: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(data)) if (SERVER_KEYS.has(key.toLowerCase())) delete data[key];
  return data;
}

/** Member ids of coerced group JSON; each must be an existing user of the tenant. */
function memberIds(ctx: TenantContext, members: unknown): string[] {
  if (members === undefined || members === null) return [];
  if (!Array.isArray(members)) throw invalidValue(`'members' must be an array of {"value": "<user id>"}`);
  const ids = members.map((m, i) => {
    const value = (m as { value?: unknown } | null)?.value;
    const type = (m as { type?: unknown } | null)?.type;
    if (typeof value !== 'string' || !value) throw invalidValue(`members[${i}] needs a 'value' holding a user id`);
    if (typeof type === 'string' && type.toLowerCase() !== 'user') throw invalidValue(`members[${i}] has type '${type}': groups of ${ctx.profile.title} hold users only`);
    return value;
  });
  const unknown = ids.filter((id) => !ctx.store.users.has(id));
  if (unknown.length) {
    throw invalidValue(`Member${unknown.length > 1 ? 's' : ''} ${unknown.slice(0, 5).map((id) => `'${id}'`).join(', ')}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ''} ${unknown.length > 1 ? 'are not users' : 'is not a user'} of tenant ${ctx.profile.name}: members must be ids of existing users`);
  }
  return [...new Set(ids)];
}

function prepareGroup(ctx: TenantContext, body: unknown, what: string): { data: Record<string, unknown>; members: string[] } {
  if (body === undefined) throw invalidSyntax(`${what} needs a JSON body`);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalidSyntax(`${what} body must be a JSON object`);
  checkSchemas('Group', body as Record<string, unknown>);
  const copy = structuredClone(body as Record<string, unknown>);
  inspectBody('Group', copy);
  for (const key of Object.keys(copy)) if (['id', 'meta'].includes(key.toLowerCase())) delete copy[key];
  const coerced = coerceResource('Group', copy, 'in');
  const members = memberIds(ctx, coerced.members);
  return { data: stripServerKeys(coerced), members };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function save(ctx: TenantContext, rec: StoredRecord, data: Record<string, unknown>, members: string[]): StoredRecord {
  if (same(rec.data, data) && same(rec.members ?? [], members)) return rec;
  ctx.store.assertGroupUnique(data, rec.id);
  const next: StoredRecord = { id: rec.id, data, members, created: rec.created, lastModified: now(), version: rec.version + 1 };
  ctx.store.putGroup(next);
  return next;
}

export function createGroup(ctx: TenantContext, body: unknown): StoredRecord {
  const { data, members } = prepareGroup(ctx, body, 'POST /Groups');
  ctx.store.assertGroupUnique(data);
  const t = now();
  const rec: StoredRecord = { id: randomUUID(), data, members, created: t, lastModified: t, version: 1 };
  ctx.store.putGroup(rec);
  return rec;
}

export function replaceGroup(ctx: TenantContext, id: string, body: unknown, ifMatch?: string): StoredRecord {
  const rec = requireRecord(ctx.store.groups, 'Group', id);
  checkIfMatch(rec, 'Group', ifMatch);
  const { data, members } = prepareGroup(ctx, body, 'PUT /Groups/{id}');
  return save(ctx, rec, data, members);
}

/**
 * The members a PATCH can touch, when it names them by id: adds of `members`, removals of
 * `members[value eq "id"]` or of `members` with a value list. undefined = the operations need the whole
 * member list (replace, other filters). Lets scimmy work on a few members of a 10,000-member group.
 */
function memberFocus(ops: PatchOperation[]): Set<string> | undefined {
  const focus = new Set<string>();
  for (const op of ops) {
    if (op.path === undefined) {
      if (Object.keys((op.value ?? {}) as object).some((k) => k.toLowerCase().startsWith('members'))) return undefined;
      continue;
    }
    const path = op.path.toLowerCase();
    if (!path.startsWith('members')) continue;
    if (path === 'members' && op.op === 'add') continue;
    if (path === 'members' && op.op === 'remove' && Array.isArray(op.value)) {
      for (const v of op.value) {
        const value = (v as { value?: unknown } | null)?.value;
        if (typeof value !== 'string') return undefined;
        focus.add(value);
      }
      continue;
    }
    const m = /^members\[(.*)\]$/is.exec(op.path);
    if (!m || op.op !== 'remove') return undefined;
    let filter: InstanceType<typeof Types.Filter>;
    try {
      filter = new Types.Filter(m[1]);
    } catch {
      return undefined; // scimmy will report the bad filter on the full list
    }
    const terms = filter.length === 1 ? Object.entries(filter[0] as Record<string, unknown>) : [];
    const expr = terms.length === 1 && terms[0][0].toLowerCase() === 'value' ? terms[0][1] : undefined;
    if (!Array.isArray(expr) || expr.length !== 2 || expr[0] !== 'eq' || typeof expr[1] !== 'string') return undefined;
    focus.add(expr[1]);
  }
  return focus;
}

/** The strictMemberRemove fault: a removal (by `members[value eq "id"]` or a value list) of a non-member → 400 noTarget. */
function rejectAbsentRemovals(ops: PatchOperation[], members: string[]): void {
  const have = new Set(members);
  for (const op of ops) {
    if (op.op !== 'remove' || op.path === undefined) continue;
    const byFilter = /^members\[value eq "((?:[^"\\]|\\.)*)"\]$/i.exec(op.path);
    const ids = byFilter ? [JSON.parse(`"${byFilter[1]}"`) as string] : op.path.toLowerCase() === 'members' && Array.isArray(op.value) ? op.value.map((v) => String((v as { value?: unknown })?.value)) : [];
    const absent = ids.find((id) => !have.has(id));
    if (absent !== undefined) throw badRequest('noTarget', `PATCH remove: '${absent}' is not a member of this group`);
  }
}

export async function patchGroup(ctx: TenantContext, id: string, body: unknown, ifMatch?: string): Promise<StoredRecord> {
  const rec = requireRecord(ctx.store.groups, 'Group', id);
  checkIfMatch(rec, 'Group', ifMatch);
  const ops = readPatchRequest('Group', body);
  const all = rec.members ?? [];
  if (ctx.faults.strictMemberRemove()) rejectAbsentRemovals(ops, all);
  const focus = memberFocus(ops);
  const given = focus ? all.filter((m) => focus.has(m)) : all;
  const resource = { schemas: [GROUP_SCHEMA], id, ...rec.data, ...(given.length ? { members: given.map((value) => ({ value })) } : {}) };
  const patched = await applyPatch('Group', resource, ops);
  if (!patched) return rec;
  const after = memberIds(ctx, patched.members);
  let members = after;
  if (focus) {
    // Members scimmy did not see are untouched: keep them in place, drop the removed ones, append the new ones.
    const afterSet = new Set(after);
    const givenSet = new Set(given);
    const allSet = new Set(all);
    members = [...all.filter((m) => !givenSet.has(m) || afterSet.has(m)), ...after.filter((m) => !allSet.has(m))];
  }
  const data = stripServerKeys(coerceResource('Group', stripServerKeys(patched), 'in'));
  return save(ctx, rec, data, members);
}

export function deleteGroup(ctx: TenantContext, id: string, ifMatch?: string): void {
  const rec = requireRecord(ctx.store.groups, 'Group', id);
  checkIfMatch(rec, 'Group', ifMatch);
  ctx.store.deleteGroup(id);
}

// ---- admin (out of band) ------------------------------------------------------------------------

/** Accepts members as ids or {value} objects. */
function normaliseMembers(body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const obj = { ...(body as Record<string, unknown>) };
  if (Array.isArray(obj.members)) obj.members = obj.members.map((m) => (typeof m === 'string' ? { value: m } : m));
  return obj;
}

export function adminCreateGroup(ctx: TenantContext, body: unknown): StoredRecord {
  return createGroup(ctx, normaliseMembers(body));
}

/** Drift: shallow-merges displayName/externalId/members (members replace the whole list; null removes). */
export function adminPatchGroup(ctx: TenantContext, id: string, attrs: unknown): StoredRecord {
  const rec = requireRecord(ctx.store.groups, 'Group', id);
  const changes = normaliseMembers(attrs);
  if (!changes || typeof changes !== 'object' || Array.isArray(changes)) throw invalidSyntax('Admin group patch body must be a JSON object');
  const merged: Record<string, unknown> = { ...rec.data, members: (rec.members ?? []).map((value) => ({ value })) };
  for (const [key, value] of Object.entries(changes as Record<string, unknown>)) {
    if (['id', 'meta', 'schemas'].includes(key.toLowerCase())) continue;
    const existing = Object.keys(merged).find((k) => k.toLowerCase() === key.toLowerCase());
    if (existing) delete merged[existing];
    if (value !== null) merged[key] = value;
  }
  const { data, members } = prepareGroup(ctx, merged, 'Admin group patch');
  return save(ctx, rec, data, members);
}

export function adminDeleteGroup(ctx: TenantContext, id: string): void {
  requireRecord(ctx.store.groups, 'Group', id);
  ctx.store.deleteGroup(id);
}
