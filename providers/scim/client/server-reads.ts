// Reads that go to the server, not to the read cache: one user or group by id (404 → undefined), every page
// of a listing (parsed; `complete` false when the collection changed while paged), the filter queries that
// decide adoption, and the full scan after a 409 that filters could not explain. Each read refreshes the cache.
import type { ClientContext } from './client-context';
import { ScimClientError, isScimClientError } from './errors';
import { eqFilter, queryString, resourcePath } from './filter';
import type { HttpResponse } from './http-transport';
import { parseGroup, parseUser, type ScimGroup, type ScimUser } from './model';
import { listAll } from './pagination';
import type { CacheLoad } from './read-cache';

export type UserQuery = { userName?: string; externalId?: string };
export type GroupQuery = { displayName?: string; externalId?: string };
type UserListOptions = { filter?: string; attributes?: string[]; excludedAttributes?: string[] };
type GroupListOptions = { filter?: string; excludeMembers?: boolean };

const lower = (s: string) => s.toLowerCase();

export const withoutMembers = (g: ScimGroup): ScimGroup => {
  const { members: _members, ...rest } = g;
  return rest;
};

/** Parses a server resource, or throws SCIM_INVALID_RESPONSE naming the request and what is wrong. */
export function parseOrThrow<T>(c: ClientContext, fn: () => T, method: string, path: string): T {
  try {
    return fn();
  } catch (e) {
    const why = e instanceof Error && 'issues' in e ? (e as { issues: { message: string }[] }).issues.map((i) => i.message).join('; ') : (e as Error).message;
    throw new ScimClientError('SCIM_INVALID_RESPONSE', `${method} ${c.http.endpoint}${path} returned an invalid SCIM resource: ${why}`, { method, url: `${c.http.endpoint}${path}` });
  }
}

/** One GET of a resource; undefined when the server does not know it (then `gone` drops it from the caches). */
async function getOne(c: ClientContext, path: string, action: string, gone: () => void): Promise<HttpResponse | undefined> {
  try {
    return await c.http.request({ method: 'GET', path, action });
  } catch (e) {
    if (!isScimClientError(e, 'SCIM_NOT_FOUND')) throw e;
    gone();
    return undefined;
  }
}

/** One GET /Users/{id}: the user and the response (for its ETag), or undefined when the server does not know it. */
export async function fetchUser(c: ClientContext, id: string): Promise<{ user: ScimUser; res: HttpResponse } | undefined> {
  const path = resourcePath('/Users', id);
  const res = await getOne(c, path, 'get-user', () => c.caches.users.remove(id));
  if (!res) return undefined;
  const user = parseOrThrow(c, () => parseUser(res.body), 'GET', path);
  c.caches.users.put(user);
  return { user, res };
}

export async function getUserById(c: ClientContext, id: string): Promise<ScimUser | undefined> {
  return (await fetchUser(c, id))?.user;
}

export async function getGroupById(c: ClientContext, id: string, excludeMembers: boolean): Promise<ScimGroup | undefined> {
  const path = resourcePath('/Groups', id) + queryString({ excludedAttributes: excludeMembers ? 'members' : undefined });
  const res = await getOne(c, path, 'get-group', () => {
    c.caches.groupsFull.remove(id);
    c.caches.groupsLite.remove(id);
  });
  if (!res) return undefined;
  const group = parseOrThrow(c, () => parseGroup(res.body), 'GET', path);
  c.caches.groupsLite.put(withoutMembers(group));
  if (!excludeMembers) c.caches.groupsFull.put(group);
  return group;
}

/** Every page, parsed; `complete` false when the collection kept changing while it was paged. */
export async function listUsersChecked(c: ClientContext, opts: UserListOptions, action: string): Promise<CacheLoad<ScimUser>> {
  const listing = await listAll(c.http, { collection: '/Users', ...opts, pageSize: c.pageSize, concurrency: c.listConcurrency, action });
  return { items: listing.resources.map((r) => parseOrThrow(c, () => parseUser(r), 'GET', '/Users')), complete: listing.consistent };
}

export async function listGroupsChecked(c: ClientContext, opts: GroupListOptions, action: string): Promise<CacheLoad<ScimGroup>> {
  const listing = await listAll(c.http, {
    collection: '/Groups',
    filter: opts.filter,
    excludedAttributes: opts.excludeMembers ? ['members'] : undefined,
    pageSize: c.pageSize,
    concurrency: c.listConcurrency,
    action,
  });
  const items = listing.resources.map((r) => {
    const g = parseOrThrow(c, () => parseGroup(r), 'GET', '/Groups');
    return opts.excludeMembers ? withoutMembers(g) : g;
  });
  return { items, complete: listing.consistent };
}

const listUsersRaw = async (c: ClientContext, opts: UserListOptions, action: string) => (await listUsersChecked(c, opts, action)).items;
const listGroupsRaw = async (c: ClientContext, opts: GroupListOptions, action: string) => (await listGroupsChecked(c, opts, action)).items;

/** Filter queries against the server, bypassing the cache (used to decide adoption). */
export async function findUserDirect(c: ClientContext, q: UserQuery): Promise<ScimUser | undefined> {
  if (q.userName !== undefined && q.userName !== '') {
    const want = lower(q.userName);
    const hit = (await listUsersRaw(c, { filter: eqFilter('userName', q.userName) }, 'find-user')).find((u) => lower(u.userName) === want);
    if (hit) return hit;
  }
  if (q.externalId) {
    const hit = (await listUsersRaw(c, { filter: eqFilter('externalId', q.externalId) }, 'find-user')).find((u) => u.externalId === q.externalId);
    if (hit) return hit;
  }
  return undefined;
}

export async function findGroupDirect(c: ClientContext, q: GroupQuery): Promise<ScimGroup | undefined> {
  if (q.displayName !== undefined && q.displayName !== '') {
    const want = lower(q.displayName);
    const hit = (await listGroupsRaw(c, { filter: eqFilter('displayName', q.displayName), excludeMembers: true }, 'find-group')).find((g) => lower(g.displayName) === want);
    if (hit) return hit;
  }
  if (q.externalId) {
    const hit = (await listGroupsRaw(c, { filter: eqFilter('externalId', q.externalId), excludeMembers: true }, 'find-group')).find((g) => g.externalId === q.externalId);
    if (hit) return hit;
  }
  return undefined;
}

/** Full-listing scan used after a 409 that filters could not explain (case-sensitive server filters). */
export async function scanForConflict(c: ClientContext, collection: '/Users' | '/Groups', body: unknown): Promise<ScimUser | ScimGroup | undefined> {
  const b = body as Partial<ScimUser & ScimGroup>;
  if (collection === '/Users') {
    const want = lower(b.userName ?? '');
    return (await listUsersRaw(c, {}, 'find-user')).find((u) => lower(u.userName) === want || (b.externalId !== undefined && u.externalId === b.externalId));
  }
  const want = lower(b.displayName ?? '');
  return (await listGroupsRaw(c, { excludeMembers: true }, 'find-group')).find((g) => lower(g.displayName) === want || (b.externalId !== undefined && g.externalId === b.externalId));
}

/** The id a POST answered with in its Location header, when its body is not the resource. */
export function locationId(res: HttpResponse): string | undefined {
  const loc = res.headers.location;
  return typeof loc === 'string' ? decodeURIComponent(loc.replace(/\/+$/, '').split('/').pop() ?? '') || undefined : undefined;
}
