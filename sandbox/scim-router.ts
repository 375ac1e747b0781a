// The SCIM endpoints of one tenant (after authentication and fault injection): routes a request to
// discovery, list/search, or the user/group services, and shapes the SCIM responses (ListResponse,
// Location, ETag, 201/200/204, attributes/excludedAttributes projection).
import { Messages } from 'scimmy';
import { decodeSegment } from './http-io';
import { compileFilter, matches, project, projectionFilter } from './filter-query';
import { createGroup, deleteGroup, patchGroup, replaceGroup } from './group-service';
import { LIST_RESPONSE_SCHEMA, type ResourceKind, viaScimmy } from './scim-schemas';
import { invalidValue, methodNotAllowed, notFound, notImplemented } from './scim-error';
import { MAX_PAGE_SIZE, resourceTypes, schemaDocuments, serviceProviderConfig } from './discovery';
import type { TenantContext } from './tenant-context';
import { etag, type StoredRecord } from './tenant-store';
import { createUser, deleteUser, patchUser, replaceUser, requireRecord } from './user-service';

export interface ScimRequest {
  method: string;
  /** Path below the tenant base, without query, e.g. '/Users/123'. */
  path: string;
  query: URLSearchParams;
  body: unknown;
  headers: { ifMatch?: string; ifNoneMatch?: string };
}

export interface ScimResponse { status: number; body?: string | object; headers?: Record<string, string> }

interface ListParams { filter?: string; startIndex?: string | number; count?: string | number; attributes?: string; excludedAttributes?: string }

const param = (q: URLSearchParams, name: string): string | undefined => {
  for (const [k, v] of q) if (k.toLowerCase() === name.toLowerCase()) return v;
  return undefined;
};

function integer(value: string | number | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const text = String(value).trim();
  if (!/^[-+]?\d+$/.test(text)) throw invalidValue(`'${name}' must be an integer, got '${text}'`);
  return Number(text);
}

const isWrite = (method: string) => method === 'POST' || method === 'PUT' || method === 'PATCH' || method === 'DELETE';

export async function routeScim(ctx: TenantContext, req: ScimRequest): Promise<ScimResponse> {
  const segments = req.path.split('/').filter(Boolean);
  const [first, second, ...rest] = segments;
  const base = ctx.store.baseUrl;
  const only = (allowed: string[]) => { if (!allowed.includes(req.method)) throw methodNotAllowed(req.method, req.path, allowed); };

  if (rest.length) throw notFound(`No SCIM endpoint at ${req.path}`);
  switch (first) {
    case 'ServiceProviderConfig':
      only(['GET']);
      if (second) throw notFound(`No SCIM endpoint at ${req.path}`);
      return { status: 200, body: serviceProviderConfig(ctx.profile, base) };
    case 'ResourceTypes': {
      only(['GET']);
      const types = resourceTypes(ctx.profile, base);
      if (!second) return { status: 200, body: listOf(types) };
      const t = types.find((r) => r.id === second);
      if (!t) throw notFound(`ResourceType '${second}' not found${ctx.profile.supportsGroups ? '' : ` (${ctx.profile.title} has users only)`}`);
      return { status: 200, body: t };
    }
    case 'Schemas': {
      only(['GET']);
      const docs = schemaDocuments(ctx.profile, base);
      if (!second) return { status: 200, body: listOf(docs) };
      const doc = docs.find((d) => d.id === decodeSegment(second));
      if (!doc) throw notFound(`Schema '${second}' not found`);
      return { status: 200, body: doc };
    }
    case 'Users':
    case 'Groups': {
      const kind: ResourceKind = first === 'Users' ? 'User' : 'Group';
      if (kind === 'Group' && !ctx.profile.supportsGroups) {
        throw notFound(`${ctx.profile.title} does not support groups: there is no /Groups endpoint on this tenant (see /ServiceProviderConfig and /ResourceTypes)`);
      }
      const run = isWrite(req.method) ? <T>(fn: () => T | Promise<T>) => ctx.writes.run(fn) : async <T>(fn: () => T | Promise<T>) => fn();
      if (!second) {
        only(['GET', 'POST']);
        if (req.method === 'GET') return list(ctx, kind, queryParams(req.query));
        return run(() => created(ctx, kind, req));
      }
      if (second === '.search') {
        only(['POST']);
        return list(ctx, kind, searchParams(req.body));
      }
      return run(() => onResource(ctx, kind, decodeSegment(second), req));
    }
    case 'Bulk':
      throw notImplemented('Bulk operations are not supported (ServiceProviderConfig bulk.supported=false)');
    case 'Me':
      throw notImplemented('/Me is not supported by the sandbox');
    default:
      throw notFound(`No SCIM endpoint at ${req.path || '/'}; endpoints: /Users${ctx.profile.supportsGroups ? ', /Groups' : ''}, /ServiceProviderConfig, /ResourceTypes, /Schemas`);
  }
}

function listOf(items: object[]): object {
  return { schemas: [LIST_RESPONSE_SCHEMA], totalResults: items.length, startIndex: 1, itemsPerPage: items.length, Resources: items };
}

function queryParams(q: URLSearchParams): ListParams {
  return { filter: param(q, 'filter'), startIndex: param(q, 'startIndex'), count: param(q, 'count'), attributes: param(q, 'attributes'), excludedAttributes: param(q, 'excludedAttributes') };
}

function searchParams(body: unknown): ListParams {
  const search = viaScimmy(() => new Messages.SearchRequest(body as ConstructorParameters<typeof Messages.SearchRequest>[0]));
  return {
    filter: search.filter, startIndex: search.startIndex, count: search.count,
    attributes: search.attributes?.join(','), excludedAttributes: search.excludedAttributes?.join(','),
  };
}

function representation(ctx: TenantContext, kind: ResourceKind, rec: StoredRecord): Record<string, unknown> {
  return kind === 'User' ? ctx.store.userResource(rec) : ctx.store.groupResource(rec);
}

function list(ctx: TenantContext, kind: ResourceKind, p: ListParams): ScimResponse {
  const store = ctx.store;
  const records = kind === 'User' ? store.users : store.groups;
  let candidates: StoredRecord[];
  if (p.filter !== undefined) {
    const compiled = compileFilter(kind, p.filter);
    const folded = (rec: StoredRecord) => (kind === 'User' ? store.foldedUser(rec) : store.foldedGroup(rec));
    let pool: Iterable<StoredRecord> = records.values();
    if (compiled.indexable) {
      const hits = new Set<StoredRecord>();
      for (const { attribute, value } of compiled.indexable) {
        const id = attribute === 'id' ? value
          : attribute === 'externalId' ? (kind === 'User' ? store.userIdByExternalId(value) : store.groupIdByExternalId(value))
          : attribute === 'userName' ? store.userIdByUserName(value) : store.groupIdByDisplayName(value);
        const hit = id !== undefined ? records.get(id) : undefined;
        if (hit) hits.add(hit);
      }
      // Keep store order (stable paging) when several branches hit.
      pool = hits.size > 1 ? [...records.values()].filter((r) => hits.has(r)) : [...hits];
    }
    candidates = [];
    for (const rec of pool) if (matches(compiled, folded(rec))) candidates.push(rec);
  } else {
    candidates = [...records.values()];
  }
  const cap = Math.min(MAX_PAGE_SIZE, ctx.faults.pageCap() ?? MAX_PAGE_SIZE);
  const startIndex = Math.max(1, integer(p.startIndex, 'startIndex') ?? 1);
  const count = Math.min(cap, Math.max(0, integer(p.count, 'count') ?? cap));
  const page = candidates.slice(startIndex - 1, startIndex - 1 + count);
  const projection = projectionFilter(p.attributes, p.excludedAttributes);
  let resources: string;
  if (projection) resources = page.map((r) => JSON.stringify(project(kind, representation(ctx, kind, r), projection))).join(',');
  else if (kind === 'User') resources = page.map((r) => store.userJson(r)).join(',');
  else resources = page.map((r) => JSON.stringify(store.groupResource(r))).join(',');
  const body = `{"schemas":["${LIST_RESPONSE_SCHEMA}"],"totalResults":${candidates.length},"startIndex":${startIndex},"itemsPerPage":${page.length},"Resources":[${resources}]}`;
  return { status: 200, body };
}

/** A single resource as a response body, honouring attributes/excludedAttributes. */
function resourceResponse(ctx: TenantContext, kind: ResourceKind, rec: StoredRecord, query: URLSearchParams, status: number, extra: Record<string, string> = {}): ScimResponse {
  const projection = projectionFilter(param(query, 'attributes'), param(query, 'excludedAttributes'));
  const body = projection ? project(kind, representation(ctx, kind, rec), projection)
    : kind === 'User' ? ctx.store.userJson(rec) : ctx.store.groupResource(rec);
  return { status, body, headers: { ETag: etag(rec), ...extra } };
}

async function created(ctx: TenantContext, kind: ResourceKind, req: ScimRequest): Promise<ScimResponse> {
  const rec = kind === 'User' ? createUser(ctx, req.body) : createGroup(ctx, req.body);
  return resourceResponse(ctx, kind, rec, req.query, 201, { Location: `${ctx.store.baseUrl}/${kind}s/${rec.id}` });
}

async function onResource(ctx: TenantContext, kind: ResourceKind, id: string, req: ScimRequest): Promise<ScimResponse> {
  const { ifMatch, ifNoneMatch } = req.headers;
  switch (req.method) {
    case 'GET': {
      const rec = requireRecord(kind === 'User' ? ctx.store.users : ctx.store.groups, kind, id);
      if (ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim() === etag(rec) || t.trim() === '*')) return { status: 304, headers: { ETag: etag(rec) } };
      return resourceResponse(ctx, kind, rec, req.query, 200);
    }
    case 'PUT': {
      const rec = kind === 'User' ? replaceUser(ctx, id, req.body, ifMatch) : replaceGroup(ctx, id, req.body, ifMatch);
      return resourceResponse(ctx, kind, rec, req.query, 200);
    }
    case 'PATCH': {
      const rec = kind === 'User' ? await patchUser(ctx, id, req.body, ifMatch) : await patchGroup(ctx, id, req.body, ifMatch);
      if (kind === 'Group' && ctx.profile.groupPatchStatus === 204) return { status: 204, headers: { ETag: etag(rec) } };
      return resourceResponse(ctx, kind, rec, req.query, 200);
    }
    case 'DELETE':
      if (kind === 'User') deleteUser(ctx, id, ifMatch);
      else deleteGroup(ctx, id, ifMatch);
      return { status: 204 };
    default:
      throw methodNotAllowed(req.method, req.path, ['GET', 'PUT', 'PATCH', 'DELETE']);
  }
}
