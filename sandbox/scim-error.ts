// SCIM error responses (RFC 7644 §3.12): one error class with a stable code, small named factories,
// and the conversion of any thrown value (scimmy errors included) into an error body.
import { Types } from 'scimmy';

export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

export type SandboxErrorCode =
  | 'SANDBOX_BAD_REQUEST' | 'SANDBOX_UNAUTHORIZED' | 'SANDBOX_NOT_FOUND' | 'SANDBOX_METHOD_NOT_ALLOWED'
  | 'SANDBOX_CONFLICT' | 'SANDBOX_PRECONDITION_FAILED' | 'SANDBOX_TOO_LARGE' | 'SANDBOX_NOT_IMPLEMENTED'
  | 'SANDBOX_FAULT' | 'SANDBOX_INTERNAL';

export interface ScimErrorBody { schemas: string[]; status: string; scimType?: string; detail: string }

export class SandboxScimError extends Error {
  constructor(
    readonly status: number,
    readonly code: SandboxErrorCode,
    readonly detail: string,
    readonly scimType?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'SandboxScimError';
  }

  body(): ScimErrorBody {
    return { schemas: [SCIM_ERROR_SCHEMA], status: String(this.status), ...(this.scimType ? { scimType: this.scimType } : {}), detail: this.detail };
  }
}

export const badRequest = (scimType: string, detail: string) => new SandboxScimError(400, 'SANDBOX_BAD_REQUEST', detail, scimType);
export const invalidSyntax = (detail: string) => badRequest('invalidSyntax', detail);
export const invalidValue = (detail: string) => badRequest('invalidValue', detail);
export const invalidFilter = (detail: string) => badRequest('invalidFilter', detail);
export const mutability = (detail: string) => badRequest('mutability', detail);
export const uniqueness = (detail: string) => new SandboxScimError(409, 'SANDBOX_CONFLICT', detail, 'uniqueness');
export const notFound = (detail: string) => new SandboxScimError(404, 'SANDBOX_NOT_FOUND', detail);
export const methodNotAllowed = (method: string, path: string, allowed: string[]) =>
  new SandboxScimError(405, 'SANDBOX_METHOD_NOT_ALLOWED', `${method} is not supported on ${path}; use ${allowed.join(', ')}`, undefined, { Allow: allowed.join(', ') });
export const preconditionFailed = (detail: string) => new SandboxScimError(412, 'SANDBOX_PRECONDITION_FAILED', detail);
export const payloadTooLarge = (limit: number) =>
  new SandboxScimError(413, 'SANDBOX_TOO_LARGE', `Request body exceeds the ${limit} byte limit; send smaller requests`, 'tooMany');
export const notImplemented = (detail: string) => new SandboxScimError(501, 'SANDBOX_NOT_IMPLEMENTED', detail);
export const unauthorized = (detail: string, challenge: string) =>
  new SandboxScimError(401, 'SANDBOX_UNAUTHORIZED', detail, undefined, { 'WWW-Authenticate': challenge });

/** Converts anything thrown while handling a request into a SandboxScimError (never leaks stack traces). */
export function toSandboxError(err: unknown): SandboxScimError {
  if (err instanceof SandboxScimError) return err;
  if (err instanceof Types.Error) {
    const status = Number(err.status) || 400;
    const code: SandboxErrorCode = status === 404 ? 'SANDBOX_NOT_FOUND' : status === 409 ? 'SANDBOX_CONFLICT' : status >= 500 ? 'SANDBOX_INTERNAL' : 'SANDBOX_BAD_REQUEST';
    return new SandboxScimError(status, code, err.message, err.scimType || undefined);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new SandboxScimError(500, 'SANDBOX_INTERNAL', `Internal sandbox error: ${message}`);
}
