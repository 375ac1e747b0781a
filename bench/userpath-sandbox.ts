// The sandbox of a user-path run, as its own process (`sandbox/cli.ts --port 0 --data-dir DIR`), the way a
// user runs `npm run sandbox` beside `scimform`: scimform finds it through DIR/credentials.json and reuses it,
// and the floors' undici scripts talk to the same tenants. Its CPU is outside every measured process tree.

import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SandboxAdmin } from '../sandbox/admin-client';
import { BenchError, sandboxUnavailable } from './errors';

export interface TenantEndpoint {
  baseUrl: string;
  /** The Authorization header value (bearer token or basic credentials). */
  authorization: string;
}

export interface UserpathSandbox {
  dataDir: string;
  admin: SandboxAdmin;
  tenant(name: string): TenantEndpoint;
  close(): Promise<void>;
}

type Credentials = Record<string, { baseUrl: string; token?: string; username?: string; password?: string }>;

async function answers(adminUrl: string, token: string): Promise<boolean> {
  try {
    const res = await fetch(`${adminUrl.replace(/\/$/, '')}/tenants`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(1000) });
    return res.ok;
  } catch {
    return false;
  }
}

export async function startUserpathSandbox(repoRoot: string, dataDir: string): Promise<UserpathSandbox> {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'credentials.json');
  fs.rmSync(file, { force: true });
  // The sandbox runs from source through the repo's TypeScript loader, as `npm run sandbox` does.
  const loader = ['-r', path.join(repoRoot, 'scripts', 'ts-register.js')];
  const child: ChildProcess = spawn(
    process.execPath,
    [...loader, path.join(repoRoot, 'sandbox', 'cli.ts'), '--port', '0', '--data-dir', dataDir, '--quiet', '--snapshot-delay-ms', '5000'],
    { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env } },
  );
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString('utf8')).slice(-4000)));
  const close = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw sandboxUnavailable(`sandbox/cli.ts exited with ${child.exitCode}: ${stderr.trim()}`);
    if (fs.existsSync(file)) {
      try {
        const creds = JSON.parse(fs.readFileSync(file, 'utf8')) as Credentials;
        if (creds.admin?.token && (await answers(creds.admin.baseUrl, creds.admin.token))) {
          return {
            dataDir,
            admin: new SandboxAdmin(creds.admin.baseUrl, creds.admin.token),
            tenant(name) {
              const c = creds[name];
              if (!c) throw new BenchError('BENCH_SANDBOX_UNAVAILABLE', `bench: ${file} has no tenant "${name}"`);
              const authorization = c.token ? `Bearer ${c.token}` : `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
              return { baseUrl: c.baseUrl, authorization };
            },
            close,
          };
        }
      } catch {
        // written but not complete yet
      }
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await close();
  throw sandboxUnavailable(`the sandbox in ${dataDir} did not answer within 60 s: ${stderr.trim()}`);
}
