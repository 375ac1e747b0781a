// SCIM filter building (RFC 7644 §3.4.2.2): string values quoted with `"` and `\` escaped, so any
// userName or displayName can be looked up safely.

/** Escapes a value for use inside a double-quoted SCIM filter string. */
export function escapeFilterValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/** `attr eq "value"` with the value escaped. */
export function eqFilter(attribute: string, value: string): string {
  return `${attribute} eq "${escapeFilterValue(value)}"`;
}

/** A query string (leading `?`) with every value percent-encoded (spaces as %20, not `+`). */
export function queryString(params: Record<string, string | number | undefined>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') parts.push(`${k}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/** A resource path with the id percent-encoded: `/Users/a%2Fb`. */
export function resourcePath(collection: '/Users' | '/Groups', id: string): string {
  return `${collection}/${encodeURIComponent(id)}`;
}
