// ScimClient: the layer-2 API over one SCIM endpoint — capabilities, users, groups and memberships — with
// adoption instead of duplicates, PATCH-or-PUT updates chosen from the profile, batched membership changes
// and a per-client read cache. Knows nothing of Terraform.
// Over 400 lines: being reworked in parallel (issue 14: paging, retries, read cache); to split by concern after it lands.
import { type ServiceProviderCapabilities, parseServiceProviderConfig, undiscoveredCapabilities } from './capabilities';
import { cloneJson } from './json-clone';
import { userChanges } from './compare';
import {
  ScimClientError,
  abortedError,
  isScimClientError,
  pendingUserError,
  unknownMemberError,
  unsupportedError,
} from './errors';
import { eqFilter, queryString, resourcePath } from './filter';
import { HttpTransport, type HttpResponse } from './http-transport';
import { parseGroup, parseUser, type ScimGroup, type ScimUser } from './model';
import { listAll } from './pagination';
import { isPatchable, memberPatchBatches, opName, patchBody, userPatchOperations, type PatchOperation } from './patch-builder';
import type { ConnectorProfile } from './profiles';
import type { ProvisioningLogLine } from './provisioning-log';
import { ReadCache, type CacheLoad } from './read-cache';
import { backoffDelay, neverSent } from './retry-policy';
import { sleep } from './sleep';
import { groupPostBody, groupPutBody, userPostBody, userPutBody } from './wire';

export type { ServiceProviderCapabilities } from './capabilities';
export type { ProvisioningLogLine } from './provisioning-log';

export type ScimAuth = { kind: 'bearer'; token: string } | { kind: 'basic'; username: string; password: string };

export interface ScimClientOptions {
  /** Base URL, e.g. http://127.0.0.1:8890/generic/scim/v2 (trailing slash optional). */
  endpoint: string;
  auth: ScimAuth;
  profile: ConnectorProfile;
  headers?: Record<string, string>;
  /** Header and body timeout per request (default 30000). */
  timeoutMs?: number;
  /** Retries after the first attempt (default 5). */
  maxRetries?: number;
  /** Shared token bucket for all concurrent calls of this client. */
  requestsPerSecond?: number;
  /** Budget of requests per minute (evenly spaced); undefined = unlimited. */
  requestsPerMinute?: number;
  /** Budget of writes (POST/PUT/PATCH/DELETE) per minute (evenly spaced); undefined = unlimited. */
  writesPerMinute?: number;
  caFile?: string;
  provisioningLogFile?: string;
  /** Pool size (default 8). */
  connections?: number;
  signal?: AbortSignal;
  onLog?: (line: ProvisioningLogLine) => void;
  /** First backoff step in ms (default 250; doubled per retry, jittered, capped at 10 s). */
  retryBaseDelayMs?: number;
  /** One listing serves all gets (default true). */
  readCache?: boolean;
  /** Members per membership PATCH (default: the profile's memberPatchBatchSize). */
  memberBatchSize?: number;
}

type UserQuery = { userName?: string; externalId?: string };

/** A user as the server has it now, with the version to send as If-Match (absent when the server gives none). */
export interface VersionedUser {
  user: ScimUser;
  version?: string;
}
type GroupQuery = { displayName?: string; externalId?: string };

const lower = (s: string) => s.toLowerCase();
const userKeys = (u: ScimUser) => [`userName:${lower(u.userName)}`, ...(u.externalId ? [`externalId:${u.externalId}`] : [])];
const groupKeys = (g: ScimGroup) => [`displayName:${lower(g.displayName)}`, ...(g.externalId ? [`externalId:${g.externalId}`] : [])];
const withoutMembers = (g: ScimGroup): ScimGroup => {
  const { members: _members, ...rest } = g;
  return rest;
};
const clone = <T>(v: T | undefined): T | undefined => (v === undefined ? undefined : cloneJson(v));
const isEmpty = (v: unknown) => v === undefined || v === null || v === '';

/** The version of a resource for If-Match: the ETag response header, else meta.version of the body. */
function versionOf(res: HttpResponse, user: ScimUser | undefined): string | undefined {
  const tag = res.headers.etag;
  const fromHeader = Array.isArray(tag) ? tag[0] : tag;
  if (typeof fromHeader === 'string' && fromHeader.trim() !== '') return fromHeader.trim();
  const v = user?.meta?.version;
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** A failure after which a POST may or may not have created the resource. */
function ambiguous(e: unknown): boolean {
  if (!(e instanceof ScimClientError)) return false;
  if (e.code === 'SCIM_UNREACHABLE' || e.code === 'SCIM_TIMEOUT') return true;
  return e.status !== undefined && e.status >= 500 && e.status !== 501;
}

export class ScimClient {
  readonly profile: ConnectorProfile;
  private readonly http: HttpTransport;
  private readonly opts: ScimClientOptions;
  /** Shared with the views made by withSignal. */
  private readonly discovered: { caps?: Promise<ServiceProviderCapabilities> } = {};
  private readonly users: ReadCache<ScimUser>;
  private readonly groupsFull: ReadCache<ScimGroup>;
  private readonly groupsLite: ReadCache<ScimGroup>;
  private readonly pageSize: number;
  private readonly listConcurrency: number;
  /** Set on a view made by withSignal: the call's signal. */
  private callSignal?: AbortSignal;

  constructor(opts: ScimClientOptions) {
    this.opts = opts;
    this.profile = opts.profile;
    const connections = opts.connections ?? 8;
    this.http = new HttpTransport({
      endpoint: opts.endpoint,
      auth: opts.auth,
      headers: opts.headers,
      timeoutMs: opts.timeoutMs ?? 30_000,
      maxRetries: opts.maxRetries ?? 5,
      retryBaseDelayMs: opts.retryBaseDelayMs ?? 250,
      requestsPerSecond: opts.requestsPerSecond,
      requestsPerMinute: opts.requestsPerMinute,
      writesPerMinute: opts.writesPerMinute,
      caFile: opts.caFile,
      connections,
      signal: opts.signal,
      provisioningLogFile: opts.provisioningLogFile,
      onLog: opts.onLog,
    });
    this.pageSize = opts.profile.maxPageSize ?? 1000;
    this.listConcurrency = Math.max(1, Math.min(4, connections));
    const cacheOn = opts.readCache ?? true;
    // A refused listing switches the cache off, visibly: one provisioning-log line says why.
    const refused = (collection: string) => (why: string) =>
      this.http.note({ method: 'GET', path: collection, durationMs: 0, action: 'cache-refused', detail: `read cache off for ${collection}: the listing failed (${why}); every read now goes to the server by id or filter` });
    // Cache loads are shared by every caller, so they stop only with the client's own signal.
    this.users = new ReadCache(() => this.listUsersChecked({}, 'cache-users'), userKeys, cacheOn, refused('/Users'));
    this.groupsFull = new ReadCache(() => this.listGroupsChecked({}, 'cache-groups'), groupKeys, cacheOn, refused('/Groups'));
    this.groupsLite = new ReadCache(() => this.listGroupsChecked({ excludeMembers: true }, 'cache-groups'), groupKeys, cacheOn, refused('/Groups'));
  }

  /**
   * This client (same connections, cache and log) with every request it starts aborted by `signal`: one
   * Terraform call's cancellation (Ctrl-C, StopProvider, a cancelled RPC) stops that call's requests in flight.
   */
  withSignal(signal: AbortSignal | undefined): ScimClient {
    if (!signal || signal === this.opts.signal) return this;
    const view = Object.create(this) as ScimClient;
    Object.defineProperty(view, 'http', { value: this.http.withSignal(signal) });
    view.callSignal = signal;
    return view;
  }

  private get signal(): AbortSignal | undefined {
    return this.callSignal ?? this.opts.signal;
  }

  /**
   * Writes a progress line of a bulk apply to the provisioning log: `action` (e.g. `roster-progress`), items done
   * (failed ones included) of `total`, and the time since the bulk apply started as `durationMs`.
   */
  noteProgress(p: { action: string; done: number; total: number; failed: number; elapsedMs: number; detail: string }): void {
    this.http.note({ method: '-', path: '/Users', durationMs: p.elapsedMs, action: p.action, done: p.done, total: p.total, failed: p.failed, detail: p.detail });
  }

  /** The endpoint base URL without trailing slash (no credentials). */
  get endpoint(): string {
    return this.http.endpoint;
  }

  // ---------------------------------------------------------------------------------------------- discovery

  /** GET /ServiceProviderConfig once (cached). Absent or refused (400/404/405/501) → defaults with discovered=false. */
  capabilities(): Promise<ServiceProviderCapabilities> {
    const shared = this.discovered;
    if (!shared.caps) {
      shared.caps = this.http.request({ method: 'GET', path: '/ServiceProviderConfig', action: 'discover' }).then(
        (res) => parseServiceProviderConfig(res.body),
        (e: unknown) => {
          if (e instanceof ScimClientError && e.status !== undefined && [400, 404, 405, 406, 501].includes(e.status)) {
            return undiscoveredCapabilities(this.profile.supportsPatch !== false);
          }
          shared.caps = undefined;
          throw e;
        },
      );
    }
    return shared.caps;
  }

  /** Whether updates go by PATCH: the profile decides, or discovery when it says 'discover'. */
  async patchSupported(): Promise<boolean> {
    if (this.profile.supportsPatch !== 'discover') return this.profile.supportsPatch;
    return (await this.capabilities()).patch;
  }

  // ---------------------------------------------------------------------------------------------- users

  /** The user with this id, or undefined when the server does not know it; served from the read cache when warm. */
  async getUser(id: string): Promise<ScimUser | undefined> {
    if (id === '') return undefined;
    this.checkAborted();
    if (await this.users.ensure()) {
      const hit = this.users.get(id);
      // A miss is confirmed by id: some servers leave (e.g. inactive) accounts out of listings.
      if (hit.hit && hit.value) return clone(hit.value);
    }
    return clone(await this.getUserById(id));
  }

  /** Finds a user by userName (case-insensitively) or else externalId. */
  async findUser(q: UserQuery): Promise<ScimUser | undefined> {
    this.checkAborted();
    if (await this.users.ensure()) {
      const keys = [q.userName !== undefined ? `userName:${lower(q.userName)}` : undefined, q.externalId ? `externalId:${q.externalId}` : undefined];
      let missed = false;
      for (const key of keys) {
        if (!key) continue;
        const hit = this.users.findByKey(key);
        if (!hit.hit) missed = true;
        else if (hit.value) return clone(hit.value);
      }
      if (!missed) return undefined;
    }
    return clone(await this.findUserDirect(q));
  }

  /** Every user matching an optional filter (all pages). */
  async listUsers(opts: { filter?: string; attributes?: string[]; excludedAttributes?: string[] } = {}): Promise<ScimUser[]> {
    this.checkAborted();
    // userName is always asked for: a user without it cannot be parsed.
    const attributes = opts.attributes?.length && !opts.attributes.some((a) => a.toLowerCase() === 'username') ? [...opts.attributes, 'userName'] : opts.attributes;
    const { items: users, complete } = await this.listUsersChecked({ ...opts, attributes }, 'list-users');
    if (!opts.filter && !opts.attributes?.length && !opts.excludedAttributes?.length) this.users.fill(users.map((u) => cloneJson(u)), complete);
    return users;
  }

  /**
   * POST /Users. Absence is confirmed by filter first (skipped with `confirmedAbsent` when the caller has
   * just done that query itself, e.g. findUserFresh). Never retried blindly: after an ambiguous failure
   * (connection dropped, timeout, 5xx) or a 409, the user is looked up by userName/externalId and returned
   * with adopted=true; only when it is absent is the POST sent again. The caller brings an adopted user to
   * the desired state.
   */
  async createUser(user: ScimUser, opts: { confirmedAbsent?: boolean } = {}): Promise<{ user: ScimUser; adopted: boolean }> {
    this.checkAborted();
    const body = userPostBody(this.profile.userNameIsEmail && !user.emails?.length ? { ...user, emails: [{ value: user.userName, type: 'work', primary: true }] } : user);
    const found = await this.postWithAdoption(
      '/Users',
      body,
      'create-user',
      () => this.findUserDirect({ userName: user.userName, externalId: user.externalId }),
      `user ${user.userName}`,
      opts.confirmedAbsent === true,
    );
    if (found.adopted) {
      this.users.put(found.value);
      return { user: clone(found.value)!, adopted: true };
    }
    const created = this.parseUserOr(found.response, body);
    const full = created.id && !found.response.body ? await this.getUserById(created.id) : created;
    this.users.put(full ?? created);
    return { user: clone(full ?? created)!, adopted: false };
  }

  /**
   * Brings a user from `current` to `desired`: PATCH of the changed attributes (whole multi-valued attributes,
   * `remove` for cleared ones, URN paths for the enterprise extension), or a PUT of the full resource when the
   * server has no PATCH or the profile does not allow PATCH to change one of them (e.g. Promapp userName).
   */
  async updateUser(id: string, current: ScimUser, desired: ScimUser, opts: { managed?: string[] } = {}): Promise<ScimUser> {
    this.checkAborted();
    const changes = userChanges(current, desired, this.profile, opts.managed);
    if (changes.length === 0) return current;
    const deactivating = changes.includes('active') && desired.active === false;
    const path = resourcePath('/Users', id);
    try {
      if ((await this.patchSupported()) && changes.every((c) => isPatchable(c, this.profile))) {
        const res = await this.http.request({
          method: 'PATCH',
          path,
          body: patchBody(userPatchOperations(changes, desired, this.profile)),
          contentType: this.profile.patchContentType,
          action: 'update-user',
        });
        return await this.userAfterWrite(id, res);
      }
      const base = (await this.freshUser(id)) ?? current;
      const res = await this.http.request({ method: 'PUT', path, body: userPutBody(base, desired, changes), action: 'update-user' });
      return await this.userAfterWrite(id, res);
    } catch (e) {
      throw this.userWriteError(e, id, deactivating);
    }
  }

  /** One GET of the user by id, never served from the read cache, with its version (ETag header, else meta.version). */
  async readUserFresh(id: string): Promise<VersionedUser | undefined> {
    this.checkAborted();
    if (id === '') return undefined;
    const path = resourcePath('/Users', id);
    let res: HttpResponse;
    try {
      res = await this.http.request({ method: 'GET', path, action: 'get-user' });
    } catch (e) {
      if (isScimClientError(e, 'SCIM_NOT_FOUND')) {
        this.users.remove(id);
        return undefined;
      }
      throw e;
    }
    const user = this.parseOrThrow(() => parseUser(res.body), 'GET', path);
    this.users.put(user);
    return { user: cloneJson(user), version: versionOf(res, user) };
  }

  /** Finds a user by userName (case-insensitively) or else externalId with filter queries, never from the read cache. */
  async findUserFresh(q: UserQuery): Promise<ScimUser | undefined> {
    this.checkAborted();
    return clone(await this.findUserDirect(q));
  }

  /**
   * Writes exactly `changes` (attribute paths as userChanges() returns them, `active` included) of `desired`: one
   * PATCH of those attributes when the profile allows PATCH for all of them, else one PUT of `base` (the server's
   * copy just read) with only those attributes replaced. `ifMatch` (the version `base` was read at) is sent as
   * If-Match; a server that has changed the user since answers 412, surfaced as a ScimClientError with status 412.
   */
  async writeUserChanges(id: string, base: ScimUser, desired: ScimUser, changes: string[], opts: { ifMatch?: string } = {}): Promise<VersionedUser> {
    this.checkAborted();
    const path = resourcePath('/Users', id);
    const headers = opts.ifMatch ? { 'if-match': opts.ifMatch } : undefined;
    const deactivating = changes.includes('active') && desired.active === false;
    const action = changes.length === 1 && changes[0] === 'active' ? (desired.active === false ? 'deactivate-user' : 'reactivate-user') : 'update-user';
    try {
      let res: HttpResponse;
      if ((await this.patchSupported()) && changes.every((c) => isPatchable(c, this.profile))) {
        const body = patchBody(userPatchOperations(changes, desired, this.profile));
        res = await this.http.request({ method: 'PATCH', path, body, contentType: this.profile.patchContentType, action, headers });
      } else {
        res = await this.http.request({ method: 'PUT', path, body: userPutBody(base, desired, changes), action, headers });
      }
      const user = await this.userAfterWrite(id, res);
      return { user, version: versionOf(res, user) };
    } catch (e) {
      if (isScimClientError(e) && e.status === 412) this.users.invalidate(id);
      throw this.userWriteError(e, id, deactivating);
    }
  }

  /** Deactivates or reactivates a user (PATCH active, or PUT when PATCH may not change it). */
  async setUserActive(id: string, active: boolean): Promise<ScimUser> {
    this.checkAborted();
    const path = resourcePath('/Users', id);
    const action = active ? 'reactivate-user' : 'deactivate-user';
    try {
      if ((await this.patchSupported()) && isPatchable('active', this.profile)) {
        const op: PatchOperation = { op: opName('replace', this.profile), path: 'active', value: active };
        const res = await this.http.request({ method: 'PATCH', path, body: patchBody([op]), contentType: this.profile.patchContentType, action });
        return await this.userAfterWrite(id, res);
      }
      const base = await this.freshUser(id);
      if (!base) throw new ScimClientError('SCIM_NOT_FOUND', `cannot ${active ? 'reactivate' : 'deactivate'} user ${id}: ${this.endpoint}${path} does not exist`, { status: 404, method: 'GET', url: `${this.endpoint}${path}` });
      const res = await this.http.request({ method: 'PUT', path, body: userPutBody(base, { ...base, active }, ['active']), action });
      return await this.userAfterWrite(id, res);
    } catch (e) {
      throw this.userWriteError(e, id, !active);
    }
  }

  /** DELETE /Users/{id}; an already absent user is fine. (On Promapp, DELETE only deactivates.) */
  async deleteUser(id: string): Promise<void> {
    this.checkAborted();
    try {
      await this.http.request({ method: 'DELETE', path: resourcePath('/Users', id), action: 'delete-user' });
    } catch (e) {
      if (!isScimClientError(e, 'SCIM_NOT_FOUND')) throw e;
    }
    if (this.profile.deleteMeans === 'deactivate') this.users.invalidate(id);
    else this.users.remove(id);
  }

  // ---------------------------------------------------------------------------------------------- groups

  /** The group with this id (members included unless excludeMembers), undefined when unknown; served from
   * the read cache unless `fresh` (one GET by id, used before writing what a plan decided). */
  async getGroup(id: string, opts: { excludeMembers?: boolean; fresh?: boolean } = {}): Promise<ScimGroup | undefined> {
    this.checkAborted();
    this.requireGroups('reading groups');
    if (opts.fresh) return clone(await this.getGroupById(id, opts.excludeMembers === true));
    const cache = opts.excludeMembers && !this.groupsFull.warm ? this.groupsLite : this.groupsFull;
    if (await cache.ensure()) {
      const hit = cache.get(id);
      if (hit.hit && hit.value) return clone(opts.excludeMembers ? withoutMembers(hit.value) : hit.value);
    }
    return clone(await this.getGroupById(id, opts.excludeMembers === true));
  }

  /** Finds a group by displayName (case-insensitively) or else externalId. The result carries no members; use getGroup for them. */
  async findGroup(q: GroupQuery): Promise<ScimGroup | undefined> {
    this.checkAborted();
    this.requireGroups('finding groups');
    const cache = this.groupsFull.warm ? this.groupsFull : this.groupsLite;
    if (await cache.ensure()) {
      const keys = [q.displayName !== undefined ? `displayName:${lower(q.displayName)}` : undefined, q.externalId ? `externalId:${q.externalId}` : undefined];
      let missed = false;
      for (const key of keys) {
        if (!key) continue;
        const hit = cache.findByKey(key);
        if (!hit.hit) missed = true;
        else if (hit.value) return clone(withoutMembers(hit.value));
      }
      if (!missed) return undefined;
    }
    return clone(await this.findGroupDirect(q));
  }

  /** Every group matching an optional filter (all pages); members excluded on request. */
  async listGroups(opts: { filter?: string; excludeMembers?: boolean } = {}): Promise<ScimGroup[]> {
    this.checkAborted();
    this.requireGroups('listing groups');
    const { items: groups, complete } = await this.listGroupsChecked(opts, 'list-groups');
    if (!opts.filter) (opts.excludeMembers ? this.groupsLite : this.groupsFull).fill(groups.map((g) => cloneJson(g)), complete);
    return groups;
  }

  /**
   * POST /Groups without members, then the members in PATCH batches. Adoption as for users: after a 409 or an
   * ambiguous failure the group is looked up by displayName/externalId and returned (with its current
   * members) with adopted=true, members untouched; the caller reconciles them with updateGroupMembers.
   */
  async createGroup(group: ScimGroup): Promise<{ group: ScimGroup; adopted: boolean }> {
    this.checkAborted();
    this.requireGroups('creating groups');
    const body = groupPostBody(group);
    const found = await this.postWithAdoption('/Groups', body, 'create-group', () => this.findGroupDirect({ displayName: group.displayName, externalId: group.externalId }), `group ${group.displayName}`);
    if (found.adopted) {
      const full = (await this.getGroupById(found.value.id!, false)) ?? found.value;
      this.putGroup(full);
      return { group: clone(full)!, adopted: true };
    }
    let created = this.parseGroupOr(found.response, body);
    const members = [...new Set((group.members ?? []).map((m) => m.value))];
    if (created.id && members.length) {
      try {
        await this.updateGroupMembers(created.id, members, []);
      } catch (e) {
        if (e instanceof ScimClientError) {
          throw new ScimClientError(e.code, `group ${group.displayName} was created (id ${created.id}) but adding its members failed: ${e.message}`, e);
        }
        throw e;
      }
      created = { ...created, members: members.map((value) => ({ value })) };
    }
    this.putGroup(created);
    return { group: clone(created)!, adopted: false };
  }

  /**
   * Changes displayName/externalId (PATCH, or PUT keeping the current members). `ifMatch` (the version the
   * caller read the group at) is sent as If-Match: a group changed since answers 412 (a ScimClientError with
   * status 412), and the caller reads it again.
   */
  async updateGroup(id: string, current: ScimGroup, desired: ScimGroup, opts: { ifMatch?: string } = {}): Promise<ScimGroup> {
    this.checkAborted();
    this.requireGroups('updating groups');
    const changes: Partial<Pick<ScimGroup, 'displayName' | 'externalId'>> = {};
    const ops: PatchOperation[] = [];
    if (desired.displayName !== current.displayName) {
      changes.displayName = desired.displayName;
      ops.push({ op: opName('replace', this.profile), path: 'displayName', value: desired.displayName });
    }
    if ((desired.externalId ?? '') !== (current.externalId ?? '')) {
      changes.externalId = desired.externalId;
      ops.push(isEmpty(desired.externalId) ? { op: opName('remove', this.profile), path: 'externalId' } : { op: opName('replace', this.profile), path: 'externalId', value: desired.externalId });
    }
    if (ops.length === 0) return current;
    const path = resourcePath('/Groups', id);
    const headers = opts.ifMatch ? { 'if-match': opts.ifMatch } : undefined;
    let res: HttpResponse;
    try {
      if (await this.patchSupported()) {
        res = await this.http.request({ method: 'PATCH', path, body: patchBody(ops), contentType: this.profile.patchContentType, action: 'update-group', headers });
      } else {
        const base = await this.getGroupById(id, false);
        if (!base) throw new ScimClientError('SCIM_NOT_FOUND', `cannot update group ${id}: ${this.endpoint}${path} does not exist`, { status: 404 });
        const putHeaders = headers ?? (base.meta?.version ? { 'if-match': base.meta.version } : undefined);
        res = await this.http.request({ method: 'PUT', path, body: groupPutBody(base, changes, (base.members ?? []).map((m) => m.value)), action: 'update-group', headers: putHeaders });
      }
    } catch (e) {
      if (isScimClientError(e) && e.status === 412) {
        this.groupsFull.invalidate(id);
        this.groupsLite.invalidate(id);
      }
      throw e;
    }
    const updated = this.tryParseGroup(res.body) ?? (await this.getGroupById(id, current.members === undefined));
    if (!updated) throw new ScimClientError('SCIM_NOT_FOUND', `group ${id} disappeared during update at ${this.endpoint}${path}`, { status: 404 });
    this.groupsLite.put(withoutMembers(updated));
    if (updated.members !== undefined) this.groupsFull.put(updated);
    else this.groupsFull.invalidate(id);
    return updated;
  }

  /**
   * Adds and removes members: PATCH bodies of at most memberBatchSize members, each carrying both the add and
   * the remove operations; a PUT of the whole member list when the server has no PATCH. A member id the
   * server rejects → ScimClientError naming the member. A `400 noTarget` (a member to remove is already gone,
   * e.g. removed by another admin) is not a failure: the group is read again and only the operations still
   * needed are sent, once.
   */
  async updateGroupMembers(id: string, add: string[], remove: string[], afterNoTarget = false): Promise<void> {
    this.checkAborted();
    this.requireGroups('changing group members');
    const addSet = new Set(add);
    const removeSet = new Set(remove.filter((r) => !addSet.has(r)));
    for (const r of remove) if (addSet.has(r)) addSet.delete(r);
    if (addSet.size === 0 && removeSet.size === 0) return;
    const path = resourcePath('/Groups', id);
    try {
      if (await this.patchSupported()) {
        const batch = this.opts.memberBatchSize ?? this.profile.memberPatchBatchSize;
        for (const [i, body] of memberPatchBatches([...addSet], [...removeSet], this.profile, batch).entries()) {
          this.checkAborted();
          try {
            await this.http.request({ method: 'PATCH', path, body, contentType: this.profile.patchContentType, action: `update-group-members` });
          } catch (e) {
            if (!afterNoTarget && e instanceof ScimClientError && e.status === 400 && e.scimType?.toLowerCase() === 'notarget') {
              return await this.membersStillNeeded(id, path, [...addSet], [...removeSet]);
            }
            throw this.memberError(e, id, path, body.Operations, i);
          }
        }
      } else {
        const base = await this.getGroupById(id, false);
        if (!base) throw new ScimClientError('SCIM_NOT_FOUND', `cannot change members of group ${id}: ${this.endpoint}${path} does not exist`, { status: 404 });
        const members = new Set((base.members ?? []).map((m) => m.value));
        for (const r of removeSet) members.delete(r);
        for (const a of addSet) members.add(a);
        try {
          await this.http.request({ method: 'PUT', path, body: groupPutBody(base, {}, [...members]), action: 'update-group-members' });
        } catch (e) {
          throw this.memberError(e, id, path, [{ op: 'add', value: [...addSet].map((value) => ({ value })) }], 0);
        }
      }
    } finally {
      this.groupsFull.invalidate(id);
    }
  }

  /** After a noTarget: reads the group and sends only the adds and removes it still needs. */
  private async membersStillNeeded(id: string, path: string, add: string[], remove: string[]): Promise<void> {
    const now = await this.getGroupById(id, false);
    if (!now) throw new ScimClientError('SCIM_NOT_FOUND', `cannot change members of group ${id}: ${this.endpoint}${path} does not exist`, { status: 404 });
    const present = new Set((now.members ?? []).map((m) => m.value));
    const gone = remove.filter((r) => !present.has(r));
    this.http.note({ method: 'PATCH', path, durationMs: 0, action: 'update-group-members', detail: `noTarget: ${gone.length} member(s) to remove already gone (${gone.slice(0, 5).join(', ')}); sending only what is still needed` });
    await this.updateGroupMembers(id, add.filter((a) => !present.has(a)), remove.filter((r) => present.has(r)), true);
  }

  /** DELETE /Groups/{id}; an already absent group is fine. */
  async deleteGroup(id: string): Promise<void> {
    this.checkAborted();
    this.requireGroups('deleting groups');
    try {
      await this.http.request({ method: 'DELETE', path: resourcePath('/Groups', id), action: 'delete-group' });
    } catch (e) {
      if (!isScimClientError(e, 'SCIM_NOT_FOUND')) throw e;
    }
    this.groupsFull.remove(id);
    this.groupsLite.remove(id);
  }

  /** Closes the connection pool and the provisioning log. */
  async close(): Promise<void> {
    await this.http.close();
  }

  // ---------------------------------------------------------------------------------------------- internals

  private checkAborted(): void {
    if (this.signal?.aborted) throw abortedError();
  }

  private requireGroups(what: string): void {
    if (!this.profile.supportsGroups) throw unsupportedError(`${what[0].toUpperCase()}${what.slice(1)}`, this.profile.title);
  }

  /** The server's copy before a PUT: from the cache when it is already warm, else one GET by id (never a listing). */
  private async freshUser(id: string): Promise<ScimUser | undefined> {
    if (this.users.warm) {
      const hit = this.users.get(id);
      if (hit.hit && hit.value) return cloneJson(hit.value);
    }
    return this.getUserById(id);
  }

  private async getUserById(id: string): Promise<ScimUser | undefined> {
    const path = resourcePath('/Users', id);
    let res: HttpResponse;
    try {
      res = await this.http.request({ method: 'GET', path, action: 'get-user' });
    } catch (e) {
      if (isScimClientError(e, 'SCIM_NOT_FOUND')) {
        this.users.remove(id);
        return undefined;
      }
      throw e;
    }
    const user = this.parseOrThrow(() => parseUser(res.body), 'GET', path);
    this.users.put(user);
    return user;
  }

  private async getGroupById(id: string, excludeMembers: boolean): Promise<ScimGroup | undefined> {
    const path = resourcePath('/Groups', id) + queryString({ excludedAttributes: excludeMembers ? 'members' : undefined });
    let res: HttpResponse;
    try {
      res = await this.http.request({ method: 'GET', path, action: 'get-group' });
    } catch (e) {
      if (isScimClientError(e, 'SCIM_NOT_FOUND')) {
        this.groupsFull.remove(id);
        this.groupsLite.remove(id);
        return undefined;
      }
      throw e;
    }
    const group = this.parseOrThrow(() => parseGroup(res.body), 'GET', path);
    this.groupsLite.put(withoutMembers(group));
    if (!excludeMembers) this.groupsFull.put(group);
    return group;
  }

  private async listUsersRaw(opts: { filter?: string; attributes?: string[]; excludedAttributes?: string[] }, action: string): Promise<ScimUser[]> {
    return (await this.listUsersChecked(opts, action)).items;
  }

  /** Every page, parsed; `complete` false when the collection kept changing while it was paged. */
  private async listUsersChecked(opts: { filter?: string; attributes?: string[]; excludedAttributes?: string[] }, action: string): Promise<CacheLoad<ScimUser>> {
    const listing = await listAll(this.http, { collection: '/Users', ...opts, pageSize: this.pageSize, concurrency: this.listConcurrency, action });
    return { items: listing.resources.map((r) => this.parseOrThrow(() => parseUser(r), 'GET', '/Users')), complete: listing.consistent };
  }

  private async listGroupsRaw(opts: { filter?: string; excludeMembers?: boolean }, action: string): Promise<ScimGroup[]> {
    return (await this.listGroupsChecked(opts, action)).items;
  }

  private async listGroupsChecked(opts: { filter?: string; excludeMembers?: boolean }, action: string): Promise<CacheLoad<ScimGroup>> {
    const listing = await listAll(this.http, {
      collection: '/Groups',
      filter: opts.filter,
      excludedAttributes: opts.excludeMembers ? ['members'] : undefined,
      pageSize: this.pageSize,
      concurrency: this.listConcurrency,
      action,
    });
    const items = listing.resources.map((r) => {
      const g = this.parseOrThrow(() => parseGroup(r), 'GET', '/Groups');
      return opts.excludeMembers ? withoutMembers(g) : g;
    });
    return { items, complete: listing.consistent };
  }

  /** Filter queries against the server, bypassing the cache (used to decide adoption). */
  private async findUserDirect(q: UserQuery): Promise<ScimUser | undefined> {
    if (q.userName !== undefined && q.userName !== '') {
      const want = lower(q.userName);
      const hit = (await this.listUsersRaw({ filter: eqFilter('userName', q.userName) }, 'find-user')).find((u) => lower(u.userName) === want);
      if (hit) return hit;
    }
    if (q.externalId) {
      const hit = (await this.listUsersRaw({ filter: eqFilter('externalId', q.externalId) }, 'find-user')).find((u) => u.externalId === q.externalId);
      if (hit) return hit;
    }
    return undefined;
  }

  private async findGroupDirect(q: GroupQuery): Promise<ScimGroup | undefined> {
    if (q.displayName !== undefined && q.displayName !== '') {
      const want = lower(q.displayName);
      const hit = (await this.listGroupsRaw({ filter: eqFilter('displayName', q.displayName), excludeMembers: true }, 'find-group')).find((g) => lower(g.displayName) === want);
      if (hit) return hit;
    }
    if (q.externalId) {
      const hit = (await this.listGroupsRaw({ filter: eqFilter('externalId', q.externalId), excludeMembers: true }, 'find-group')).find((g) => g.externalId === q.externalId);
      if (hit) return hit;
    }
    return undefined;
  }

  /** Full-listing scan used after a 409 that filters could not explain (case-sensitive server filters). */
  private async scanForConflict(collection: '/Users' | '/Groups', body: unknown): Promise<ScimUser | ScimGroup | undefined> {
    const b = body as Partial<ScimUser & ScimGroup>;
    if (collection === '/Users') {
      const want = lower(b.userName ?? '');
      return (await this.listUsersRaw({}, 'find-user')).find((u) => lower(u.userName) === want || (b.externalId !== undefined && u.externalId === b.externalId));
    }
    const want = lower(b.displayName ?? '');
    return (await this.listGroupsRaw({ excludeMembers: true }, 'find-group')).find((g) => lower(g.displayName) === want || (b.externalId !== undefined && g.externalId === b.externalId));
  }

  /**
   * POST with the no-duplicate rule: absence is confirmed by a filter query first (a listing or a plan may be
   * older than the server's state), so an existing resource is adopted, never created twice; 409 → look up
   * and adopt; ambiguous failure → look up, adopt if it was created, otherwise POST again (bounded by
   * maxRetries, with backoff).
   */
  private async postWithAdoption<T extends { id?: string }>(
    collection: '/Users' | '/Groups',
    body: unknown,
    action: string,
    lookup: () => Promise<T | undefined>,
    what: string,
    confirmedAbsent = false,
  ): Promise<{ adopted: true; value: T } | { adopted: false; response: HttpResponse }> {
    const maxAttempts = (this.opts.maxRetries ?? 5) + 1;
    const before = confirmedAbsent ? undefined : await lookup();
    if (before?.id) {
      this.http.note({ method: 'GET', path: collection, durationMs: 0, action: `adopt-${action.replace(/^create-/, '')}`, detail: `${what} already exists (id ${before.id}); adopted instead of POST` });
      return { adopted: true, value: before };
    }
    for (let attempt = 1; ; attempt++) {
      try {
        return { adopted: false, response: await this.http.request({ method: 'POST', path: collection, body, action, idempotent: false }) };
      } catch (e) {
        if (!(e instanceof ScimClientError)) throw e;
        if (e.code === 'SCIM_CONFLICT') {
          const existing = (await lookup()) ?? ((await this.scanForConflict(collection, body)) as T | undefined);
          if (existing?.id) {
            this.http.note({ method: 'POST', path: collection, status: 409, durationMs: 0, action: `adopt-${action.replace(/^create-/, '')}`, detail: `adopted existing ${what} (id ${existing.id})` });
            return { adopted: true, value: existing };
          }
          throw new ScimClientError('SCIM_CONFLICT', `${e.message} — and no existing ${what} could be found to adopt`, e);
        }
        if (!ambiguous(e)) throw e;
        if (!neverSent(e.cause)) {
          let existing: T | undefined;
          try {
            existing = await lookup();
          } catch (lookupError) {
            if (isScimClientError(lookupError, 'SCIM_ABORTED')) throw lookupError;
            throw e;
          }
          if (existing?.id) {
            this.http.note({ method: 'POST', path: collection, durationMs: 0, action: `adopt-${action.replace(/^create-/, '')}`, detail: `POST outcome unknown (${e.code}); found ${what} (id ${existing.id}) and adopted it` });
            return { adopted: true, value: existing };
          }
        }
        if (attempt >= maxAttempts) throw e;
        await sleep(backoffDelay(attempt, this.opts.retryBaseDelayMs ?? 250), this.signal);
      }
    }
  }

  private parseOrThrow<T>(fn: () => T, method: string, path: string): T {
    try {
      return fn();
    } catch (e) {
      const why = e instanceof Error && 'issues' in e ? (e as { issues: { message: string }[] }).issues.map((i) => i.message).join('; ') : (e as Error).message;
      throw new ScimClientError('SCIM_INVALID_RESPONSE', `${method} ${this.endpoint}${path} returned an invalid SCIM resource: ${why}`, { method, url: `${this.endpoint}${path}` });
    }
  }

  private parseUserOr(res: HttpResponse, fallback: ScimUser): ScimUser {
    try {
      return parseUser(res.body);
    } catch {
      const loc = res.headers.location;
      const id = typeof loc === 'string' ? decodeURIComponent(loc.replace(/\/+$/, '').split('/').pop() ?? '') : undefined;
      if (!id) throw new ScimClientError('SCIM_INVALID_RESPONSE', `POST ${this.endpoint}/Users returned neither a user nor a Location header`);
      return { ...fallback, id };
    }
  }

  private parseGroupOr(res: HttpResponse, fallback: ScimGroup): ScimGroup {
    const g = this.tryParseGroup(res.body);
    if (g) return g;
    const loc = res.headers.location;
    const id = typeof loc === 'string' ? decodeURIComponent(loc.replace(/\/+$/, '').split('/').pop() ?? '') : undefined;
    if (!id) throw new ScimClientError('SCIM_INVALID_RESPONSE', `POST ${this.endpoint}/Groups returned neither a group nor a Location header`);
    return { ...fallback, id };
  }

  private tryParseGroup(body: unknown): ScimGroup | undefined {
    if (body === undefined) return undefined;
    try {
      return parseGroup(body);
    } catch {
      return undefined;
    }
  }

  /** After PATCH/PUT: the user from a 200 body, or a fresh GET after 204 (or a body that is not a user). */
  private async userAfterWrite(id: string, res: HttpResponse): Promise<ScimUser> {
    let user: ScimUser | undefined;
    if (res.body !== undefined) {
      try {
        user = parseUser(res.body);
      } catch {
        user = undefined;
      }
    }
    if (!user) user = await this.getUserById(id);
    if (!user) throw new ScimClientError('SCIM_NOT_FOUND', `user ${id} disappeared during update at ${this.endpoint}/Users/${encodeURIComponent(id)}`, { status: 404 });
    this.users.put(user);
    return cloneJson(user);
  }

  /** Maps the profile's pending-user refusal to SCIM_PENDING_USER. */
  private userWriteError(e: unknown, id: string, deactivating: boolean): unknown {
    if (deactivating && this.profile.pendingUserCannotDeactivate && e instanceof ScimClientError && e.status === 400 && /pending/i.test(`${e.detail ?? ''} ${e.scimType ?? ''}`)) {
      return pendingUserError(e.method ?? 'PATCH', e.url ?? `${this.endpoint}/Users/${encodeURIComponent(id)}`, id, e.detail);
    }
    return e;
  }

  /** Names the member a 400/404/422 refers to, when the server's detail mentions one of this batch's ids. */
  private memberError(e: unknown, groupId: string, path: string, ops: PatchOperation[], batchIndex: number): unknown {
    if (!(e instanceof ScimClientError) || e.status === undefined || ![400, 404, 409, 422].includes(e.status)) return e;
    const ids: string[] = [];
    for (const op of ops) {
      if (Array.isArray(op.value)) for (const v of op.value as { value: string }[]) ids.push(v.value);
      const m = op.path?.match(/value eq "((?:[^"\\]|\\.)*)"/);
      if (m) ids.push(m[1].replace(/\\(.)/g, '$1'));
    }
    const text = `${e.detail ?? ''} ${e.message}`;
    const named = ids.find((id) => text.includes(id));
    if (named) return unknownMemberError(e.method ?? 'PATCH', e.url ?? `${this.endpoint}${path}`, groupId, named, e.status, e.detail);
    return new ScimClientError(e.code, `${e.message} (membership batch ${batchIndex + 1} of group ${groupId})`, e);
  }

  private putGroup(g: ScimGroup): void {
    this.groupsLite.put(withoutMembers(g));
    if (g.members !== undefined) this.groupsFull.put(g);
  }
}
