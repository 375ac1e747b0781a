// The sandbox HTTP server: loads the data dir, credentials and fault config, then serves the web
// page (/), the admin API (/admin) and each tenant's SCIM API (auth → faults → routes → request log).
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { ADMIN_PREFIX, routeAdmin } from './admin-api';
import { SandboxAdmin } from './admin-client';
import { loadCredentials } from './credentials';
import { FaultInjector, seededRandom, validateFaultConfig } from './faults';
import { describeFsError } from './fs-errors';
import { basicCredentials, bearerToken, parseJson, parseUrl, readBody, safeEqual, send, sendError, sendJson } from './http-io';
import { Persistence } from './persistence';
import { readablePath, RequestLog } from './request-log';
import { notFound, SandboxScimError, toSandboxError, unauthorized } from './scim-error';
import { routeScim, type ScimResponse } from './scim-router';
import { SerialQueue, type TenantContext } from './tenant-context';
import { TenantStore } from './tenant-store';
import { adminPatchUser } from './user-service';
import { adminPatchGroup } from './group-service';
import { TENANT_PROFILES } from './tenants';
import { TENANT_NAMES, type SandboxCredentials, type StartSandboxOptions, type TenantName } from './types';
import { renderPage } from './web-page';

/** The handle of a started sandbox. */
export interface RunningSandbox {
  /** e.g. http://127.0.0.1:PORT */
  url: string;
  tenants: Record<TenantName, { baseUrl: string }>;
  credentials: SandboxCredentials;
  admin: SandboxAdmin;
  /** Absolute path of credentials.json. */
  credentialsFile: string;
  dataDir: string;
  close(): Promise<void>;
}

export class SandboxConfigError extends Error {
  readonly code = 'SANDBOX_BAD_OPTIONS';
}

/** Waits `ms` for injected latency; resolves false at once when the sandbox closes (the request then goes unanswered). */
const sleep = (ms: number, closed: AbortSignal) =>
  new Promise<boolean>((resolve) => {
    if (closed.aborted) return resolve(false);
    const onClose = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      closed.removeEventListener('abort', onClose);
      resolve(true);
    }, ms);
    closed.addEventListener('abort', onClose, { once: true });
  });

/** Why listen() failed, in words that say what to do. */
function listenProblem(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'EADDRINUSE': return 'the port is already in use (pick another with --port, or 0 for a free one)';
    case 'EACCES': return 'permission denied (ports below 1024 need privileges; use --port 0 or a port from 1024 up)';
    case 'EADDRNOTAVAIL': return 'no network interface of this machine has that address (use 127.0.0.1, or 0.0.0.0 for all)';
    case 'ENOTFOUND': case 'EAI_AGAIN': return 'unknown host name (use an IP address such as 127.0.0.1)';
    default: return err.message;
  }
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

function authenticate(ctx: TenantContext, creds: SandboxCredentials, req: http.IncomingMessage): void {
  const p = ctx.profile;
  if (p.auth === 'basic') {
    const given = basicCredentials(req);
    const expected = creds.proxy;
    if (!given || !(safeEqual(given.username, expected.username) && safeEqual(given.password, expected.password))) {
      throw unauthorized(`${p.title} needs the app key as username and the app secret as password (HTTP basic authentication) of this tenant`, `Basic realm="${p.name}"`);
    }
    return;
  }
  const token = bearerToken(req);
  const expected = (creds[p.name as 'generic' | 'proxyclick' | 'promapp']).token;
  if (!token || !safeEqual(token, expected)) {
    throw unauthorized(`${p.title} needs the bearer token of this tenant in the Authorization header${token ? ' (the token given is not valid here)' : ''}`, `Bearer realm="${p.name}"`);
  }
}

function respond(res: http.ServerResponse, r: ScimResponse): void {
  if (r.body === undefined) send(res, r.status, undefined, r.headers);
  else sendJson(res, r.status, r.body, r.headers);
}

/** An ETag-less server's answer: no ETag header, no meta.version, etag.supported = false in discovery. */
function withoutVersions(r: ScimResponse): ScimResponse {
  const strip = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(strip);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.meta && typeof o.meta === 'object') delete (o.meta as Record<string, unknown>).version;
      if (o.etag && typeof o.etag === 'object') (o.etag as Record<string, unknown>).supported = false;
      if (Array.isArray(o.Resources)) o.Resources.forEach(strip);
    }
  };
  const headers = { ...(r.headers ?? {}) };
  delete headers.ETag;
  if (r.body === undefined) return { ...r, headers };
  const body = typeof r.body === 'string' ? JSON.parse(r.body) : structuredClone(r.body);
  strip(body);
  return { ...r, body, headers };
}

/** The editAfterGet fault: an admin (drift) edit of one user or group. */
function applyEdit(ctx: TenantContext, path: string, attributes: Record<string, unknown>): void {
  const [, kind, id] = path.split('/');
  if (kind === 'Users') adminPatchUser(ctx, decodeURIComponent(id), attributes);
  else adminPatchGroup(ctx, decodeURIComponent(id), attributes);
}

export async function startSandbox(opts: StartSandboxOptions): Promise<RunningSandbox> {
  if (!opts || typeof opts.dataDir !== 'string' || !opts.dataDir) throw new SandboxConfigError('startSandbox needs { dataDir: "<directory for the store and credentials.json>" }');
  const dataDir = path.resolve(opts.dataDir);
  const host = opts.host ?? '127.0.0.1';
  const quiet = opts.quiet ?? false;
  if (opts.requestLogFile) {
    try {
      fs.closeSync(fs.openSync(opts.requestLogFile, 'a', 0o600));
    } catch (err) {
      throw new SandboxConfigError(`Cannot open the request log ${path.resolve(opts.requestLogFile)}: ${describeFsError(err)}`);
    }
  }

  const stores = {} as Record<TenantName, TenantStore>;
  let persistence: Persistence | undefined;
  for (const t of TENANT_NAMES) stores[t] = new TenantStore(t, (tenant, event) => persistence?.record(tenant, event));
  persistence = new Persistence(dataDir, stores, opts.snapshotDelayMs);
  persistence.open();

  const seed = opts.seed ?? Math.floor(Math.random() * 2 ** 31);
  const contexts = {} as Record<TenantName, TenantContext>;
  TENANT_NAMES.forEach((t, i) => {
    contexts[t] = { profile: TENANT_PROFILES[t], store: stores[t], faults: new FaultInjector(seededRandom(seed + i * 7919)), writes: new SerialQueue() };
  });
  try {
    for (const [t, cfg] of Object.entries(opts.faults ?? {})) {
      if (!(TENANT_NAMES as readonly string[]).includes(t)) throw new SandboxConfigError(`faults: unknown tenant '${t}' (tenants: ${TENANT_NAMES.join(', ')})`);
      contexts[t as TenantName].faults.set(validateFaultConfig(cfg, `faults.${t}`));
    }
  } catch (err) {
    persistence.close();
    throw err instanceof SandboxScimError ? new SandboxConfigError(err.detail) : err;
  }

  const requestLog = new RequestLog(opts.requestLogFile);
  // close() ends the latency of requests still waiting, so no timer outlives the server.
  const closed = new AbortController();
  let credentials: SandboxCredentials | undefined;
  let credentialsFile = '';
  const flush = () => persistence!.snapshot();

  const handleTenant = async (ctx: TenantContext, req: http.IncomingMessage, res: http.ServerResponse, rel: string, started: number) => {
    const method = (req.method ?? 'GET').toUpperCase();
    const { pathname, query } = parseUrl(rel);
    const log = (status: number, fault?: string) => requestLog.add({
      time: new Date().toISOString(), tenant: ctx.profile.name, method, path: readablePath(rel), status,
      durationMs: Math.round((performance.now() - started) * 100) / 100, ...(fault ? { fault } : {}),
    });
    try {
      authenticate(ctx, credentials!, req);
      const decision = ctx.faults.decide();
      if (decision.latencyMs > 0 && !(await sleep(decision.latencyMs, closed.signal))) {
        req.socket.destroy();
        return;
      }
      if (decision.kind === 'drop' && decision.phase === 'before') {
        req.socket.destroy();
        log(0, 'drop');
        return;
      }
      if (decision.kind === 'fail') {
        const err = new SandboxScimError(decision.status, 'SANDBOX_FAULT', `Injected fault (${decision.fault}) on tenant ${ctx.profile.name}`, undefined,
          decision.retryAfter !== undefined ? { 'Retry-After': String(decision.retryAfter) } : {});
        sendError(res, err);
        log(decision.status, decision.fault);
        return;
      }
      const body = method === 'POST' || method === 'PUT' || method === 'PATCH' ? parseJson(await readBody(req)) : undefined;
      const etags = ctx.faults.etags();
      let result = await routeScim(ctx, {
        method, path: pathname, query, body,
        headers: etags ? { ifMatch: req.headers['if-match'], ifNoneMatch: req.headers['if-none-match'] } : {},
      });
      if (!etags) result = withoutVersions(result);
      const edit = result.status < 300 ? ctx.faults.takeEditAfterGet(method, pathname) : undefined;
      if (edit) await ctx.writes.run(() => applyEdit(ctx, edit.path, edit.attributes));
      if (decision.kind === 'drop') {
        req.socket.destroy();
        log(0, 'drop');
        return;
      }
      respond(res, result);
      log(result.status);
    } catch (err) {
      const e = toSandboxError(err);
      if (e.status >= 500 && !quiet) console.error(`[sandbox] ${method} ${ctx.profile.basePath}${pathname}: ${err instanceof Error ? err.stack : String(err)}`);
      sendError(res, e, e.status === 413 ? { Connection: 'close' } : {});
      log(e.status);
    }
  };

  const server = http.createServer((req, res) => {
    const started = performance.now();
    const { pathname, raw } = parseUrl(req.url);
    const method = (req.method ?? 'GET').toUpperCase();
    void (async () => {
      try {
        if (!credentials) throw new SandboxScimError(503, 'SANDBOX_FAULT', 'The sandbox is still starting; retry in a moment', undefined, { 'Retry-After': '1' });
        if (pathname === '/' || pathname === '/index.html') {
          if (method !== 'GET' && method !== 'HEAD') throw notFound('The web page is read-only');
          send(res, 200, renderPage(contexts, credentialsFile), {
            'Cache-Control': 'no-store',
            'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
            'X-Content-Type-Options': 'nosniff',
          }, 'text/html; charset=utf-8');
          return;
        }
        if (pathname === ADMIN_PREFIX || pathname.startsWith(`${ADMIN_PREFIX}/`)) {
          respond(res, await routeAdmin({ token: credentials!.admin.token, contexts, requestLog, flush }, req, pathname));
          return;
        }
        for (const t of TENANT_NAMES) {
          const base = contexts[t].profile.basePath;
          if (pathname === base || pathname.startsWith(`${base}/`)) {
            await handleTenant(contexts[t], req, res, raw.slice(base.length) || '/', started);
            return;
          }
        }
        throw notFound(`Nothing at ${pathname}. Tenants: ${TENANT_NAMES.map((t) => contexts[t].profile.basePath).join(', ')}; admin API: ${ADMIN_PREFIX}; web page: /`);
      } catch (err) {
        const e = toSandboxError(err);
        if (e.status >= 500 && !quiet) console.error(`[sandbox] ${method} ${pathname}: ${err instanceof Error ? err.stack : String(err)}`);
        sendError(res, e);
      }
    })();
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, host, () => { server.off('error', reject); resolve(); });
    });
  } catch (err) {
    persistence.close();
    await requestLog.close();
    throw new SandboxConfigError(`Cannot listen on ${host}:${opts.port ?? 0}: ${listenProblem(err as NodeJS.ErrnoException)}`);
  }

  const port = (server.address() as AddressInfo).port;
  const url = `http://${urlHost(host)}:${port}`;
  const tenants = {} as Record<TenantName, { baseUrl: string }>;
  for (const t of TENANT_NAMES) {
    stores[t].baseUrl = `${url}${contexts[t].profile.basePath}`;
    stores[t].invalidateAll();
    tenants[t] = { baseUrl: stores[t].baseUrl };
  }
  try {
    ({ credentials, file: credentialsFile } = loadCredentials(dataDir, { ...Object.fromEntries(TENANT_NAMES.map((t) => [t, tenants[t].baseUrl])), admin: `${url}${ADMIN_PREFIX}` } as Record<TenantName | 'admin', string>));
  } catch (err) {
    server.close();
    persistence.close();
    await requestLog.close();
    throw err;
  }

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      closed.abort();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      persistence!.close();
      await requestLog.close();
    })();
    return closing;
  };

  return { url, tenants, credentials: credentials!, credentialsFile, dataDir, admin: new SandboxAdmin(credentials!.admin.baseUrl, credentials!.admin.token), close };
}
