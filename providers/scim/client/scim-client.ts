// ScimClient: the layer-2 API over one SCIM endpoint — capabilities, users, groups and memberships — with
// adoption instead of duplicates, PATCH-or-PUT updates chosen from the profile, batched membership changes
// and a per-client read cache. Knows nothing of Terraform. This file owns the options, the shared state
// (client-context.ts), discovery and per-call cancellation; the operations live in user-operations.ts,
// group-operations.ts, group-memberships.ts, create-with-adoption.ts and server-reads.ts.
import { type ServiceProviderCapabilities, parseServiceProviderConfig, undiscoveredCapabilities } from './capabilities';
import { groupKeys, userKeys, type ClientContext } from './client-context';
import { ScimClientError } from './errors';
import { deleteGroup, createGroup, findGroup, getGroup, listGroups, updateGroup } from './group-operations';
import { updateGroupMembers } from './group-memberships';
import { HttpTransport } from './http-transport';
import type { ScimGroup, ScimUser } from './model';
import type { ConnectorProfile } from './profiles';
import type { ProvisioningLogLine } from './provisioning-log';
import { ReadCache } from './read-cache';
import { listGroupsChecked, listUsersChecked, type GroupQuery, type UserQuery } from './server-reads';
import * as users from './user-operations';
import type { UserListOptions, VersionedUser } from './user-operations';

export type { ServiceProviderCapabilities } from './capabilities';
export type { ProvisioningLogLine } from './provisioning-log';
export type { VersionedUser } from './user-operations';

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

export class ScimClient {
  readonly profile: ConnectorProfile;
  /** Replaced on a view made by withSignal (same caches, transport view with the call's signal). */
  private readonly ctx: ClientContext;
  /** Shared with the views made by withSignal. */
  private readonly discovered: { caps?: Promise<ServiceProviderCapabilities> } = {};

  constructor(opts: ScimClientOptions) {
    this.profile = opts.profile;
    const connections = opts.connections ?? 8;
    const http = new HttpTransport({
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
    const cacheOn = opts.readCache ?? true;
    // A refused listing switches the cache off, visibly: one provisioning-log line says why.
    const refused = (collection: string) => (why: string) =>
      http.note({ method: 'GET', path: collection, durationMs: 0, action: 'cache-refused', detail: `read cache off for ${collection}: the listing failed (${why}); every read now goes to the server by id or filter` });
    // Cache loads are shared by every caller, so they stop only with the client's own signal (this context).
    const load = <T>(fn: (c: ClientContext) => Promise<T>) => () => fn(this.ctx);
    this.ctx = {
      profile: opts.profile,
      http,
      caches: {
        users: new ReadCache(load((c) => listUsersChecked(c, {}, 'cache-users')), userKeys, cacheOn, refused('/Users')),
        groupsFull: new ReadCache(load((c) => listGroupsChecked(c, {}, 'cache-groups')), groupKeys, cacheOn, refused('/Groups')),
        groupsLite: new ReadCache(load((c) => listGroupsChecked(c, { excludeMembers: true }, 'cache-groups')), groupKeys, cacheOn, refused('/Groups')),
      },
      pageSize: opts.profile.maxPageSize ?? 1000,
      listConcurrency: Math.max(1, Math.min(4, connections)),
      maxRetries: opts.maxRetries ?? 5,
      retryBaseDelayMs: opts.retryBaseDelayMs ?? 250,
      memberBatchSize: opts.memberBatchSize,
      signal: opts.signal,
      patchSupported: () => this.patchSupported(),
    };
  }

  /**
   * This client (same connections, cache and log) with every request it starts aborted by `signal`: one
   * Terraform call's cancellation (Ctrl-C, StopProvider, a cancelled RPC) stops that call's requests in flight.
   */
  withSignal(signal: AbortSignal | undefined): ScimClient {
    if (!signal || signal === this.ctx.signal) return this;
    const view = Object.create(this) as ScimClient;
    const ctx: ClientContext = { ...this.ctx, http: this.ctx.http.withSignal(signal), signal, patchSupported: () => view.patchSupported() };
    Object.defineProperty(view, 'ctx', { value: ctx });
    return view;
  }

  /**
   * Writes a progress line of a bulk apply to the provisioning log: `action` (e.g. `roster-progress`), items done
   * (failed ones included) of `total`, and the time since the bulk apply started as `durationMs`.
   */
  noteProgress(p: { action: string; done: number; total: number; failed: number; elapsedMs: number; detail: string }): void {
    this.ctx.http.note({ method: '-', path: '/Users', durationMs: p.elapsedMs, action: p.action, done: p.done, total: p.total, failed: p.failed, detail: p.detail });
  }

  /** The endpoint base URL without trailing slash (no credentials). */
  get endpoint(): string {
    return this.ctx.http.endpoint;
  }

  // ---------------------------------------------------------------------------------------------- discovery

  /** GET /ServiceProviderConfig once (cached). Absent or refused (400/404/405/501) → defaults with discovered=false. */
  capabilities(): Promise<ServiceProviderCapabilities> {
    const shared = this.discovered;
    if (!shared.caps) {
      shared.caps = this.ctx.http.request({ method: 'GET', path: '/ServiceProviderConfig', action: 'discover' }).then(
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
  getUser(id: string): Promise<ScimUser | undefined> {
    return users.getUser(this.ctx, id);
  }

  /** Finds a user by userName (case-insensitively) or else externalId. */
  findUser(q: UserQuery): Promise<ScimUser | undefined> {
    return users.findUser(this.ctx, q);
  }

  /** Every user matching an optional filter (all pages). */
  listUsers(opts: UserListOptions = {}): Promise<ScimUser[]> {
    return users.listUsers(this.ctx, opts);
  }

  /**
   * POST /Users. Absence is confirmed by filter first (skipped with `confirmedAbsent` when the caller has
   * just done that query itself, e.g. findUserFresh). Never retried blindly: after an ambiguous failure
   * (connection dropped, timeout, 5xx) or a 409, the user is looked up by userName/externalId and returned
   * with adopted=true; only when it is absent is the POST sent again. The caller brings an adopted user to
   * the desired state.
   */
  createUser(user: ScimUser, opts: { confirmedAbsent?: boolean } = {}): Promise<{ user: ScimUser; adopted: boolean }> {
    return users.createUser(this.ctx, user, opts);
  }

  /**
   * Brings a user from `current` to `desired`: PATCH of the changed attributes (whole multi-valued attributes,
   * `remove` for cleared ones, URN paths for the enterprise extension), or a PUT of the full resource when the
   * server has no PATCH or the profile does not allow PATCH to change one of them (e.g. Promapp userName).
   */
  updateUser(id: string, current: ScimUser, desired: ScimUser, opts: { managed?: string[] } = {}): Promise<ScimUser> {
    return users.updateUser(this.ctx, id, current, desired, opts);
  }

  /** One GET of the user by id, never served from the read cache, with its version (ETag header, else meta.version). */
  readUserFresh(id: string): Promise<VersionedUser | undefined> {
    return users.readUserFresh(this.ctx, id);
  }

  /** Finds a user by userName (case-insensitively) or else externalId with filter queries, never from the read cache. */
  findUserFresh(q: UserQuery): Promise<ScimUser | undefined> {
    return users.findUserFresh(this.ctx, q);
  }

  /**
   * Writes exactly `changes` (attribute paths as userChanges() returns them, `active` included) of `desired`: one
   * PATCH of those attributes when the profile allows PATCH for all of them, else one PUT of `base` (the server's
   * copy just read) with only those attributes replaced. `ifMatch` (the version `base` was read at) is sent as
   * If-Match; a server that has changed the user since answers 412, surfaced as a ScimClientError with status 412.
   */
  writeUserChanges(id: string, base: ScimUser, desired: ScimUser, changes: string[], opts: { ifMatch?: string } = {}): Promise<VersionedUser> {
    return users.writeUserChanges(this.ctx, id, base, desired, changes, opts);
  }

  /** Deactivates or reactivates a user (PATCH active, or PUT when PATCH may not change it). */
  setUserActive(id: string, active: boolean): Promise<ScimUser> {
    return users.setUserActive(this.ctx, id, active);
  }

  /** DELETE /Users/{id}; an already absent user is fine. (On Promapp, DELETE only deactivates.) */
  deleteUser(id: string): Promise<void> {
    return users.deleteUser(this.ctx, id);
  }

  // ---------------------------------------------------------------------------------------------- groups

  /** The group with this id (members included unless excludeMembers), undefined when unknown; served from
   * the read cache unless `fresh` (one GET by id, used before writing what a plan decided). */
  getGroup(id: string, opts: { excludeMembers?: boolean; fresh?: boolean } = {}): Promise<ScimGroup | undefined> {
    return getGroup(this.ctx, id, opts);
  }

  /** Finds a group by displayName (case-insensitively) or else externalId. The result carries no members; use getGroup for them. */
  findGroup(q: GroupQuery): Promise<ScimGroup | undefined> {
    return findGroup(this.ctx, q);
  }

  /** Every group matching an optional filter (all pages); members excluded on request. */
  listGroups(opts: { filter?: string; excludeMembers?: boolean } = {}): Promise<ScimGroup[]> {
    return listGroups(this.ctx, opts);
  }

  /**
   * POST /Groups without members, then the members in PATCH batches. Adoption as for users: after a 409 or an
   * ambiguous failure the group is looked up by displayName/externalId and returned (with its current
   * members) with adopted=true, members untouched; the caller reconciles them with updateGroupMembers.
   */
  createGroup(group: ScimGroup): Promise<{ group: ScimGroup; adopted: boolean }> {
    return createGroup(this.ctx, group);
  }

  /**
   * Changes displayName/externalId (PATCH, or PUT keeping the current members). `ifMatch` (the version the
   * caller read the group at) is sent as If-Match: a group changed since answers 412 (a ScimClientError with
   * status 412), and the caller reads it again.
   */
  updateGroup(id: string, current: ScimGroup, desired: ScimGroup, opts: { ifMatch?: string } = {}): Promise<ScimGroup> {
    return updateGroup(this.ctx, id, current, desired, opts);
  }

  /**
   * Adds and removes members: PATCH bodies of at most memberBatchSize members, each carrying both the add and
   * the remove operations; a PUT of the whole member list when the server has no PATCH. A member id the
   * server rejects → ScimClientError naming the member. A `400 noTarget` (a member to remove is already gone,
   * e.g. removed by another admin) is not a failure: the group is read again and only the operations still
   * needed are sent, once.
   */
  updateGroupMembers(id: string, add: string[], remove: string[]): Promise<void> {
    return updateGroupMembers(this.ctx, id, add, remove);
  }

  /** DELETE /Groups/{id}; an already absent group is fine. */
  deleteGroup(id: string): Promise<void> {
    return deleteGroup(this.ctx, id);
  }

  /** Closes the connection pool and the provisioning log. */
  async close(): Promise<void> {
    await this.ctx.http.close();
  }
}
