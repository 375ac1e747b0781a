// In-memory data of one tenant: users and groups with the indexes that keep lookups O(1)
// (id, userName and displayName case-insensitively, externalId), the user→groups reverse index,
// cached JSON of each user, and a change feed the persistence layer journals.
import { foldCase } from './filter-query';
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, groupDefinition, USER_SCHEMA, userDefinition } from './scim-schemas';
import { uniqueness } from './scim-error';
import type { TenantName } from './types';

export interface StoredRecord {
  id: string;
  /** SCIM attributes without schemas, id, meta, groups and members. */
  data: Record<string, unknown>;
  created: string;
  lastModified: string;
  version: number;
  /** Users only (Proxy): created inactive, never activated. */
  pending?: boolean;
  /** Groups only: member user ids, in insertion order, unique. */
  members?: string[];
}

export type ChangeEvent =
  | { op: 'put'; kind: 'user' | 'group'; record: StoredRecord }
  | { op: 'delete'; kind: 'user' | 'group'; id: string }
  | { op: 'reset' };

interface Cached { json?: string; resource?: Record<string, unknown>; folded?: object }

const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : undefined);

export class TenantStore {
  readonly users = new Map<string, StoredRecord>();
  readonly groups = new Map<string, StoredRecord>();
  private readonly userByName = new Map<string, string>();
  private readonly userByExternalId = new Map<string, string>();
  private readonly groupByName = new Map<string, string>();
  private readonly groupByExternalId = new Map<string, string>();
  private readonly memberOf = new Map<string, Set<string>>();
  private readonly cache = new WeakMap<StoredRecord, Cached>();
  /** Absolute base URL of the tenant (meta.location, $ref); set when the server listens. */
  baseUrl = '';

  constructor(readonly tenant: TenantName, private readonly onChange: (tenant: TenantName, event: ChangeEvent) => void = () => {}) {}

  // ---- lookups -------------------------------------------------------------------------------
  userIdByUserName(userName: string): string | undefined { return this.userByName.get(userName.toLowerCase()); }
  userIdByExternalId(externalId: string): string | undefined { return this.userByExternalId.get(externalId); }
  groupIdByDisplayName(name: string): string | undefined { return this.groupByName.get(name.toLowerCase()); }
  groupIdByExternalId(externalId: string): string | undefined { return this.groupByExternalId.get(externalId); }
  groupsOfUser(userId: string): string[] { return [...(this.memberOf.get(userId) ?? [])]; }

  /** Throws 409 uniqueness when userName (case-insensitively) or externalId is taken by another user. */
  assertUserUnique(data: Record<string, unknown>, exceptId?: string): void {
    const byName = typeof data.userName === 'string' ? this.userIdByUserName(data.userName) : undefined;
    if (byName && byName !== exceptId) throw uniqueness(`userName '${String(data.userName)}' is already used by user ${byName} (userName is unique, compared case-insensitively)`);
    const byExt = typeof data.externalId === 'string' ? this.userByExternalId.get(data.externalId) : undefined;
    if (byExt && byExt !== exceptId) throw uniqueness(`externalId '${String(data.externalId)}' is already used by user ${byExt}`);
  }

  assertGroupUnique(data: Record<string, unknown>, exceptId?: string): void {
    const byName = typeof data.displayName === 'string' ? this.groupIdByDisplayName(data.displayName) : undefined;
    if (byName && byName !== exceptId) throw uniqueness(`displayName '${String(data.displayName)}' is already used by group ${byName} (displayName is unique, compared case-insensitively)`);
    const byExt = typeof data.externalId === 'string' ? this.groupByExternalId.get(data.externalId) : undefined;
    if (byExt && byExt !== exceptId) throw uniqueness(`externalId '${String(data.externalId)}' is already used by group ${byExt}`);
  }

  // ---- mutations (each one is journaled) --------------------------------------------------------
  putUser(record: StoredRecord): void {
    this.setUser(record);
    this.onChange(this.tenant, { op: 'put', kind: 'user', record });
  }

  deleteUser(id: string, now: string): void {
    if (!this.users.has(id)) return;
    for (const groupId of this.groupsOfUser(id)) {
      const group = this.groups.get(groupId);
      if (!group) continue;
      this.putGroup({ ...group, members: (group.members ?? []).filter((m) => m !== id), lastModified: now, version: group.version + 1 });
    }
    this.removeUser(id);
    this.onChange(this.tenant, { op: 'delete', kind: 'user', id });
  }

  putGroup(record: StoredRecord): void {
    this.setGroup(record);
    this.onChange(this.tenant, { op: 'put', kind: 'group', record });
  }

  deleteGroup(id: string): void {
    if (!this.groups.has(id)) return;
    this.removeGroup(id);
    this.onChange(this.tenant, { op: 'delete', kind: 'group', id });
  }

  reset(): void {
    this.clear();
    this.onChange(this.tenant, { op: 'reset' });
  }

  // ---- raw state changes (also used to replay the journal) -------------------------------------
  apply(event: ChangeEvent): void {
    if (event.op === 'reset') this.clear();
    else if (event.op === 'delete') (event.kind === 'user' ? this.removeUser(event.id) : this.removeGroup(event.id));
    else (event.kind === 'user' ? this.setUser(event.record) : this.setGroup(event.record));
  }

  private clear(): void {
    this.users.clear(); this.groups.clear(); this.userByName.clear(); this.userByExternalId.clear();
    this.groupByName.clear(); this.groupByExternalId.clear(); this.memberOf.clear();
  }

  private setUser(record: StoredRecord): void {
    const old = this.users.get(record.id);
    if (old) this.unindexUser(old);
    this.users.set(record.id, record);
    const name = lower(record.data.userName);
    if (name !== undefined) this.userByName.set(name, record.id);
    if (typeof record.data.externalId === 'string') this.userByExternalId.set(record.data.externalId, record.id);
  }

  private unindexUser(record: StoredRecord): void {
    const name = lower(record.data.userName);
    if (name !== undefined && this.userByName.get(name) === record.id) this.userByName.delete(name);
    const ext = record.data.externalId;
    if (typeof ext === 'string' && this.userByExternalId.get(ext) === record.id) this.userByExternalId.delete(ext);
  }

  private removeUser(id: string): void {
    const old = this.users.get(id);
    if (!old) return;
    this.unindexUser(old);
    this.users.delete(id);
    for (const groupId of this.memberOf.get(id) ?? []) {
      const group = this.groups.get(groupId);
      if (group?.members?.includes(id)) group.members = group.members.filter((m) => m !== id);
    }
    this.memberOf.delete(id);
  }

  private setGroup(record: StoredRecord): void {
    const old = this.groups.get(record.id);
    const oldMembers = new Set(old?.members ?? []);
    const renamed = !old || old.data.displayName !== record.data.displayName;
    if (old) this.unindexGroup(old);
    record.members = [...new Set(record.members ?? [])];
    this.groups.set(record.id, record);
    const name = lower(record.data.displayName);
    if (name !== undefined) this.groupByName.set(name, record.id);
    if (typeof record.data.externalId === 'string') this.groupByExternalId.set(record.data.externalId, record.id);
    const newMembers = new Set(record.members);
    for (const m of oldMembers) if (!newMembers.has(m)) { this.memberOf.get(m)?.delete(record.id); this.invalidateUser(m); }
    for (const m of newMembers) {
      if (!oldMembers.has(m)) {
        let set = this.memberOf.get(m);
        if (!set) this.memberOf.set(m, (set = new Set()));
        set.add(record.id);
        this.invalidateUser(m);
      } else if (renamed) this.invalidateUser(m);
    }
  }

  private unindexGroup(record: StoredRecord): void {
    const name = lower(record.data.displayName);
    if (name !== undefined && this.groupByName.get(name) === record.id) this.groupByName.delete(name);
    const ext = record.data.externalId;
    if (typeof ext === 'string' && this.groupByExternalId.get(ext) === record.id) this.groupByExternalId.delete(ext);
  }

  private removeGroup(id: string): void {
    const old = this.groups.get(id);
    if (!old) return;
    this.unindexGroup(old);
    this.groups.delete(id);
    for (const m of old.members ?? []) { this.memberOf.get(m)?.delete(id); this.invalidateUser(m); }
  }

  private invalidateUser(id: string): void {
    const rec = this.users.get(id);
    if (rec) this.cache.delete(rec);
  }

  /** Forget cached JSON (e.g. after the base URL changed). */
  invalidateAll(): void {
    for (const rec of this.users.values()) this.cache.delete(rec);
  }

  // ---- representations -------------------------------------------------------------------------
  private cached(record: StoredRecord): Cached {
    let c = this.cache.get(record);
    if (!c) this.cache.set(record, (c = {}));
    return c;
  }

  userResource(record: StoredRecord): Record<string, unknown> {
    const c = this.cached(record);
    if (c.resource) return c.resource;
    const { data } = record;
    const groups = this.groupsOfUser(record.id).map((gid) => ({
      value: gid, $ref: `${this.baseUrl}/Groups/${gid}`, display: this.groups.get(gid)?.data.displayName, type: 'direct',
    }));
    const resource: Record<string, unknown> = {
      schemas: data[ENTERPRISE_USER_SCHEMA] ? [USER_SCHEMA, ENTERPRISE_USER_SCHEMA] : [USER_SCHEMA],
      id: record.id,
      ...data,
      ...(groups.length ? { groups } : {}),
      meta: { resourceType: 'User', created: record.created, lastModified: record.lastModified, version: etag(record), location: `${this.baseUrl}/Users/${record.id}` },
    };
    c.resource = resource;
    return resource;
  }

  /** Serialized user resource, cached until the user or one of its groups changes. */
  userJson(record: StoredRecord): string {
    const c = this.cached(record);
    if (c.json === undefined) c.json = JSON.stringify(this.userResource(record));
    return c.json;
  }

  foldedUser(record: StoredRecord): object {
    const c = this.cached(record);
    if (!c.folded) c.folded = foldCase(userDefinition, this.userResource(record)) as object;
    return c.folded;
  }

  groupResource(record: StoredRecord): Record<string, unknown> {
    const members = (record.members ?? []).map((uid) => {
      const user = this.users.get(uid);
      const display = user ? (user.data.displayName ?? user.data.userName) : undefined;
      return { value: uid, $ref: `${this.baseUrl}/Users/${uid}`, type: 'User', ...(display !== undefined ? { display } : {}) };
    });
    return {
      schemas: [GROUP_SCHEMA],
      id: record.id,
      ...record.data,
      members,
      meta: { resourceType: 'Group', created: record.created, lastModified: record.lastModified, version: etag(record), location: `${this.baseUrl}/Groups/${record.id}` },
    };
  }

  foldedGroup(record: StoredRecord): object {
    return foldCase(groupDefinition, this.groupResource(record)) as object;
  }
}

export const etag = (record: StoredRecord) => `W/"${record.version}"`;
