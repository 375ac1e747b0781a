// Test helper: a sandbox on 127.0.0.1 port 0 with a fresh temporary data dir, plus its admin client.
// `await sb.stop()` (in afterAll/afterEach) closes the server and removes the data dir.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSandbox, type RunningSandbox, type SandboxAdmin, type SandboxCredentials, type StartSandboxOptions } from '../../sandbox';

export interface TestSandbox {
  sandbox: RunningSandbox;
  admin: SandboxAdmin;
  credentials: SandboxCredentials;
  url: string;
  dataDir: string;
  /** Closes the sandbox and deletes its data dir (idempotent). */
  stop(): Promise<void>;
}

/** Starts a quiet sandbox on a free port with a new temp data dir (options may override anything but port defaults). */
export async function startTestSandbox(opts: Partial<StartSandboxOptions> = {}): Promise<TestSandbox> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-sandbox-'));
  let sandbox: RunningSandbox;
  try {
    sandbox = await startSandbox({ port: 0, quiet: true, ...opts, dataDir });
  } catch (err) {
    if (!opts.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  let stopped = false;
  return {
    sandbox,
    admin: sandbox.admin,
    credentials: sandbox.credentials,
    url: sandbox.url,
    dataDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await sandbox.close();
      if (!opts.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
