// Turns SCIM client failures into Terraform diagnostics: what failed (the client's message names the method and
// endpoint URL, never credentials) plus a hint on how to fix it, chosen by the stable error code.
import type { AttributePath, Diagnostic, HandlerContext } from '../plugin/provider-definition';
import { DiagnosticError } from '../plugin/provider-definition';
import { ScimClientError } from '../client/errors';
import type { ScimProviderData } from '../provider-config';

const HINTS: Partial<Record<ScimClientError['code'], string>> = {
  SCIM_UNAUTHORIZED: 'The server refused the credentials: check `token` (SCIM_TOKEN) or `username`/`password` (SCIM_USERNAME / SCIM_PASSWORD) in the provider block, and that they are not expired.',
  SCIM_UNREACHABLE: 'Check the provider `endpoint` (scheme, host, port and path) and that the server is running and reachable from this machine.',
  SCIM_TIMEOUT: 'The server did not answer in time: raise the provider `timeout`, or lower `requests_per_second` if the server is overloaded.',
  SCIM_RETRIES_EXHAUSTED: 'The server kept failing (server errors or throttling) through every retry. Try again later, or raise `max_retries` in the provider block.',
  SCIM_INVALID_RESPONSE: 'The server answered with something that is not SCIM JSON: check that `endpoint` is the SCIM base URL (ending in e.g. /scim/v2).',
  SCIM_PENDING_USER: 'Nothing was lost: the declared state stays in the configuration and a later run will retry once the user has activated their account.',
  SCIM_ABORTED: 'The operation was cancelled (Terraform was interrupted). Run it again.',
};

/** An error diagnostic for a failed SCIM operation. */
export function scimFailure(summary: string, e: unknown, path?: AttributePath): Diagnostic {
  if (e instanceof DiagnosticError) return { severity: 'error', summary: e.summary, detail: e.detail, path: e.path ?? path };
  const message = e instanceof Error ? e.message : String(e);
  const hint = e instanceof ScimClientError ? HINTS[e.code] : undefined;
  const d: Diagnostic = { severity: 'error', summary, detail: hint ? `${message}\n\n${hint}` : message };
  if (path) d.path = path;
  return d;
}

/** The provider data, or an error saying the provider is not configured (unknown configuration at plan time). */
export function requireProviderData(ctx: HandlerContext<ScimProviderData>, what: string): ScimProviderData {
  if (!ctx.providerData) {
    throw new DiagnosticError(
      `The scim provider is not configured, so ${what} cannot run`,
      'The provider block has values that are only known after apply (or failed to configure). Set `endpoint` and the ' +
        'credentials to known values, or apply the resources they depend on first.',
    );
  }
  return ctx.providerData;
}
