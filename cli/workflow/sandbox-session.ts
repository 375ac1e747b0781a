// The local SCIM sandbox for a scimform command: reuse one already serving the data dir (e.g. `npm run
// sandbox` in another terminal), otherwise start one in this process on the persistent data dir and stop
// it when the command ends.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ScimformPaths } from '../../lib/paths';
import type { RunningSandbox, StartSandboxOptions } from '../../sandbox/types';
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
  running?: RunningSandbox;
  close(): Promise<void>;
}

async function reachable(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(700) });
    return true;
  } catch {
    return false;
  }
}

/** The origin of a sandbox already serving `dataDir`, if any. */
async function existingSandbox(dataDir: string): Promise<string | undefined> {
  try {
    const creds = JSON.parse(fs.readFileSync(path.join(dataDir, 'credentials.json'), 'utf8')) as { admin?: { baseUrl?: string } };
    const origin = creds.admin?.baseUrl ? new URL(creds.admin.baseUrl).origin : undefined;
    return origin && (await reachable(origin)) ? origin : undefined;
  } catch {
    return undefined;
  }
}

export async function openSandbox(paths: ScimformPaths, progress: Progress, mode: 'auto' | 'off' = 'auto'): Promise<SandboxSession> {
  if (mode === 'off') return { started: false, close: async () => {} };
  const existing = await existingSandbox(paths.sandboxDir);
  if (existing) {
    progress.info(`using the sandbox already running at ${existing} (data: ${shown(paths.root, paths.sandboxDir)})`);
    return { url: existing, started: false, close: async () => {} };
  }
  // Loaded only when needed: the sandbox is another area's module.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startSandbox } = require('../../sandbox') as { startSandbox(o: StartSandboxOptions): Promise<RunningSandbox> };
  const running = await startSandbox({
    dataDir: paths.sandboxDir,
    port: Number(process.env.SCIMFORM_SANDBOX_PORT ?? 0),
    quiet: true,
  });
  progress.info(`sandbox started at ${running.url} (data: ${shown(paths.root, running.dataDir)})`);
  return {
    url: running.url,
    started: true,
    running,
    close: async () => {
      await running.close();
    },
  };
}
