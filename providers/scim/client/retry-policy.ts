// When and how long to wait before retrying a SCIM call: Retry-After (seconds or HTTP date, capped),
// exponential backoff with full jitter, and which failures are retryable.
//
// Idempotency decision: GET, PUT, DELETE and every PATCH this client writes are retried on 429, 5xx (not
// 501) and connection errors. Our PATCHes only `replace`/`remove` whole attributes or add/remove specific
// member values, so sending one twice converges on the same state. POST is never retried here: the client
// first looks the resource up (it may have been created) and adopts it, and only re-POSTs when it is absent.
// A 429 answer means the request was refused before processing, so it is retried for every method.

/** Longest wait honoured from a Retry-After header. */
export const MAX_RETRY_AFTER_MS = 60_000;
/** Longest exponential backoff step. */
export const MAX_BACKOFF_MS = 10_000;

/** Milliseconds to wait from a Retry-After header value (delta-seconds or HTTP date); undefined if absent/invalid. */
export function parseRetryAfter(header: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const raw = Array.isArray(header) ? header[0] : header;
  if (raw === undefined) return undefined;
  const v = raw.trim();
  if (v === '') return undefined;
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(v)) ms = Number(v) * 1000;
  else {
    const t = Date.parse(v);
    if (Number.isNaN(t)) return undefined;
    ms = t - now;
  }
  return Math.min(Math.max(0, Math.round(ms)), MAX_RETRY_AFTER_MS);
}

/** Full-jitter exponential backoff: a random wait in [base·2^(attempt-1)/2, base·2^(attempt-1)], capped. */
export function backoffDelay(attempt: number, baseMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Statuses that are worth retrying (the server may succeed later). */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || (status >= 500 && status !== 501 && status !== 505);
}

/** undici / Node error codes for failures at the connection level. */
const CONNECTION_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

export function errorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') return code;
  const cause = (e as { cause?: unknown } | undefined)?.cause;
  return cause && cause !== e ? errorCode(cause) : undefined;
}

export function isConnectionError(e: unknown): boolean {
  const c = errorCode(e);
  return c !== undefined && CONNECTION_CODES.has(c);
}

export function isTimeoutError(e: unknown): boolean {
  const c = errorCode(e);
  return c === 'UND_ERR_HEADERS_TIMEOUT' || c === 'UND_ERR_BODY_TIMEOUT' || c === 'UND_ERR_CONNECT_TIMEOUT' || c === 'ETIMEDOUT';
}

/** Failures where the request certainly never reached the server (safe to resend even a POST). */
export function neverSent(e: unknown): boolean {
  const c = errorCode(e);
  return c === 'ECONNREFUSED' || c === 'ENOTFOUND' || c === 'EAI_AGAIN' || c === 'EHOSTUNREACH' || c === 'ENETUNREACH' || c === 'UND_ERR_CONNECT_TIMEOUT';
}

/** Certificate and TLS handshake failures: permanent until the configuration changes, never retried. */
export function isTlsError(e: unknown): boolean {
  const c = errorCode(e);
  return c !== undefined && /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|HOSTNAME/.test(c);
}
