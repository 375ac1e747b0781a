// Starts the SCIM sandbox (sandbox/) in this process for one bench phase, through the few admin calls the
// bench needs: request log, out-of-band creation and PATCH, and listing. Each phase gets a fresh data directory.

import * as path from 'node:path';
import { sandboxUnavailable } from './errors';

type Maybe<T> = T | Promise<T>;

export interface BenchSandboxAdmin {
  requestLog(tenant: 'generic'): Maybe<{ method: string; path: string; status: number }[]>;
  clearRequestLog(tenant: 'generic'): Maybe<unknown>;
  patchUser(tenant: 'generic', id: string, attrs: Record<string, unknown>): Maybe<unknown>;
  listUsers(tenant: 'generic'): Maybe<{ id?: string; userName: string }[]>;
  createUser(tenant: 'generic', user: { userName: string }): Maybe<{ id: string }>;
}

export interface BenchSandbox {
  endpoint: { baseUrl: string; token: string };
  admin: BenchSandboxAdmin;
  close(): Promise<void>;
}

export async function startBenchSandbox(dataDir: string): Promise<BenchSandbox> {
  let mod: { startSandbox?: (o: { port: number; dataDir: string; quiet: boolean }) => Promise<{ credentials: { generic: { baseUrl: string; token: string } }; admin: BenchSandboxAdmin; close(): Promise<void> }> };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(path.join(__dirname, '..', 'sandbox')) as typeof mod;
  } catch (e) {
    throw sandboxUnavailable(e instanceof Error ? e.message : String(e));
  }
  if (typeof mod.startSandbox !== 'function') throw sandboxUnavailable('sandbox/index.ts does not export startSandbox');
  const sb = await mod.startSandbox({ port: 0, dataDir, quiet: true });
  return { endpoint: sb.credentials.generic, admin: sb.admin, close: () => sb.close() };
}

/** Requests in the generic tenant's log, counted by method. */
export async function requestCounts(admin: BenchSandboxAdmin): Promise<{ total: number; byMethod: Record<string, number> }> {
  const log = await admin.requestLog('generic');
  const byMethod: Record<string, number> = {};
  for (const e of log) byMethod[e.method] = (byMethod[e.method] ?? 0) + 1;
  return { total: log.length, byMethod };
}
