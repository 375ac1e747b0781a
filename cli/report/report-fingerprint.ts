// A stable fingerprint of what a plan report would change (apps, users, groups, members; not the guard
// verdict). The pull-request comment carries it; `apply --expect-fingerprint` refuses a plan that
// differs from the one reviewed.
import { createHash } from 'node:crypto';

/** The parts of a report-model AppReport that the fingerprint covers (declared here, so the model can import this file). */
export interface FingerprintedApp {
  app: string;
  users: unknown;
  groups: unknown;
  members: unknown;
  error?: string;
}

const canonical = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v as object)
        .sort()
        .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
};

/** A JSON value as text with object keys sorted at every depth: equal texts, equal values. */
export const canonicalJson = (v: unknown): string => JSON.stringify(canonical(v));

export function fingerprintApps(apps: FingerprintedApp[]): string {
  const body = apps.map((a) => ({ app: a.app, users: a.users, groups: a.groups, members: a.members, error: a.error ?? null }));
  return createHash('sha256').update(canonicalJson(body)).digest('hex').slice(0, 32);
}

/**
 * A short digest of the attribute values a new account is planned with (sensitive values already masked by
 * the caller, so no secret goes into it): a create whose planned values change changes the fingerprint.
 */
export const plannedDigest = (values: unknown): string =>
  createHash('sha256').update(canonicalJson(values)).digest('hex').slice(0, 16);

export const FINGERPRINT_PATTERN = /<!-- scimform-fingerprint: ([0-9a-f]{32}) -->/;
export const fingerprintComment = (fingerprint: string): string => `<!-- scimform-fingerprint: ${fingerprint} -->`;
