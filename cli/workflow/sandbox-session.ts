// The local SCIM sandbox for a scimform command: reuse one already serving the data dir (e.g. `npm run
// sandbox` in another terminal), otherwise start one in this process on the persistent data dir and stop
// it when the command ends. It starts on a stable port — SCIMFORM_SANDBOX_PORT, else the port the data dir
// last served on, else 8890, like `npm run sandbox` (a free one if that is taken, saying so; see
// sandbox/last-port.ts) — because synthesized stacks (and saved plans) name the sandbox's URL.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ScimformPaths } from '../../lib/paths';
import { DEFAULT_SANDBOX_PORT, isPortTaken, lastServedPort, movedMessage } from '../../sandbox/last-port';
import type { RunningSandbox } from '../../sandbox/server';
import type { StartSandboxOptions } from '../../sandbox/types';
import type { Progress } from './progress';

const shown = (root: string, p: string) => {
  const rel = path.relative(root, p);
  return rel && !rel.startsWith('..') ? rel : p;
};

export interface SandboxSession {
  /** Root URL of the sandbox (its web page), when one is in use. */
  url?: string;
  /** True when this process started it (and will stop it). */
  started: boolean;
  close(): Promise<void>;
}

/** True when the sandbox of this data dir answers its admin API at `adminUrl` (not just any server there). */
async function answersAdmin(adminUrl: string, token: string): Promise<boolean> {
  try {
    const res = await fetch(`${adminUrl.replace(/\/$/, '')}/tenants`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(1500),
    });
    // The admin API lists the tenants (JSON array); any other server on that port is not our sandbox.
    return res.ok && Array.isArray(await res.json());
  } catch {
    return false;
  }
}

/** The port `npm run sandbox` listens on by default. */
export { DEFAULT_SANDBOX_PORT };

/** The admin API the data dir's sandbox last served (from its credentials.json), if any. */
function recordedAdmin(dataDir: string): { baseUrl: string; token: string } | undefined {
  try {
    const creds = JSON.parse(fs.readFileSync(path.join(dataDir, 'credentials.json'), 'utf8')) as { admin?: { baseUrl?: string; token?: string } };
    return creds.admin?.baseUrl && creds.admin.token ? { baseUrl: creds.admin.baseUrl, token: creds.admin.token } : undefined;
  } catch {
    return undefined;
  }
}

/** The origin of a sandbox already serving `dataDir`, if any. */
export async function runningSandboxOrigin(dataDir: string): Promise<string | undefined> {
  const admin = recordedAdmin(dataDir);
  return admin && (await answersAdmin(admin.baseUrl, admin.token)) ? new URL(admin.baseUrl).origin : undefined;
}

/**
 * The port to start the sandbox on: SCIMFORM_SANDBOX_PORT (`fixed`), else the one the data dir last served
 * on, else DEFAULT_SANDBOX_PORT — so its URL, which synth writes into every stack, stays the same.
 */
export function preferredSandboxPort(dataDir: string, env: NodeJS.ProcessEnv = process.env): { port: number; fixed: boolean } {
  const set = env.SCIMFORM_SANDBOX_PORT?.trim();
  if (set) return { port: Number(set), fixed: true };
  return { port: lastServedPort(dataDir) ?? DEFAULT_SANDBOX_PORT, fixed: false };
}

export async function openSandbox(paths: ScimformPaths, progress: Progress, mode: 'auto' | 'off' = 'auto'): Promise<SandboxSession> {
  if (mode === 'off') return { started: false, close: async () => {} };
  const existing = await runningSandboxOrigin(paths.sandboxDir);
  if (existing) {
    progress.info(`using the sandbox already running at ${existing} (data: ${shown(paths.root, paths.sandboxDir)})`);
    return { url: existing, started: false, close: async () => {} };
  }
  // Loaded only when needed: the sandbox is another area's module.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startSandbox } = require('../../sandbox') as { startSandbox(o: StartSandboxOptions): Promise<RunningSandbox> };
  const { port, fixed } = preferredSandboxPort(paths.sandboxDir);
  const start = (p: number) => startSandbox({ dataDir: paths.sandboxDir, port: p, quiet: true });
  const recorded = lastServedPort(paths.sandboxDir) === port;
  let running: RunningSandbox;
  try {
    running = await start(port);
  } catch (e) {
    // A preferred (not required) port that something else holds: take a free one, and say so.
    if (fixed || !isPortTaken(e)) throw e;
    running = await start(0);
    progress.info(movedMessage(port, Number(new URL(running.url).port), recorded));
  }
  progress.info(`sandbox started at ${running.url} (data: ${shown(paths.root, running.dataDir)})`);
  return {
    url: running.url,
    started: true,
    close: async () => {
      await running.close();
    },
  };
}
