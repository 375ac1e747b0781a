// Plain undici HTTP load against a SCIM endpoint: the raw HTTP floor (the same POST and PATCH calls the
// provider makes for an initial apply, at Terraform's -parallelism) and the sandbox's own capacity.

import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';
import { httpFailed } from './errors';
import { type BenchDirectory, scimAddMembersPatch, scimGroupBody, scimUserBody } from './fixture-data';

export interface Endpoint {
  baseUrl: string;
  token: string;
}

export interface FloorResult {
  seconds: number;
  usersSeconds: number;
  groupsSeconds: number;
  requests: Record<string, number>;
  /** Key → SCIM id of every user created (the capacity run reads them back). */
  userIds: string[];
}

export interface CapacityResult {
  getByIdRps: number;
  postRps: number;
  getRequests: number;
  postRequests: number;
}

/** Runs `fn` over `items` with at most `concurrency` in flight; rejects on the first failure. */
export async function runPool<T>(items: T[], concurrency: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

class ScimHttp {
  readonly agent: Agent;
  readonly counts: Record<string, number> = {};
  private readonly base: string;
  private readonly headers: Record<string, string>;

  constructor(endpoint: Endpoint, connections: number) {
    this.agent = new Agent({ connections, keepAliveTimeout: 30_000, pipelining: 1 });
    this.base = endpoint.baseUrl.replace(/\/+$/, '');
    this.headers = { authorization: `Bearer ${endpoint.token}`, 'content-type': 'application/scim+json', accept: 'application/scim+json' };
  }

  async call(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<Record<string, unknown> | undefined> {
    const url = `${this.base}${path}`;
    const res = await request(url, {
      method,
      headers: this.headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      dispatcher: this.agent,
    });
    this.counts[method] = (this.counts[method] ?? 0) + 1;
    const text = await res.body.text();
    if (res.statusCode < 200 || res.statusCode > 299) throw httpFailed(method, url, res.statusCode, text);
    return text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

/** The raw HTTP floor of an initial apply: POST every user, then per group POST + PATCH member batches. */
export async function httpFloor(endpoint: Endpoint, dir: BenchDirectory, concurrency: number, memberBatch: number): Promise<FloorResult> {
  const http = new ScimHttp(endpoint, concurrency);
  try {
    const ids = new Map<string, string>();
    const t0 = performance.now();
    await runPool(dir.users, concurrency, async (u) => {
      const created = await http.call('POST', '/Users', scimUserBody(u));
      ids.set(u.key, String(created?.id));
    });
    const t1 = performance.now();
    await runPool(dir.groups, concurrency, async (g) => {
      const created = await http.call('POST', '/Groups', scimGroupBody(g));
      const members = g.members.map((k) => ids.get(k)!);
      for (let i = 0; i < members.length; i += memberBatch) {
        await http.call('PATCH', `/Groups/${String(created?.id)}`, scimAddMembersPatch(members.slice(i, i + memberBatch)));
      }
    });
    const t2 = performance.now();
    return {
      seconds: (t2 - t0) / 1000,
      usersSeconds: (t1 - t0) / 1000,
      groupsSeconds: (t2 - t1) / 1000,
      requests: { ...http.counts },
      userIds: dir.users.map((u) => ids.get(u.key)!),
    };
  } finally {
    await http.close();
  }
}

/** Requests per second the endpoint sustains for GET /Users/{id} and POST /Users at `concurrency`. */
export async function sandboxCapacity(endpoint: Endpoint, userIds: string[], concurrency: number, durationMs: number): Promise<CapacityResult> {
  const http = new ScimHttp(endpoint, concurrency);
  try {
    const timed = async (op: (n: number) => Promise<void>): Promise<{ rps: number; count: number }> => {
      let count = 0;
      const start = performance.now();
      const deadline = start + durationMs;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (performance.now() < deadline) await op(count++);
        }),
      );
      return { rps: count / ((performance.now() - start) / 1000), count };
    };
    const get = await timed(async (n) => {
      await http.call('GET', `/Users/${userIds[(n * 7919) % userIds.length]}`);
    });
    const stamp = Date.now().toString(36);
    const post = await timed(async (n) => {
      await http.call('POST', '/Users', {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: `capacity-${stamp}-${n}@bench.example`,
        name: { givenName: 'Capacity', familyName: String(n) },
        emails: [{ value: `capacity-${stamp}-${n}@bench.example`, primary: true }],
        active: true,
      });
    });
    return { getByIdRps: get.rps, postRps: post.rps, getRequests: get.count, postRequests: post.count };
  } finally {
    await http.close();
  }
}
