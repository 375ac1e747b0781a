// What the ScimClient's operations share: the connector profile, the transport (a per-call view under
// ScimClient.withSignal), the read caches, the listing and retry settings, and the guards every operation
// starts with (a cancelled call, a profile without groups).
import { abortedError, unsupportedError } from './errors';
import type { HttpTransport } from './http-transport';
import type { ScimGroup, ScimUser } from './model';
import type { ConnectorProfile } from './profiles';
import type { ReadCache } from './read-cache';

/** One listing per collection serves every later read (read-cache.ts); groups with and without members. */
export interface ClientCaches {
  users: ReadCache<ScimUser>;
  groupsFull: ReadCache<ScimGroup>;
  groupsLite: ReadCache<ScimGroup>;
}

export interface ClientContext {
  readonly profile: ConnectorProfile;
  readonly http: HttpTransport;
  readonly caches: ClientCaches;
  /** Resources per listing page (the profile's maxPageSize, else 1000). */
  readonly pageSize: number;
  /** Pages fetched at once. */
  readonly listConcurrency: number;
  /** Retries after the first attempt (the POST loop of create-with-adoption.ts). */
  readonly maxRetries: number;
  readonly retryBaseDelayMs: number;
  /** Members per membership PATCH, when the options override the profile. */
  readonly memberBatchSize?: number;
  /** The call's signal (withSignal), else the client's own. */
  readonly signal?: AbortSignal;
  /** Whether updates go by PATCH: the profile decides, or discovery. */
  patchSupported(): Promise<boolean>;
}

export function checkAborted(c: ClientContext): void {
  if (c.signal?.aborted) throw abortedError();
}

export function requireGroups(c: ClientContext, what: string): void {
  if (!c.profile.supportsGroups) throw unsupportedError(`${what[0].toUpperCase()}${what.slice(1)}`, c.profile.title);
}

const lower = (s: string) => s.toLowerCase();
/** Cache keys of a user: userName (case-insensitive) and externalId (case-exact). */
export const userKeys = (u: ScimUser) => [`userName:${lower(u.userName)}`, ...(u.externalId ? [`externalId:${u.externalId}`] : [])];
/** Cache keys of a group: displayName (case-insensitive) and externalId (case-exact). */
export const groupKeys = (g: ScimGroup) => [`displayName:${lower(g.displayName)}`, ...(g.externalId ? [`externalId:${g.externalId}`] : [])];
