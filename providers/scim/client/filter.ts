// SCIM filter building (RFC 7644 §3.4.2.2): string values are JSON strings, so `"`, `\` and control
// characters are escaped (\n, \t, … or \uXXXX) and any userName or displayName can be looked up safely.

const SHORT_ESCAPES: Record<string, string> = { '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Escapes a value for use inside a double-quoted SCIM filter string (as JSON does). */
export function escapeFilterValue(value: string): string {
  return value.replace(/[\\"\u0000-\u001f\u007f\u2028\u2029]/g, (c) => {
    if (c === '\\' || c === '"') return `\\${c}`;
    return SHORT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
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
