// Errors raised by the SCIM client: one class with stable codes users and layer 3 can match on, and small
// factories that build messages naming the method, endpoint URL (never credentials), status and SCIM detail.

export type ScimErrorCode =
  | 'SCIM_HTTP_ERROR'
  | 'SCIM_UNAUTHORIZED'
  | 'SCIM_NOT_FOUND'
  | 'SCIM_CONFLICT'
  | 'SCIM_UNREACHABLE'
  | 'SCIM_TIMEOUT'
  | 'SCIM_RETRIES_EXHAUSTED'
  | 'SCIM_INVALID_RESPONSE'
  | 'SCIM_PENDING_USER'
  | 'SCIM_UNSUPPORTED'
  | 'SCIM_ABORTED'
  | 'SCIM_UNKNOWN_PROFILE'
  /** Added to the contract: a client option is unusable (endpoint URL, CA file, log file). */
  | 'SCIM_INVALID_CONFIG';

export interface ScimClientErrorInit {
  status?: number;
  scimType?: string;
  detail?: string;
  method?: string;
  url?: string;
  cause?: unknown;
}

export class ScimClientError extends Error {
  readonly code: ScimErrorCode;
  status?: number;
  scimType?: string;
  detail?: string;
  method?: string;
  /** Request URL with any userinfo and credential-like query parameters removed. */
  url?: string;

  constructor(code: ScimErrorCode, message: string, init: ScimClientErrorInit = {}) {
    super(message, init.cause !== undefined ? { cause: init.cause } : undefined);
    this.name = 'ScimClientError';
    this.code = code;
    if (init.status !== undefined) this.status = init.status;
    if (init.scimType !== undefined) this.scimType = init.scimType;
    if (init.detail !== undefined) this.detail = init.detail;
    if (init.method !== undefined) this.method = init.method;
    if (init.url !== undefined) this.url = redactUrl(init.url);
  }
}

export const isScimClientError = (e: unknown, code?: ScimErrorCode): e is ScimClientError =>
  e instanceof ScimClientError && (code === undefined || e.code === code);

const SECRET_PARAM = /^(access_token|token|api_key|apikey|key|secret|password|client_secret|sig|signature|auth)$/i;

/** Removes userinfo and credential-like query parameters from a URL so it can appear in messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    for (const k of [...u.searchParams.keys()]) if (SECRET_PARAM.test(k)) u.searchParams.set(k, 'REDACTED');
    return u.toString();
  } catch {
    return url;
  }
}

/** '409 uniqueness: userName alice@x exists' */
function describe(status: number, scimType?: string, detail?: string): string {
  return `${status}${scimType ? ` ${scimType}` : ''}${detail ? `: ${detail}` : ''}`;
}

/** Error for a non-2xx SCIM answer, with the code chosen from the status. */
export function httpError(method: string, url: string, status: number, scimType?: string, detail?: string): ScimClientError {
  const code: ScimErrorCode =
    status === 401 || status === 403 ? 'SCIM_UNAUTHORIZED' : status === 404 ? 'SCIM_NOT_FOUND' : status === 409 ? 'SCIM_CONFLICT' : status === 501 ? 'SCIM_UNSUPPORTED' : 'SCIM_HTTP_ERROR';
  let msg = `${method} ${redactUrl(url)} failed: ${describe(status, scimType, detail)}`;
  if (code === 'SCIM_UNAUTHORIZED') msg += ' (check the token or username/password configured for this endpoint)';
  return new ScimClientError(code, msg, { status, scimType, detail, method, url });
}

export function unreachableError(method: string, url: string, cause: unknown): ScimClientError {
  const why = cause instanceof Error ? ((cause as { code?: string }).code ?? cause.message) : String(cause);
  return new ScimClientError('SCIM_UNREACHABLE', `${method} ${redactUrl(url)} failed: endpoint unreachable (${why}); check the endpoint URL and network`, { method, url, cause });
}

/** A TLS failure, with advice that fits its kind: no TLS at all, a certificate for another host, or an untrusted CA. */
export function tlsError(method: string, url: string, cause: unknown): ScimClientError {
  const why = tlsCode(cause) ?? (cause instanceof Error ? cause.message : String(cause));
  const what = /WRONG_VERSION_NUMBER|HTTP_REQUEST|PACKET_LENGTH_TOO_LONG|UNKNOWN_PROTOCOL/.test(why)
    ? `the server did not answer with TLS (${why}); if it serves plain HTTP, use an http:// endpoint`
    : /ALTNAME|HOSTNAME/.test(why)
      ? `the server's TLS certificate is not valid for this host name (${why}); use the host name the certificate names`
      : `the server's TLS certificate is not trusted (${why}); set ca_file to the CA certificate that signed it`;
  return new ScimClientError('SCIM_UNREACHABLE', `${method} ${redactUrl(url)} failed: ${what}`, { method, url, cause });
}

function tlsCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') return code;
  const cause = (e as { cause?: unknown } | undefined)?.cause;
  return cause && cause !== e ? tlsCode(cause) : undefined;
}

export function timeoutError(method: string, url: string, timeoutMs: number, cause?: unknown): ScimClientError {
  return new ScimClientError('SCIM_TIMEOUT', `${method} ${redactUrl(url)} failed: no answer within ${timeoutMs} ms (raise the timeout if the server is slow)`, { method, url, cause });
}

export function retriesExhaustedError(method: string, url: string, attempts: number, last: unknown): ScimClientError {
  const lastMsg = last instanceof Error ? last.message : String(last);
  const init: ScimClientErrorInit = { method, url, cause: last };
  if (last instanceof ScimClientError) {
    init.status = last.status;
    init.scimType = last.scimType;
    init.detail = last.detail;
  }
  return new ScimClientError('SCIM_RETRIES_EXHAUSTED', `${method} ${redactUrl(url)} failed after ${attempts} attempts; last error: ${lastMsg}`, init);
}

export function invalidResponseError(method: string, url: string, why: string): ScimClientError {
  return new ScimClientError('SCIM_INVALID_RESPONSE', `${method} ${redactUrl(url)} returned an invalid SCIM response: ${why}`, { method, url });
}

export function abortedError(method?: string, url?: string): ScimClientError {
  const where = method && url ? `${method} ${redactUrl(url)} ` : '';
  return new ScimClientError('SCIM_ABORTED', `${where}aborted: the operation was cancelled`, { method, url });
}

export function pendingUserError(method: string, url: string, id: string, detail?: string): ScimClientError {
  return new ScimClientError(
    'SCIM_PENDING_USER',
    `${method} ${redactUrl(url)} failed: user ${id} is pending (the account has not yet been activated by the user) and cannot be deactivated yet; a later run will retry`,
    { status: 400, detail, method, url },
  );
}

export function unsupportedError(what: string, profileTitle: string): ScimClientError {
  return new ScimClientError('SCIM_UNSUPPORTED', `${what} is not supported by the ${profileTitle} connector profile`);
}

export function unknownMemberError(method: string, url: string, groupId: string, memberId: string, status?: number, detail?: string): ScimClientError {
  return new ScimClientError('SCIM_HTTP_ERROR', `${method} ${redactUrl(url)} failed: member ${memberId} of group ${groupId} is not known to the server${detail ? ` (${detail})` : ''}`, {
    status,
    detail,
    method,
    url,
  });
}

export function invalidConfigError(message: string): ScimClientError {
  return new ScimClientError('SCIM_INVALID_CONFIG', message);
}

export function unknownProfileError(name: string, valid: string[]): ScimClientError {
  return new ScimClientError('SCIM_UNKNOWN_PROFILE', `unknown connector profile "${name}"; valid profiles: ${valid.join(', ')}`);
}
