// The admin API under /admin (its own bearer token): out-of-band changes (drift), tenant reset,
// fault switches, request log, flush. Used by tests, demos and the CLI through SandboxAdmin.
import type { IncomingMessage } from 'node:http';
import { validateFaultConfig } from './faults';
import { adminCreateGroup, adminDeleteGroup, adminPatchGroup } from './group-service';
import { bearerToken, decodeSegment, parseJson, readBody, safeEqual } from './http-io';
import type { RequestLog } from './request-log';
import { methodNotAllowed, notFound, unauthorized } from './scim-error';
import type { ScimResponse } from './scim-router';
import type { TenantContext } from './tenant-context';
import type { StoredRecord } from './tenant-store';
import { isTenantName, TENANT_NAMES, type TenantName } from './types';
import { adminCreateUser, adminDeleteUser, adminPatchUser, requireRecord, userStatus } from './user-service';

export const ADMIN_PREFIX = '/admin';

export interface AdminDeps {
  token: string;
  contexts: Record<TenantName, TenantContext>;
  requestLog: RequestLog;
  flush(): void;
}

const ROUTES = [
  'GET /admin/tenants',
  'GET|POST /admin/tenants/{tenant}/users', 'GET|PATCH|DELETE /admin/tenants/{tenant}/users/{id}',
  'GET|POST /admin/tenants/{tenant}/groups', 'GET|PATCH|DELETE /admin/tenants/{tenant}/groups/{id}',
  'GET|PUT /admin/tenants/{tenant}/faults', 'GET|DELETE /admin/tenants/{tenant}/requests',
  'POST /admin/tenants/{tenant}/reset', 'POST /admin/flush',
];

function userView(ctx: TenantContext, rec: StoredRecord): Record<string, unknown> {
  return { ...ctx.store.userResource(rec), sandboxStatus: userStatus(rec) };
}

export async function routeAdmin(deps: AdminDeps, req: IncomingMessage, pathname: string): Promise<ScimResponse> {
  const token = bearerToken(req);
  if (!token || !safeEqual(token, deps.token)) {
    throw unauthorized('The admin API needs the admin bearer token (see "admin" in credentials.json)', 'Bearer realm="scimform-sandbox-admin"');
  }
  const method = req.method ?? 'GET';
  const only = (allowed: string[]) => { if (!allowed.includes(method)) throw methodNotAllowed(method, pathname, allowed); };
  const body = method === 'POST' || method === 'PUT' || method === 'PATCH' ? parseJson(await readBody(req)) : undefined;
  const seg = pathname.slice(ADMIN_PREFIX.length).split('/').filter(Boolean).map(decodeSegment);

  if (seg.length === 0) { only(['GET']); return { status: 200, body: { routes: ROUTES, tenants: [...TENANT_NAMES] } }; }
  if (seg[0] === 'flush' && seg.length === 1) { only(['POST']); deps.flush(); return { status: 204 }; }
  if (seg[0] !== 'tenants') throw notFound(`No admin endpoint at ${pathname}; routes: ${ROUTES.join('; ')}`);
  if (seg.length === 1) {
    only(['GET']);
    return {
      status: 200,
      body: TENANT_NAMES.map((t) => {
        const c = deps.contexts[t];
        return { name: t, title: c.profile.title, baseUrl: c.store.baseUrl, users: c.store.users.size, groups: c.store.groups.size, faults: c.faults.get() };
      }),
    };
  }
  const tenant = seg[1];
  if (!isTenantName(tenant)) throw notFound(`Unknown tenant '${tenant}'; tenants: ${TENANT_NAMES.join(', ')}`);
  const ctx = deps.contexts[tenant];
  const [, , area, id, ...rest] = seg;
  if (rest.length) throw notFound(`No admin endpoint at ${pathname}`);
  const write = <T>(fn: () => T) => ctx.writes.run(fn);

  switch (area) {
    case 'users':
      if (!id) {
        only(['GET', 'POST']);
        if (method === 'GET') return { status: 200, body: [...ctx.store.users.values()].map((r) => userView(ctx, r)) };
        return write(() => ({ status: 201, body: userView(ctx, adminCreateUser(ctx, body)) }));
      }
      only(['GET', 'PATCH', 'DELETE']);
      if (method === 'GET') return { status: 200, body: userView(ctx, requireRecord(ctx.store.users, 'User', id)) };
      if (method === 'PATCH') return write(() => ({ status: 200, body: userView(ctx, adminPatchUser(ctx, id, body)) }));
      return write(() => { adminDeleteUser(ctx, id); return { status: 204 }; });
    case 'groups':
      if (!ctx.profile.supportsGroups) throw notFound(`Tenant ${tenant} (${ctx.profile.title}) has no groups`);
      if (!id) {
        only(['GET', 'POST']);
        if (method === 'GET') return { status: 200, body: [...ctx.store.groups.values()].map((r) => ctx.store.groupResource(r)) };
        return write(() => ({ status: 201, body: ctx.store.groupResource(adminCreateGroup(ctx, body)) }));
      }
      only(['GET', 'PATCH', 'DELETE']);
      if (method === 'GET') return { status: 200, body: ctx.store.groupResource(requireRecord(ctx.store.groups, 'Group', id)) };
      if (method === 'PATCH') return write(() => ({ status: 200, body: ctx.store.groupResource(adminPatchGroup(ctx, id, body)) }));
      return write(() => { adminDeleteGroup(ctx, id); return { status: 204 }; });
    case 'faults':
      if (id) break;
      only(['GET', 'PUT']);
      if (method === 'PUT') ctx.faults.set(validateFaultConfig(body ?? {}, `faults of tenant ${tenant}`));
      return { status: method === 'PUT' ? 204 : 200, ...(method === 'GET' ? { body: ctx.faults.get() } : {}) };
    case 'requests':
      if (id) break;
      only(['GET', 'DELETE']);
      if (method === 'DELETE') { deps.requestLog.clear(tenant); return { status: 204 }; }
      return { status: 200, body: deps.requestLog.list(tenant) };
    case 'reset':
      if (id) break;
      only(['POST']);
      return write(() => {
        ctx.store.reset();
        ctx.faults.set({});
        deps.requestLog.clear(tenant);
        return { status: 204 };
      });
    default:
      break;
  }
  throw notFound(`No admin endpoint at ${pathname}; routes: ${ROUTES.join('; ')}`);
}
