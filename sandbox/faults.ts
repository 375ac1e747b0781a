// Fault injection of one tenant: validates a FaultConfig and decides, request by request, whether to
// add latency, fail (failNext, rate limit, random 500/503) or drop the connection. Random draws come
// from a seeded PRNG in a fixed order, so a seed reproduces the same faults for the same requests.
import { invalidValue } from './scim-error';
import type { FaultConfig } from './types';

export type FaultDecision =
  | { kind: 'none'; latencyMs: number }
  | { kind: 'fail'; fault: 'failNext' | 'rateLimit' | 'error'; status: number; retryAfter?: number; latencyMs: number }
  | { kind: 'drop'; phase: 'before' | 'after'; latencyMs: number };

/** mulberry32: small, fast, good enough for fault dice. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS: (keyof FaultConfig)[] = ['rateLimitPerSecond', 'retryAfterSeconds', 'errorRate', 'errorStatuses', 'dropRate', 'dropPhase', 'latencyMs', 'latencyJitterMs', 'maxPageSize', 'failNext', 'failStatus', 'etags', 'editAfterGet', 'strictMemberRemove'];

/** Validates a fault config (from JSON or the admin API); throws 400 invalidValue naming the field. */
export function validateFaultConfig(input: unknown, where = 'fault config'): FaultConfig {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw invalidValue(`${where} must be a JSON object with fields ${KEYS.join(', ')}`);
  const cfg = input as Record<string, unknown>;
  for (const key of Object.keys(cfg)) if (!KEYS.includes(key as keyof FaultConfig)) throw invalidValue(`${where}: unknown field '${key}' (known: ${KEYS.join(', ')})`);
  const num = (key: keyof FaultConfig, min: number, max = Infinity, integer = false) => {
    const v = cfg[key];
    if (v === undefined) return;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
      throw invalidValue(`${where}: '${key}' must be ${integer ? 'an integer' : 'a number'} between ${min} and ${max === Infinity ? 'any' : max}, got ${JSON.stringify(v)}`);
    }
  };
  num('rateLimitPerSecond', 0);
  num('retryAfterSeconds', 0, 86400, true);
  num('errorRate', 0, 1);
  num('dropRate', 0, 1);
  num('latencyMs', 0, 600000);
  num('latencyJitterMs', 0, 600000);
  num('maxPageSize', 1, 1_000_000, true);
  num('failNext', 0, 1_000_000, true);
  num('failStatus', 400, 599, true);
  if (cfg.errorStatuses !== undefined && (!Array.isArray(cfg.errorStatuses) || !cfg.errorStatuses.length || !cfg.errorStatuses.every((s) => Number.isInteger(s) && s >= 400 && s <= 599))) {
    throw invalidValue(`${where}: 'errorStatuses' must be a non-empty array of HTTP statuses 400-599, got ${JSON.stringify(cfg.errorStatuses)}`);
  }
  if (cfg.etags !== undefined && typeof cfg.etags !== 'boolean') throw invalidValue(`${where}: 'etags' must be true or false, got ${JSON.stringify(cfg.etags)}`);
  if (cfg.editAfterGet !== undefined) {
    const e = cfg.editAfterGet as { path?: unknown; attributes?: unknown } | null;
    const okPath = e && typeof e.path === 'string' && /^\/(Users|Groups)\/[^/?]+$/.test(e.path);
    const okAttrs = e && e.attributes !== null && typeof e.attributes === 'object' && !Array.isArray(e.attributes);
    if (!okPath || !okAttrs) throw invalidValue(`${where}: 'editAfterGet' must be { "path": "/Users/<id>" or "/Groups/<id>", "attributes": { ... } }, got ${JSON.stringify(cfg.editAfterGet)}`);
  }
  if (cfg.dropPhase !== undefined && cfg.dropPhase !== 'before' && cfg.dropPhase !== 'after') throw invalidValue(`${where}: 'dropPhase' must be "before" or "after"`);
  if (cfg.strictMemberRemove !== undefined && typeof cfg.strictMemberRemove !== 'boolean') throw invalidValue(`${where}: 'strictMemberRemove' must be true or false`);
  return { ...(cfg as FaultConfig) };
}

export class FaultInjector {
  private config: FaultConfig = {};
  private tokens = 0;
  private lastRefill = 0;

  constructor(private readonly random: () => number) {}

  set(config: FaultConfig): void {
    this.config = validateFaultConfig(config);
    this.tokens = Math.max(1, config.rateLimitPerSecond ?? 0);
    this.lastRefill = performance.now();
  }

  get(): FaultConfig {
    return { ...this.config };
  }

  /** Whether the tenant gives versions (ETag, meta.version) and honours If-Match. */
  etags(): boolean {
    return this.config.etags !== false;
  }

  /** The pending edit for a GET of `path` (relative to the tenant base), removed as it is taken. */
  takeEditAfterGet(method: string, path: string): { path: string; attributes: Record<string, unknown> } | undefined {
    const edit = this.config.editAfterGet;
    if (!edit || method !== 'GET' || path !== edit.path) return undefined;
    delete this.config.editAfterGet;
    return edit;
  }

  pageCap(): number | undefined {
    return this.config.maxPageSize;
  }

  /** Whether removing a member the group does not have answers 400 noTarget (strict servers do). */
  strictMemberRemove(): boolean {
    return this.config.strictMemberRemove === true;
  }

  decide(): FaultDecision {
    const c = this.config;
    const latencyMs = (c.latencyMs ?? 0) + (c.latencyJitterMs ? this.random() * c.latencyJitterMs : 0);
    if (c.failNext && c.failNext > 0) {
      c.failNext -= 1;
      const status = c.failStatus ?? 503;
      return { kind: 'fail', fault: 'failNext', status, retryAfter: status === 429 || status === 503 ? c.retryAfterSeconds ?? 1 : undefined, latencyMs };
    }
    if (c.rateLimitPerSecond !== undefined) {
      const rate = c.rateLimitPerSecond;
      const now = performance.now();
      const burst = Math.max(1, rate);
      this.tokens = Math.min(burst, this.tokens + ((now - this.lastRefill) / 1000) * rate);
      this.lastRefill = now;
      if (this.tokens >= 1) this.tokens -= 1;
      else {
        const wait = rate > 0 ? Math.ceil((1 - this.tokens) / rate) : 60;
        return { kind: 'fail', fault: 'rateLimit', status: 429, retryAfter: c.retryAfterSeconds ?? Math.max(1, wait), latencyMs };
      }
    }
    if (c.dropRate && this.random() < c.dropRate) return { kind: 'drop', phase: c.dropPhase ?? 'before', latencyMs };
    if (c.errorRate && this.random() < c.errorRate) {
      const statuses = c.errorStatuses ?? [500, 503];
      const status = statuses[Math.floor(this.random() * statuses.length)];
      return { kind: 'fail', fault: 'error', status, retryAfter: status === 503 || status === 429 ? c.retryAfterSeconds ?? 1 : undefined, latencyMs };
    }
    return { kind: 'none', latencyMs };
  }
}
