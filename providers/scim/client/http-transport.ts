// HTTP transport for one SCIM endpoint: an undici Pool (keep-alive, bounded connections, header/body
// timeouts, the CA file or the process's default authorities from tls-trust.ts), authentication and custom
// headers, the shared rate limiter, retries with Retry-After and jittered backoff, abort (the client's signal,
// or a per-call one), JSON decoding and one provisioning-log line per attempt. A PATCH retried after an attempt
// whose outcome is unknown and answered `400 noTarget` had its targets removed by that earlier attempt: it
// counts as done.
import * as fs from 'node:fs';
import { abortedError, httpError, invalidConfigError, invalidResponseError, redactUrl, retriesExhaustedError, ScimClientError, timeoutError, tlsError, unreachableError } from './errors';
import { parseErrorBody } from './model';
import { ProvisioningLog, type ProvisioningLogLine } from './provisioning-log';
import { RateLimiter } from './rate-limiter';
import { backoffDelay, errorCode, isConnectionError, isRetryableStatus, isTimeoutError, isTlsError, neverSent, parseRetryAfter } from './retry-policy';
import { sleep } from './sleep';
import { defaultTlsOptions } from './tls-trust';
import { createPool, type Pool, poolRequest } from './undici-pool';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type TransportAuth = { kind: 'bearer'; token: string } | { kind: 'basic'; username: string; password: string };

export interface TransportOptions {
  endpoint: string;
  auth: TransportAuth;
  headers?: Record<string, string>;
  timeoutMs: number;
  maxRetries: number;
  retryBaseDelayMs: number;
  requestsPerSecond?: number;
  /** Budgets per minute (evenly spaced, no bursts): every request, and writes (any method but GET). */
  requestsPerMinute?: number;
  writesPerMinute?: number;
  caFile?: string;
  connections: number;
  signal?: AbortSignal;
  provisioningLogFile?: string;
  onLog?: (line: ProvisioningLogLine) => void;
}

export interface HttpRequest {
  method: HttpMethod;
  /** Path relative to the endpoint, with query string: '/Users?filter=…'. */
  path: string;
  body?: unknown;
  contentType?: string;
  /** Provisioning-log action, e.g. 'create-user'. */
  action?: string;
  /** Aborts this request (and its retries and backoff); default the transport's own signal. */
  signal?: AbortSignal;
  /** Retry 5xx and connection failures (default: every method but POST). 429 is always retried. */
  idempotent?: boolean;
  /** Extra request headers, e.g. `if-match` (lower-case names). */
  headers?: Record<string, string>;
}

export interface HttpResponse {
  status: number;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
}

const SCIM_JSON = 'application/scim+json';

export class HttpTransport {
  readonly endpoint: string;
  private readonly basePath: string;
  private readonly origin: string;
  private readonly pool: Pool;
  private readonly limiter?: RateLimiter;
  private readonly minuteLimiter?: RateLimiter;
  private readonly writeLimiter?: RateLimiter;
  private readonly log: ProvisioningLog;
  private readonly baseHeaders: Record<string, string>;
  /** Set on a view made by withSignal: the call's signal. */
  private callSignal?: AbortSignal;

  constructor(private readonly opts: TransportOptions) {
    let url: URL;
    try {
      url = new URL(opts.endpoint);
    } catch {
      throw invalidConfigError(`endpoint "${redactUrl(opts.endpoint)}" is not a valid URL (expected e.g. https://host/scim/v2)`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw invalidConfigError(`endpoint "${url.origin}${url.pathname}" must use http or https`);
    }
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.endpoint = `${this.origin}${this.basePath}`;
    let connect: { ca: Buffer } | ReturnType<typeof defaultTlsOptions>;
    if (opts.caFile) {
      try {
        connect = { ca: fs.readFileSync(opts.caFile) };
      } catch (e) {
        throw invalidConfigError(`cannot read CA file ${opts.caFile}: ${(e as Error).message} (check ca_file)`);
      }
    } else if (url.protocol === 'https:') {
      connect = defaultTlsOptions();
    }
    this.pool = createPool(this.origin, {
      connections: opts.connections,
      keepAliveTimeout: 10_000,
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.timeoutMs,
      connectTimeout: Math.min(opts.timeoutMs, 10_000),
      ...(connect ? { connect } : {}),
    });
    if (opts.requestsPerSecond !== undefined && opts.requestsPerSecond > 0) this.limiter = new RateLimiter(opts.requestsPerSecond);
    if (opts.requestsPerMinute !== undefined && opts.requestsPerMinute > 0) this.minuteLimiter = new RateLimiter(opts.requestsPerMinute / 60, 1);
    if (opts.writesPerMinute !== undefined && opts.writesPerMinute > 0) this.writeLimiter = new RateLimiter(opts.writesPerMinute / 60, 1);
    const secrets: string[] = [];
    let authorization: string;
    if (opts.auth.kind === 'bearer') {
      authorization = `Bearer ${opts.auth.token}`;
      secrets.push(opts.auth.token);
    } else {
      const b64 = Buffer.from(`${opts.auth.username}:${opts.auth.password}`).toString('base64');
      authorization = `Basic ${b64}`;
      secrets.push(opts.auth.password, b64);
    }
    this.log = new ProvisioningLog(this.endpoint, opts.provisioningLogFile, opts.onLog, secrets);
    this.baseHeaders = { accept: `${SCIM_JSON}, application/json`, ...lowerKeys(opts.headers ?? {}), authorization };
  }

  /** Sends a request, retrying as the policy allows; resolves with any 2xx answer, rejects with ScimClientError. */
  async request(req: HttpRequest): Promise<HttpResponse> {
    const idempotent = req.idempotent ?? req.method !== 'POST';
    const url = `${this.endpoint}${req.path}`;
    const maxAttempts = this.opts.maxRetries + 1;
    const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
    const headers: Record<string, string> = { ...this.baseHeaders, ...lowerKeys(req.headers ?? {}) };
    if (payload !== undefined) headers['content-type'] = req.contentType ?? SCIM_JSON;
    let last: ScimClientError | undefined;
    // Whether an earlier attempt may have reached the server and been applied (its answer was lost or a 5xx).
    let maybeApplied = false;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const signal = req.signal ?? this.callSignal ?? this.opts.signal;
      if (signal?.aborted) throw abortedError(req.method, url);
      // The write budget first: a write waiting for it must not hold a token of the overall budget meanwhile.
      if (this.writeLimiter && req.method !== 'GET') await this.writeLimiter.take(signal);
      if (this.minuteLimiter) await this.minuteLimiter.take(signal);
      if (this.limiter) await this.limiter.take(signal);
      const started = Date.now();
      let status: number;
      let text: string;
      let resHeaders: Record<string, string | string[] | undefined>;
      try {
        const res = await poolRequest(this.pool, { path: `${this.basePath}${req.path}`, method: req.method, headers, body: payload, signal });
        status = res.statusCode;
        resHeaders = res.headers;
        text = await res.body.text();
      } catch (e) {
        const durationMs = Date.now() - started;
        if (signal?.aborted || errorCode(e) === 'UND_ERR_ABORTED') {
          this.log.write({ method: req.method, path: req.path, durationMs, action: req.action, attempt, error: 'aborted' });
          throw abortedError(req.method, url);
        }
        const err = isTimeoutError(e) ? timeoutError(req.method, url, this.opts.timeoutMs, e) : isTlsError(e) ? tlsError(req.method, url, e) : unreachableError(req.method, url, e);
        this.log.write({ method: req.method, path: req.path, durationMs, action: req.action, attempt, error: err.message });
        last = err;
        if (!neverSent(e)) maybeApplied = true;
        if (attempt < maxAttempts && isConnectionError(e) && (idempotent || neverSent(e))) {
          await sleep(backoffDelay(attempt, this.opts.retryBaseDelayMs), signal);
          continue;
        }
        throw attempt > 1 ? exhausted(req.method, url, attempt, err) : err;
      }
      const durationMs = Date.now() - started;
      let body: unknown;
      let parseFailed = false;
      if (text.trim() !== '') {
        try {
          body = JSON.parse(text);
        } catch {
          parseFailed = true;
        }
      }
      if (status >= 200 && status < 300) {
        this.log.write({ method: req.method, path: req.path, status, durationMs, action: req.action, attempt });
        if (parseFailed) throw invalidResponseError(req.method, url, `body is not JSON (${text.slice(0, 80)})`);
        return { status, body, headers: resHeaders };
      }
      const info = parseErrorBody(body);
      if (req.method === 'PATCH' && maybeApplied && status === 400 && info.scimType?.toLowerCase() === 'notarget') {
        // PATCH is atomic (RFC 7644 §3.5.2): the earlier attempt applied every operation, removals included.
        this.log.write({ method: req.method, path: req.path, status, durationMs, action: req.action, attempt, detail: 'noTarget on a retry: the earlier attempt already applied this PATCH; counted as done' });
        return { status: 204, body: undefined, headers: resHeaders };
      }
      if (status >= 500 && status !== 501) maybeApplied = true;
      const detail = info.detail ?? (parseFailed || body === undefined ? text.trim().slice(0, 200) || undefined : undefined);
      const err = httpError(req.method, url, status, info.scimType, detail);
      this.log.write({ method: req.method, path: req.path, status, durationMs, action: req.action, attempt, error: err.message });
      last = err;
      if (attempt < maxAttempts && isRetryableStatus(status) && (idempotent || status === 429)) {
        const retryAfter = status === 429 || status === 503 ? parseRetryAfter(resHeaders['retry-after']) : undefined;
        await sleep(retryAfter ?? backoffDelay(attempt, this.opts.retryBaseDelayMs), signal);
        continue;
      }
      throw attempt > 1 && isRetryableStatus(status) ? exhausted(req.method, url, attempt, err) : err;
    }
    throw last ?? new ScimClientError('SCIM_RETRIES_EXHAUSTED', `${req.method} ${url} failed`);
  }

  /** This transport (same pool, limiter and log) with its requests aborted by `signal` instead. */
  withSignal(signal: AbortSignal): HttpTransport {
    const view = Object.create(this) as HttpTransport;
    view.callSignal = signal;
    return view;
  }

  /** Writes a provisioning-log line that is not an HTTP attempt (e.g. an adoption decision). */
  note(entry: Omit<ProvisioningLogLine, 'time' | 'endpoint'>): void {
    this.log.write(entry);
  }

  /** Closes the pool (gracefully, or at once after an abort) and the log file; safe to call twice. */
  async close(): Promise<void> {
    this.log.close();
    if (this.pool.closed || this.pool.destroyed) return;
    if (this.opts.signal?.aborted) await this.pool.destroy();
    else await this.pool.close();
  }
}

/** Keeps the specific code of connection failures (unreachable/timeout) but says how many attempts were made. */
function exhausted(method: string, url: string, attempts: number, err: ScimClientError): ScimClientError {
  if (err.code === 'SCIM_UNREACHABLE' || err.code === 'SCIM_TIMEOUT') {
    return new ScimClientError(err.code, `${err.message} (after ${attempts} attempts)`, { method, url, cause: err });
  }
  return retriesExhaustedError(method, url, attempts, err);
}

function lowerKeys(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = v;
  return out;
}
