// A small typed client of the sandbox admin API (tests, demos, the CLI). One short-lived connection
// per call, so nothing keeps a process or a jest worker alive.
import * as http from 'node:http';
import type { FaultConfig, RequestLogEntry, TenantName } from './types';

export class SandboxAdminError extends Error {
  readonly code = 'SANDBOX_ADMIN_REQUEST_FAILED';
  constructor(readonly method: string, readonly url: string, readonly status: number, readonly detail: string) {
    super(`${method} ${url} failed: ${status} ${detail}`);
    this.name = 'SandboxAdminError';
  }
}

export interface TenantSummary { name: TenantName; title: string; baseUrl: string; users: number; groups: number; faults: FaultConfig }

export class SandboxAdmin {
  private readonly base: string;

  constructor(adminBaseUrl: string, private readonly adminToken: string) {
    this.base = adminBaseUrl.replace(/\/+$/, '');
  }

  private call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const url = new URL(this.base + path);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise<T>((resolve, reject) => {
      const req = http.request(url, {
        method,
        agent: false,
        headers: {
          Authorization: `Bearer ${this.adminToken}`,
          Accept: 'application/json',
          ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {}),
        },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          let parsed: unknown;
          try { parsed = text ? JSON.parse(text) : undefined; } catch { parsed = text; }
          if (status >= 200 && status < 300) resolve(parsed as T);
          else reject(new SandboxAdminError(method, url.href, status, (parsed as { detail?: string } | undefined)?.detail ?? text));
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  private t(tenant: TenantName): string { return `/tenants/${encodeURIComponent(tenant)}`; }

  tenants(): Promise<TenantSummary[]> { return this.call('GET', '/tenants'); }
  requestLog(tenant: TenantName): Promise<RequestLogEntry[]> { return this.call('GET', `${this.t(tenant)}/requests`); }
  async clearRequestLog(tenant: TenantName): Promise<void> { await this.call('DELETE', `${this.t(tenant)}/requests`); }
  /** Replaces the tenant's fault switches ({} = no faults). */
  async setFaults(tenant: TenantName, faults: FaultConfig): Promise<void> { await this.call('PUT', `${this.t(tenant)}/faults`, faults); }
  getFaults(tenant: TenantName): Promise<FaultConfig> { return this.call('GET', `${this.t(tenant)}/faults`); }
  /** Deletes all users and groups of the tenant, clears its request log and faults. */
  async resetTenant(tenant: TenantName): Promise<void> { await this.call('POST', `${this.t(tenant)}/reset`); }
  /** Writes the store snapshot now. */
  async flush(): Promise<void> { await this.call('POST', '/flush'); }

  /** Users as SCIM resources, each with an extra `sandboxStatus`: 'active' | 'inactive' | 'pending'. */
  listUsers(tenant: TenantName): Promise<any[]> { return this.call('GET', `${this.t(tenant)}/users`); }
  async getUser(tenant: TenantName, id: string): Promise<any | undefined> { return this.getOrUndefined(`${this.t(tenant)}/users/${encodeURIComponent(id)}`); }
  /** Out-of-band create (as the app's own UI would); `sandboxStatus: 'pending'` makes a pending user. */
  createUser(tenant: TenantName, user: object): Promise<any> { return this.call('POST', `${this.t(tenant)}/users`, user); }
  /** Drift: shallow merge of SCIM attributes (null removes one), bypassing the tenant's quirks. */
  patchUser(tenant: TenantName, id: string, attrs: object): Promise<any> { return this.call('PATCH', `${this.t(tenant)}/users/${encodeURIComponent(id)}`, attrs); }
  /** Hard delete (even where SCIM DELETE only deactivates). */
  async deleteUser(tenant: TenantName, id: string): Promise<void> { await this.call('DELETE', `${this.t(tenant)}/users/${encodeURIComponent(id)}`); }

  listGroups(tenant: TenantName): Promise<any[]> { return this.call('GET', `${this.t(tenant)}/groups`); }
  async getGroup(tenant: TenantName, id: string): Promise<any | undefined> { return this.getOrUndefined(`${this.t(tenant)}/groups/${encodeURIComponent(id)}`); }
  /** Members may be given as user ids or {value} objects. */
  createGroup(tenant: TenantName, group: object): Promise<any> { return this.call('POST', `${this.t(tenant)}/groups`, group); }
  /** Drift: shallow merge (displayName, externalId, members — which replaces the whole list). */
  patchGroup(tenant: TenantName, id: string, attrs: object): Promise<any> { return this.call('PATCH', `${this.t(tenant)}/groups/${encodeURIComponent(id)}`, attrs); }
  async deleteGroup(tenant: TenantName, id: string): Promise<void> { await this.call('DELETE', `${this.t(tenant)}/groups/${encodeURIComponent(id)}`); }

  /** GET of one user or group; undefined when the sandbox answers 404. */
  private async getOrUndefined(path: string): Promise<any | undefined> {
    try {
      return await this.call('GET', path);
    } catch (err) {
      if (err instanceof SandboxAdminError && err.status === 404) return undefined;
      throw err;
    }
  }
}
