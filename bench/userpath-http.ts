// The HTTP half of the user-path floors, as plain undici calls against one sandbox tenant: a paged listing
// (what reading the whole tenant costs at the app profile's page size), a snapshot of what scimform created,
// and the replay of those creating calls (POST per user, POST per group, member PATCHes in the profile's
// batch size) at a fixed concurrency on the reset tenant.

import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';
import { httpFailed } from './errors';
import { runPool } from './http-load';
import type { TenantEndpoint } from './userpath-sandbox';

const SERVER_OWNED = ['id', 'meta', 'sandboxStatus', 'groups'];

export interface TenantSnapshot {
  users: Record<string, unknown>[];
  groups: { body: Record<string, unknown>; memberIds: string[] }[];
  /** Old user id → index in users (to map group members onto the replayed ids). */
  userIndex: Map<string, number>;
}

class Http {
  readonly agent: Agent;
  readonly counts: Record<string, number> = {};
  constructor(private readonly endpoint: TenantEndpoint, connections: number) {
    this.agent = new Agent({ connections, keepAliveTimeout: 30_000, pipelining: 1 });
  }
  async call(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const url = `${this.endpoint.baseUrl.replace(/\/+$/, '')}${path}`;
    const res = await request(url, {
      method: method as 'GET',
      headers: { authorization: this.endpoint.authorization, 'content-type': 'application/scim+json', accept: 'application/scim+json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      dispatcher: this.agent,
    });
    this.counts[method] = (this.counts[method] ?? 0) + 1;
    const text = await res.body.text();
    if (res.statusCode < 200 || res.statusCode > 299) throw httpFailed(method, url, res.statusCode, text.slice(0, 500));
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  }
}

/** Lists every user (and group, when asked) page by page; returns seconds and requests. */
export async function pagedListing(endpoint: TenantEndpoint, pageSize: number, groups: boolean): Promise<{ seconds: number; requests: number; users: number }> {
  const http = new Http(endpoint, 1);
  const t0 = performance.now();
  let users = 0;
  try {
    for (const collection of groups ? ['/Users', '/Groups'] : ['/Users']) {
      for (let start = 1; ; ) {
        const page = await http.call('GET', `${collection}?startIndex=${start}&count=${pageSize}`);
        const got = ((page.Resources as unknown[] | undefined) ?? []).length;
        if (collection === '/Users') users += got;
        start += got;
        if (got === 0 || start > Number(page.totalResults ?? 0)) break;
      }
    }
    return { seconds: (performance.now() - t0) / 1000, requests: http.counts.GET ?? 0, users };
  } finally {
    await http.agent.close();
  }
}

/** What the tenant holds, as creatable bodies (from the sandbox admin listing). */
export function snapshotBodies(users: Record<string, unknown>[], groups: Record<string, unknown>[]): TenantSnapshot {
  const strip = (r: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(r).filter(([k]) => !SERVER_OWNED.includes(k)));
  const userIndex = new Map(users.map((u, i) => [String(u.id), i]));
  return {
    users: users.map(strip),
    groups: groups.map((g) => {
      const { members, ...rest } = strip(g) as { members?: { value: string }[] };
      return { body: rest, memberIds: (members ?? []).map((m) => m.value) };
    }),
    userIndex,
  };
}

/** Replays the creating calls of a snapshot at `concurrency`; returns seconds and requests by method. */
export async function replayCreates(endpoint: TenantEndpoint, snap: TenantSnapshot, concurrency: number, memberBatch: number): Promise<{ seconds: number; requests: Record<string, number> }> {
  const http = new Http(endpoint, concurrency);
  const newIds: string[] = [];
  const t0 = performance.now();
  try {
    await runPool(snap.users, concurrency, async (u, i) => {
      newIds[i] = String((await http.call('POST', '/Users', u)).id);
    });
    await runPool(snap.groups, concurrency, async (g) => {
      const id = String((await http.call('POST', '/Groups', g.body)).id);
      const members = g.memberIds.map((old) => newIds[snap.userIndex.get(old)!]!).filter(Boolean);
      for (let i = 0; i < members.length; i += memberBatch) {
        await http.call('PATCH', `/Groups/${encodeURIComponent(id)}`, {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
          Operations: [{ op: 'add', path: 'members', value: members.slice(i, i + memberBatch).map((value) => ({ value })) }],
        });
      }
    });
    return { seconds: (performance.now() - t0) / 1000, requests: { ...http.counts } };
  } finally {
    await http.agent.close();
  }
}
