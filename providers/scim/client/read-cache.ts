// Per-client read cache: one paginated listing of a collection serves every later get/find by id, userName,
// displayName or externalId. Concurrent first calls share the same in-flight listing; writes update or
// invalidate entries; when the listing is refused the cache switches itself off (and says so through
// `onRefused`) and callers GET by id. A listing that kept changing while it was paged answers only hits:
// "absent" is then left to a filter query or a GET by id.
import { isScimClientError } from './errors';

type CacheState = 'cold' | 'loading' | 'warm' | 'refused';

export type Lookup<T> = { hit: true; value: T | undefined } | { hit: false };

/** What a cache load returns: the items, and whether the listing is known to be complete. */
export interface CacheLoad<T> {
  items: T[];
  complete: boolean;
}

export class ReadCache<T extends { id?: string }> {
  private state: CacheState = 'cold';
  private loading?: Promise<boolean>;
  private readonly byId = new Map<string, T>();
  /** Secondary index: key ('userName:alice@x') → ids. */
  private readonly byKey = new Map<string, Set<string>>();
  /** Ids written or invalidated while loading or after: the listing must not overwrite them. */
  private readonly touched = new Set<string>();
  /** Ids whose cached value is unknown: callers read them by id. */
  private readonly stale = new Set<string>();
  /** Why the listing was refused (for logs). */
  refusal?: string;
  /** False when the listing may miss resources: misses are then not answers. */
  private complete = true;

  constructor(
    private readonly load: () => Promise<CacheLoad<T> | T[]>,
    private readonly keys: (t: T) => string[],
    private readonly enabled = true,
    private readonly onRefused?: (why: string) => void,
  ) {}

  get warm(): boolean {
    return this.state === 'warm';
  }

  /** Loads the listing once (shared by concurrent callers); true when the cache can answer. */
  async ensure(): Promise<boolean> {
    if (!this.enabled) return false;
    if (this.state === 'warm') return true;
    if (this.state === 'refused') return false;
    if (!this.loading) {
      this.state = 'loading';
      this.loading = this.load().then(
        (loaded) => {
          const { items, complete } = Array.isArray(loaded) ? { items: loaded, complete: true } : loaded;
          for (const item of items) if (item.id !== undefined && !this.touched.has(item.id)) this.index(item);
          this.complete = complete;
          this.state = 'warm';
          this.loading = undefined;
          return true;
        },
        (e: unknown) => {
          this.loading = undefined;
          if (isScimClientError(e, 'SCIM_ABORTED') || isScimClientError(e, 'SCIM_UNAUTHORIZED')) {
            this.state = 'cold';
            throw e;
          }
          this.state = 'refused';
          this.refusal = e instanceof Error ? e.message : String(e);
          this.onRefused?.(this.refusal);
          return false;
        },
      );
    }
    return this.loading;
  }

  /** Fills the cache from a complete listing obtained elsewhere (e.g. an unfiltered listUsers). */
  fill(items: T[], complete = true): void {
    if (!this.enabled || this.state === 'warm' || this.state === 'loading') return;
    for (const item of items) if (item.id !== undefined && !this.touched.has(item.id)) this.index(item);
    this.complete = complete;
    this.state = 'warm';
  }

  get(id: string): Lookup<T> {
    if (this.state !== 'warm' || this.stale.has(id)) return { hit: false };
    const value = this.byId.get(id);
    if (!value && !this.complete) return { hit: false };
    return { hit: true, value };
  }

  /** The first entry whose secondary keys include `key`, when the cache is warm. */
  findByKey(key: string): Lookup<T> {
    if (this.state !== 'warm') return { hit: false };
    for (const id of this.byKey.get(key) ?? []) {
      if (this.stale.has(id)) return { hit: false };
      const v = this.byId.get(id);
      if (v) return { hit: true, value: v };
    }
    return this.complete ? { hit: true, value: undefined } : { hit: false };
  }

  /**
   * The first entry found by any of `keys` (undefined ones skipped), tried in order: a hit with a value as soon as
   * one key finds an entry; a hit without value (known absent) only when every key was answered; else a miss.
   */
  findByKeys(keys: (string | undefined)[]): Lookup<T> {
    let missed = false;
    for (const key of keys) {
      if (!key) continue;
      const hit = this.findByKey(key);
      if (!hit.hit) missed = true;
      else if (hit.value) return hit;
    }
    return missed ? { hit: false } : { hit: true, value: undefined };
  }

  /** Records the server's current version of a resource (after a read or write). */
  put(item: T): void {
    if (!this.enabled || item.id === undefined) return;
    this.touched.add(item.id);
    this.stale.delete(item.id);
    this.unindex(item.id);
    this.index(item);
  }

  /** Forgets a deleted resource: later gets answer "absent" without a request. */
  remove(id: string): void {
    this.touched.add(id);
    this.stale.delete(id);
    this.unindex(id);
  }

  /** Marks a resource as changed in an unknown way: later gets read it by id. */
  invalidate(id: string): void {
    this.touched.add(id);
    this.stale.add(id);
  }

  private index(item: T): void {
    const id = item.id!;
    this.byId.set(id, item);
    for (const k of this.keys(item)) {
      let s = this.byKey.get(k);
      if (!s) this.byKey.set(k, (s = new Set()));
      s.add(id);
    }
  }

  private unindex(id: string): void {
    const old = this.byId.get(id);
    if (!old) return;
    this.byId.delete(id);
    for (const k of this.keys(old)) this.byKey.get(k)?.delete(id);
  }
}
