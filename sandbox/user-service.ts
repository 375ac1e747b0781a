// User operations of a tenant: create, replace (PUT), patch, delete as the emulated app performs
// them (validation through scimmy, tenant quirks, uniqueness, versions), plus the out-of-band
// operations of the admin API (create as the app's own UI would, drift merge, hard delete).
import { randomUUID } from 'node:crypto';
import { applyPatch, readPatchRequest } from './patch-request';
import { checkSchemas, coerceResource, inspectBody, USER_SCHEMA } from './scim-schemas';
import { invalidSyntax, invalidValue, mutability, notFound, preconditionFailed } from './scim-error';
import type { TenantContext } from './tenant-context';
import type { StoredRecord } from './tenant-store';
import { applyUserQuirks, checkPatchableUserPaths, deactivates } from './user-quirks';

export const now = () => new Date().toISOString();
const SERVER_KEYS = new Set(['id', 'meta', 'groups', 'password', 'schemas']);

/** Status shown by the web page and the admin API. */
export type UserStatus = 'active' | 'inactive' | 'pending';
export const userStatus = (rec: StoredRecord): UserStatus => (rec.pending ? 'pending' : rec.data.active === false ? 'inactive' : 'active');

export function requireRecord(map: Map<string, StoredRecord>, kind: 'User' | 'Group', id: string): StoredRecord {
  const rec = map.get(id);
  if (!rec) throw notFound(`${kind} '${id}' not found`);
  return rec;
}

/** If-Match (RFC 7644 §3.14): `*` or the current version (weak or strong form). */
export function checkIfMatch(rec: StoredRecord, kind: string, ifMatch: string | undefined): void {
  if (!ifMatch) return;
  const tags = ifMatch.split(',').map((t) => t.trim());
  if (tags.includes('*')) return;
  if (!tags.some((t) => t.replace(/^W\//, '').replace(/"/g, '') === String(rec.version))) {
    throw preconditionFailed(`If-Match ${ifMatch} does not match the current version W/"${rec.version}" of ${kind} ${rec.id}; read it again and retry`);
  }
}

function stripServerKeys(data: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(data)) if (SERVER_KEYS.has(key.toLowerCase())) delete data[key];
  return data;
}

function asObject(body: unknown, what: string): Record<string, unknown> {
  if (body === undefined) throw invalidSyntax(`${what} needs a JSON body`);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalidSyntax(`${what} body must be a JSON object`);
  return body as Record<string, unknown>;
}

/** Validates a User body (POST/PUT) and returns the attributes to store. */
function prepareUser(body: unknown, mode: 'create' | 'replace'): Record<string, unknown> {
  const obj = asObject(body, mode === 'create' ? 'POST /Users' : 'PUT /Users/{id}');
  checkSchemas('User', obj);
  const copy = structuredClone(obj);
  const report = inspectBody('User', copy);
  if (mode === 'create' && report.readOnly.length) {
    throw mutability(`Attribute '${report.readOnly[0]}' is read-only${report.readOnly[0].toLowerCase() === 'groups' ? '; add the user to groups through /Groups' : ''}`);
  }
  stripServerKeys(copy);
  return stripServerKeys(coerceResource('User', copy, 'in'));
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function save(ctx: TenantContext, rec: StoredRecord, data: Record<string, unknown>, pending: boolean): StoredRecord {
  if (same(rec.data, data) && !!rec.pending === pending) return rec;
  ctx.store.assertUserUnique(data, rec.id);
  const next: StoredRecord = { id: rec.id, data, created: rec.created, lastModified: now(), version: rec.version + 1, ...(pending ? { pending: true } : {}) };
  ctx.store.putUser(next);
  return next;
}

export function createUser(ctx: TenantContext, body: unknown, status?: UserStatus): StoredRecord {
  const data = prepareUser(body, 'create');
  if (status) data.active = status === 'active';
  if (data.active === undefined) data.active = true;
  applyUserQuirks(ctx.profile, data);
  ctx.store.assertUserUnique(data);
  const t = now();
  const pending = status ? status === 'pending' : ctx.profile.pendingUsers && data.active === false;
  const rec: StoredRecord = { id: randomUUID(), data, created: t, lastModified: t, version: 1, ...(pending ? { pending: true } : {}) };
  ctx.store.putUser(rec);
  return rec;
}

export function replaceUser(ctx: TenantContext, id: string, body: unknown, ifMatch?: string): StoredRecord {
  const rec = requireRecord(ctx.store.users, 'User', id);
  checkIfMatch(rec, 'User', ifMatch);
  const data = prepareUser(body, 'replace');
  // An omitted `active` keeps the current state (never silently deactivates).
  if (data.active === undefined) data.active = rec.data.active ?? true;
  applyUserQuirks(ctx.profile, data, rec.data);
  return save(ctx, rec, data, !!rec.pending && data.active !== true);
}

export async function patchUser(ctx: TenantContext, id: string, body: unknown, ifMatch?: string): Promise<StoredRecord> {
  const rec = requireRecord(ctx.store.users, 'User', id);
  checkIfMatch(rec, 'User', ifMatch);
  const ops = readPatchRequest('User', body);
  checkPatchableUserPaths(ctx.profile, ops);
  if (ctx.profile.pendingUsers && rec.pending && deactivates(ops)) {
    throw invalidValue(`User ${id} is pending on ${ctx.profile.title} (invited, never activated) and cannot be deactivated; it already has active=false. Activate it first or leave it pending`);
  }
  const patched = await applyPatch('User', { schemas: [USER_SCHEMA], id, ...rec.data }, ops);
  if (!patched) return rec;
  stripServerKeys(patched);
  const data = stripServerKeys(coerceResource('User', patched, 'in'));
  if (data.active === undefined) data.active = rec.data.active ?? true;
  applyUserQuirks(ctx.profile, data, rec.data);
  return save(ctx, rec, data, !!rec.pending && data.active !== true);
}

/** DELETE: removes the user (and its memberships), or only deactivates it where the app does so (Promapp). */
export function deleteUser(ctx: TenantContext, id: string, ifMatch?: string): void {
  const rec = requireRecord(ctx.store.users, 'User', id);
  checkIfMatch(rec, 'User', ifMatch);
  if (ctx.profile.deleteMeans === 'deactivate') save(ctx, rec, { ...rec.data, active: false }, false);
  else ctx.store.deleteUser(id, now());
}

// ---- admin (out of band) ------------------------------------------------------------------------

function takeStatus(body: unknown): { body: unknown; status?: UserStatus } {
  if (!body || typeof body !== 'object' || Array.isArray(body) || !('sandboxStatus' in body)) return { body };
  const { sandboxStatus, ...rest } = body as Record<string, unknown>;
  if (sandboxStatus !== 'active' && sandboxStatus !== 'inactive' && sandboxStatus !== 'pending') {
    throw invalidValue(`sandboxStatus must be "active", "inactive" or "pending", got ${JSON.stringify(sandboxStatus)}`);
  }
  return { body: rest, status: sandboxStatus };
}

/** Out-of-band create (an account made in the app itself); `sandboxStatus: "pending"` makes a pending user. */
export function adminCreateUser(ctx: TenantContext, body: unknown): StoredRecord {
  const { body: rest, status } = takeStatus(body);
  return createUser(ctx, rest, status);
}

/** Drift: shallow-merges attributes (null removes one), bypassing the tenant's quirks. */
export function adminPatchUser(ctx: TenantContext, id: string, attrs: unknown): StoredRecord {
  const rec = requireRecord(ctx.store.users, 'User', id);
  const { body, status } = takeStatus(attrs);
  const changes = stripServerKeys({ ...asObject(body, 'Admin user patch') });
  const merged: Record<string, unknown> = { ...rec.data };
  for (const [key, value] of Object.entries(changes)) {
    const existing = Object.keys(merged).find((k) => k.toLowerCase() === key.toLowerCase());
    if (existing) delete merged[existing];
    if (value !== null) merged[key] = value;
  }
  inspectBody('User', merged);
  const data = stripServerKeys(coerceResource('User', merged, 'in'));
  if (status) data.active = status === 'active';
  return save(ctx, rec, data, status ? status === 'pending' : !!rec.pending && data.active !== true);
}

/** Hard delete, whatever DELETE means for the tenant. */
export function adminDeleteUser(ctx: TenantContext, id: string): void {
  requireRecord(ctx.store.users, 'User', id);
  ctx.store.deleteUser(id, now());
}
