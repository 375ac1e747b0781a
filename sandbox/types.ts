// Public types of the sandbox: tenant names, fault switches, request-log entries, credentials and the
// options of a running sandbox (its handle, RunningSandbox, is declared by server.ts beside startSandbox).

export const TENANT_NAMES = ['generic', 'proxyclick', 'promapp', 'proxy'] as const;
export type TenantName = (typeof TENANT_NAMES)[number];

export function isTenantName(value: unknown): value is TenantName {
  return typeof value === 'string' && (TENANT_NAMES as readonly string[]).includes(value);
}

/**
 * Fault switches of one tenant. Every field is optional; an empty object means "no faults".
 * Random choices come from a per-tenant PRNG seeded by `startSandbox({ seed })`, so a given
 * request sequence always meets the same faults.
 */
export interface FaultConfig {
  /** Requests per second the tenant accepts (token bucket, burst = max(1, rate)); excess gets 429 + Retry-After. */
  rateLimitPerSecond?: number;
  /** Retry-After (seconds) sent with 429; default: time until the next token, rounded up, at least 1. */
  retryAfterSeconds?: number;
  /** Fraction 0..1 of requests answered with a server error (status drawn from errorStatuses). */
  errorRate?: number;
  /** Statuses errorRate picks from; default [500, 503]. */
  errorStatuses?: number[];
  /** Fraction 0..1 of requests whose connection is destroyed without any response. */
  dropRate?: number;
  /** 'before' (default): dropped before the request is processed; 'after': the write is applied, then the socket is destroyed. */
  dropPhase?: 'before' | 'after';
  /** Latency added to every request, in milliseconds. */
  latencyMs?: number;
  /** Extra uniform random latency in [0, latencyJitterMs] ms. */
  latencyJitterMs?: number;
  /** Page-size cap: a list response never holds more than this many resources, whatever `count` asks. */
  maxPageSize?: number;
  /** Group PATCH removing a member the group does not have → 400 noTarget, as strict servers answer. */
  strictMemberRemove?: boolean;
  /** Fail the next N requests (counted down as they arrive) with failStatus. */
  failNext?: number;
  /** Status for failNext; default 503. 429 carries Retry-After. */
  failStatus?: number;
  /**
   * false: the tenant behaves like a server without versions — no ETag header, no meta.version, If-Match
   * ignored, ServiceProviderConfig etag.supported = false. Default true.
   */
  etags?: boolean;
  /**
   * Races on demand: right after the next GET of this one resource has been answered (its body reflects the
   * state before the edit), the edit is applied as an admin (drift) change, once; then the switch clears
   * itself. `path` is relative to the tenant base, e.g. '/Users/<id>' or '/Groups/<id>'; `attributes` is what
   * the admin API's PATCH takes (shallow merge, null removes; `sandboxStatus` for users).
   */
  editAfterGet?: { path: string; attributes: Record<string, unknown> };
}

export interface RequestLogEntry {
  time: string;
  tenant: TenantName;
  method: string;
  /** Path and query relative to the tenant base, percent-decoded, e.g. '/Users?filter=userName eq "a@x"'. */
  path: string;
  /** HTTP status sent; 0 when the connection was dropped by fault injection. */
  status: number;
  durationMs: number;
  /** Set when the response came from fault injection: 'rateLimit' | 'error' | 'drop' | 'failNext'. */
  fault?: string;
}

export interface SandboxCredentials {
  generic: { baseUrl: string; token: string };
  proxyclick: { baseUrl: string; token: string };
  promapp: { baseUrl: string; token: string };
  proxy: { baseUrl: string; username: string; password: string };
  admin: { baseUrl: string; token: string };
}

export interface StartSandboxOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** Directory holding store.json, journal.jsonl and credentials.json (created if missing). */
  dataDir: string;
  /** Fault switches applied at start, per tenant. */
  faults?: Partial<Record<TenantName, FaultConfig>>;
  /** Seed of the fault-injection PRNG (deterministic faults). */
  seed?: number;
  /** Also append every request-log entry as one JSON line to this file. */
  requestLogFile?: string;
  /** Suppress the few lines the sandbox prints on its own (it never prints secrets). */
  quiet?: boolean;
  /** Debounce of the atomic snapshot write, in ms (default 1000). Acknowledged writes are journaled at once regardless. */
  snapshotDelayMs?: number;
}
