// The ScimClient's user operations: reads (read cache first, or fresh from the server with the version for
// If-Match), create with adoption, the PATCH-or-PUT write of changed attributes as the profile allows,
// (de)activation and delete, and the mapping of a pending-user refusal to SCIM_PENDING_USER.
import { checkAborted, type ClientContext } from './client-context';
import { userChanges } from './compare';
import { postWithAdoption } from './create-with-adoption';
import { ScimClientError, isScimClientError, pendingUserError } from './errors';
import { resourcePath } from './filter';
import type { HttpResponse } from './http-transport';
import { cloneJson } from './json-clone';
import { parseUser, type ScimUser } from './model';
import { isPatchable, opName, patchBody, userPatchOperations, type PatchOperation } from './patch-builder';
import { fetchUser, findUserDirect, getUserById, listUsersChecked, locationId, type UserQuery } from './server-reads';
import { userPostBody, userPutBody } from './wire';

/** A user as the server has it now, with the version to send as If-Match (absent when the server gives none). */
export interface VersionedUser {
  user: ScimUser;
  version?: string;
}

export type UserListOptions = { filter?: string; attributes?: string[]; excludedAttributes?: string[] };

const lower = (s: string) => s.toLowerCase();
const clone = <T>(v: T | undefined): T | undefined => (v === undefined ? undefined : cloneJson(v));

/** The version of a resource for If-Match: the ETag response header, else meta.version of the body. */
function versionOf(res: HttpResponse, user: ScimUser | undefined): string | undefined {
  const tag = res.headers.etag;
  const fromHeader = Array.isArray(tag) ? tag[0] : tag;
  if (typeof fromHeader === 'string' && fromHeader.trim() !== '') return fromHeader.trim();
  const v = user?.meta?.version;
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

export async function getUser(c: ClientContext, id: string): Promise<ScimUser | undefined> {
  if (id === '') return undefined;
  checkAborted(c);
  const users = c.caches.users;
  if (await users.ensure()) {
    const hit = users.get(id);
    // A miss is confirmed by id: some servers leave (e.g. inactive) accounts out of listings.
    if (hit.hit && hit.value) return clone(hit.value);
  }
  return clone(await getUserById(c, id));
}

export async function findUser(c: ClientContext, q: UserQuery): Promise<ScimUser | undefined> {
  checkAborted(c);
  const users = c.caches.users;
  if (await users.ensure()) {
    const hit = users.findByKeys([q.userName !== undefined ? `userName:${lower(q.userName)}` : undefined, q.externalId ? `externalId:${q.externalId}` : undefined]);
    if (hit.hit) return clone(hit.value);
  }
  return clone(await findUserDirect(c, q));
}

export async function listUsers(c: ClientContext, opts: UserListOptions): Promise<ScimUser[]> {
  checkAborted(c);
  // userName is always asked for: a user without it cannot be parsed.
  const attributes = opts.attributes?.length && !opts.attributes.some((a) => a.toLowerCase() === 'username') ? [...opts.attributes, 'userName'] : opts.attributes;
  const { items: users, complete } = await listUsersChecked(c, { ...opts, attributes }, 'list-users');
  if (!opts.filter && !opts.attributes?.length && !opts.excludedAttributes?.length) c.caches.users.fill(users.map((u) => cloneJson(u)), complete);
  return users;
}

export async function createUser(c: ClientContext, user: ScimUser, opts: { confirmedAbsent?: boolean }): Promise<{ user: ScimUser; adopted: boolean }> {
  checkAborted(c);
  const body = userPostBody(c.profile.userNameIsEmail && !user.emails?.length ? { ...user, emails: [{ value: user.userName, type: 'work', primary: true }] } : user);
  const found = await postWithAdoption(c, {
    collection: '/Users',
    body,
    action: 'create-user',
    lookup: () => findUserDirect(c, { userName: user.userName, externalId: user.externalId }),
    what: `user ${user.userName}`,
    confirmedAbsent: opts.confirmedAbsent === true,
  });
  if (found.adopted) {
    c.caches.users.put(found.value);
    return { user: clone(found.value)!, adopted: true };
  }
  const created = parseUserOr(c, found.response, body);
  const full = created.id && !found.response.body ? await getUserById(c, created.id) : created;
  c.caches.users.put(full ?? created);
  return { user: clone(full ?? created)!, adopted: false };
}

export async function updateUser(c: ClientContext, id: string, current: ScimUser, desired: ScimUser, opts: { managed?: string[] }): Promise<ScimUser> {
  checkAborted(c);
  const changes = userChanges(current, desired, c.profile, opts.managed);
  if (changes.length === 0) return current;
  const deactivating = changes.includes('active') && desired.active === false;
  const path = resourcePath('/Users', id);
  try {
    if ((await c.patchSupported()) && changes.every((ch) => isPatchable(ch, c.profile))) {
      const res = await c.http.request({ method: 'PATCH', path, body: patchBody(userPatchOperations(changes, desired, c.profile)), contentType: c.profile.patchContentType, action: 'update-user' });
      return await userAfterWrite(c, id, res);
    }
    const base = (await freshUser(c, id)) ?? current;
    const res = await c.http.request({ method: 'PUT', path, body: userPutBody(base, desired, changes), action: 'update-user' });
    return await userAfterWrite(c, id, res);
  } catch (e) {
    throw userWriteError(c, e, id, deactivating);
  }
}

export async function readUserFresh(c: ClientContext, id: string): Promise<VersionedUser | undefined> {
  checkAborted(c);
  if (id === '') return undefined;
  const got = await fetchUser(c, id);
  return got && { user: cloneJson(got.user), version: versionOf(got.res, got.user) };
}

export async function findUserFresh(c: ClientContext, q: UserQuery): Promise<ScimUser | undefined> {
  checkAborted(c);
  return clone(await findUserDirect(c, q));
}

export async function writeUserChanges(c: ClientContext, id: string, base: ScimUser, desired: ScimUser, changes: string[], opts: { ifMatch?: string }): Promise<VersionedUser> {
  checkAborted(c);
  const path = resourcePath('/Users', id);
  const headers = opts.ifMatch ? { 'if-match': opts.ifMatch } : undefined;
  const deactivating = changes.includes('active') && desired.active === false;
  const action = changes.length === 1 && changes[0] === 'active' ? (desired.active === false ? 'deactivate-user' : 'reactivate-user') : 'update-user';
  try {
    let res: HttpResponse;
    if ((await c.patchSupported()) && changes.every((ch) => isPatchable(ch, c.profile))) {
      const body = patchBody(userPatchOperations(changes, desired, c.profile));
      res = await c.http.request({ method: 'PATCH', path, body, contentType: c.profile.patchContentType, action, headers });
    } else {
      res = await c.http.request({ method: 'PUT', path, body: userPutBody(base, desired, changes), action, headers });
    }
    const user = await userAfterWrite(c, id, res);
    return { user, version: versionOf(res, user) };
  } catch (e) {
    if (isScimClientError(e) && e.status === 412) c.caches.users.invalidate(id);
    throw userWriteError(c, e, id, deactivating);
  }
}

export async function setUserActive(c: ClientContext, id: string, active: boolean): Promise<ScimUser> {
  checkAborted(c);
  const path = resourcePath('/Users', id);
  const action = active ? 'reactivate-user' : 'deactivate-user';
  try {
    if ((await c.patchSupported()) && isPatchable('active', c.profile)) {
      const op: PatchOperation = { op: opName('replace', c.profile), path: 'active', value: active };
      const res = await c.http.request({ method: 'PATCH', path, body: patchBody([op]), contentType: c.profile.patchContentType, action });
      return await userAfterWrite(c, id, res);
    }
    const base = await freshUser(c, id);
    if (!base) throw new ScimClientError('SCIM_NOT_FOUND', `cannot ${active ? 'reactivate' : 'deactivate'} user ${id}: ${c.http.endpoint}${path} does not exist`, { status: 404, method: 'GET', url: `${c.http.endpoint}${path}` });
    const res = await c.http.request({ method: 'PUT', path, body: userPutBody(base, { ...base, active }, ['active']), action });
    return await userAfterWrite(c, id, res);
  } catch (e) {
    throw userWriteError(c, e, id, !active);
  }
}

export async function deleteUser(c: ClientContext, id: string): Promise<void> {
  checkAborted(c);
  try {
    await c.http.request({ method: 'DELETE', path: resourcePath('/Users', id), action: 'delete-user' });
  } catch (e) {
    if (!isScimClientError(e, 'SCIM_NOT_FOUND')) throw e;
  }
  if (c.profile.deleteMeans === 'deactivate') c.caches.users.invalidate(id);
  else c.caches.users.remove(id);
}

/** The server's copy before a PUT: from the cache when it is already warm, else one GET by id (never a listing). */
async function freshUser(c: ClientContext, id: string): Promise<ScimUser | undefined> {
  if (c.caches.users.warm) {
    const hit = c.caches.users.get(id);
    if (hit.hit && hit.value) return cloneJson(hit.value);
  }
  return getUserById(c, id);
}

/** A POST's answer as a user: its body, else the posted user with the id of the Location header. */
function parseUserOr(c: ClientContext, res: HttpResponse, fallback: ScimUser): ScimUser {
  try {
    return parseUser(res.body);
  } catch {
    const id = locationId(res);
    if (!id) throw new ScimClientError('SCIM_INVALID_RESPONSE', `POST ${c.http.endpoint}/Users returned neither a user nor a Location header`);
    return { ...fallback, id };
  }
}

/** After PATCH/PUT: the user from a 200 body, or a fresh GET after 204 (or a body that is not a user). */
async function userAfterWrite(c: ClientContext, id: string, res: HttpResponse): Promise<ScimUser> {
  let user: ScimUser | undefined;
  if (res.body !== undefined) {
    try {
      user = parseUser(res.body);
    } catch {
      user = undefined;
    }
  }
  if (!user) user = await getUserById(c, id);
  if (!user) throw new ScimClientError('SCIM_NOT_FOUND', `user ${id} disappeared during update at ${c.http.endpoint}/Users/${encodeURIComponent(id)}`, { status: 404 });
  c.caches.users.put(user);
  return cloneJson(user);
}

/** Maps the profile's pending-user refusal to SCIM_PENDING_USER. */
function userWriteError(c: ClientContext, e: unknown, id: string, deactivating: boolean): unknown {
  if (deactivating && c.profile.pendingUserCannotDeactivate && e instanceof ScimClientError && e.status === 400 && /pending/i.test(`${e.detail ?? ''} ${e.scimType ?? ''}`)) {
    return pendingUserError(e.method ?? 'PATCH', e.url ?? `${c.http.endpoint}/Users/${encodeURIComponent(id)}`, id, e.detail);
  }
  return e;
}
