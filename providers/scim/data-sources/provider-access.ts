// How group resources and data sources reach the configured SCIM client: the slice of provider data they
// need, a guard for "provider not configured yet", and the mapping of client errors to Terraform diagnostics.
import type { AttributePath, HandlerContext } from '../plugin/provider-definition';
import { DiagnosticError } from '../plugin/provider-definition';
import type { ConnectorProfile, ScimClient } from '../client';
import { ScimClientError } from '../client/errors';
import type { ScimProviderData } from '../provider-config';
import { scimFailure } from '../resources/scim-diagnostics';

export type Ctx = HandlerContext<ScimProviderData>;

/** The configured client, or a diagnostic explaining why there is none (unknown provider configuration).
 * Its requests are aborted by this call's signal (StopProvider, Ctrl-C, a cancelled call). */
export function requireClient(ctx: Ctx, what: string): ScimClient {
  const data = ctx.providerData;
  if (!data || !data.client) {
    throw new DiagnosticError(
      `Provider not configured for ${what}`,
      'The scim provider configuration is not known yet (it depends on values computed during apply). ' +
        'Apply the resources it depends on first, or set endpoint and credentials to known values.',
    );
  }
  return data.client.withSignal(ctx.signal);
}

/** The client when the provider is configured, else undefined (plans tolerate unknown configuration). */
export function optionalClient(ctx: Ctx): ScimClient | undefined {
  const data = ctx.providerData;
  return data?.client?.withSignal(ctx.signal);
}

/** Plan-time refusal of a group on a users-only connector profile. */
export function groupsUnsupported(profile: ConnectorProfile, typeName: string): DiagnosticError {
  return new DiagnosticError(
    `${typeName} is not supported by the "${profile.name}" connector profile`,
    `The ${profile.title} app provisions users only; it has no SCIM groups. Remove the ${typeName} resource for this ` +
      `provider, or point it at a provider whose profile supports groups (generic or proxy).`,
  );
}

const MEMBER_NOT_KNOWN = /member (\S+) of group \S+ is not known/;

/** Converts a thrown error into a diagnostic: SCIM client errors keep their message (it names the endpoint);
 * an unknown group member is reported at `members`, naming the member. */
export function toDiagnostic(e: unknown, summary: string, path?: AttributePath): DiagnosticError {
  if (e instanceof DiagnosticError) return e;
  if (e instanceof ScimClientError) {
    const m = MEMBER_NOT_KNOWN.exec(e.message);
    if (m) return new DiagnosticError(`Unknown group member ${m[1]}`, e.message, path ?? ['members']);
    const d = scimFailure(summary, e, path);
    return new DiagnosticError(d.summary, d.detail, d.path);
  }
  return new DiagnosticError(summary, e instanceof Error ? e.message : String(e), path);
}
