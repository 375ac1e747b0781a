// Turning model objects into request bodies: POST bodies without server-owned fields, and the full PUT
// body (the server's current resource with the desired changes merged in).
import { CORE_GROUP, CORE_USER, ENTERPRISE_USER, type ScimGroup, type ScimUser } from './model';
import { cloneJson } from './json-clone';
import { findUserAttribute, readAttribute, writeAttribute } from './user-attributes';
import { wireValue } from './patch-builder';

const SERVER_OWNED_USER = ['meta', 'groups', 'password'];

/** Drops undefined, null and '' values and empty objects (they mean "unset"), recursively. */
export function clean<T>(v: T): T {
  if (Array.isArray(v)) return v.map(clean).filter((x) => x !== undefined) as T;
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (x === undefined || x === null || x === '') continue;
      const c = clean(x);
      if (c && typeof c === 'object' && !Array.isArray(c) && Object.keys(c).length === 0) continue;
      out[k] = c;
    }
    return out as T;
  }
  return v;
}

function withSchemas(user: ScimUser): ScimUser {
  const schemas = new Set(user.schemas ?? []);
  schemas.add(CORE_USER);
  if (user[ENTERPRISE_USER]) schemas.add(ENTERPRISE_USER);
  else schemas.delete(ENTERPRISE_USER);
  return { ...user, schemas: [...schemas] };
}

/** The manager given as a bare id string or object is always written as {value}. */
function normaliseManager(user: ScimUser): ScimUser {
  const ext = user[ENTERPRISE_USER];
  if (!ext?.manager) return user;
  const mgr = findUserAttribute(`${ENTERPRISE_USER}.manager`)!;
  return { ...user, [ENTERPRISE_USER]: { ...ext, manager: wireValue(mgr, ext.manager) as { value?: string } } };
}

export function userPostBody(user: ScimUser): ScimUser {
  const body = clean(normaliseManager(withSchemas(user))) as ScimUser & Record<string, unknown>;
  delete body.id;
  for (const k of SERVER_OWNED_USER) delete body[k];
  return body;
}

/** Full PUT body: `base` (the server's resource) with every changed attribute set to its desired value. */
export function userPutBody(base: ScimUser, desired: ScimUser, changes: string[]): ScimUser {
  const merged = cloneJson(base) as ScimUser & Record<string, unknown>;
  for (const name of changes) {
    const a = findUserAttribute(name);
    if (!a) continue;
    const v = readAttribute(desired, a);
    const empty = v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
    writeAttribute(merged, a, empty ? undefined : wireValue(a, v));
  }
  for (const k of SERVER_OWNED_USER) delete merged[k];
  return clean(normaliseManager(withSchemas(merged)));
}

export function groupPostBody(group: ScimGroup): ScimGroup {
  return clean({ schemas: [CORE_GROUP], displayName: group.displayName, externalId: group.externalId });
}

export function groupPutBody(base: ScimGroup, changes: Partial<Pick<ScimGroup, 'displayName' | 'externalId'>>, members: string[]): ScimGroup {
  const out = { ...cloneJson(base), ...changes, schemas: [CORE_GROUP], members: members.map((value) => ({ value })) } as ScimGroup & Record<string, unknown>;
  delete out.meta;
  return clean(out);
}
