// Deep copies of parsed JSON values (SCIM resources as read from a server or built for one). A plain
// recursive copy: several times faster than structuredClone, which matters when a listing of thousands
// of users is cached and every read hands out a copy.
export function cloneJson<T>(v: T): T {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) return v.map(cloneJson) as T;
  const out: Record<string, unknown> = {};
  for (const k in v) out[k] = cloneJson((v as Record<string, unknown>)[k]);
  return out as T;
}
