// The provider process as go-plugin sees it: run by hand it explains itself and exits 1; launched with
// the magic cookie and a client certificate it prints exactly one handshake line on stdout, serves
// tfplugin6 over mutual TLS, answers the health check, and exits on GRPCController.Shutdown.
// Start-up time (spawn → handshake line) is measured and printed, never asserted.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import * as grpc from '@grpc/grpc-js';
import { bundleProvider, writeExecutable, type Bundle } from '../../scripts/build-provider';
import { buildStartupSnapshot, usableSnapshot } from '../../scripts/startup-snapshot';
import { ensureProviderInstalled } from '../support/terraform';
import { generateServerCertificate, toPem } from '../../providers/scim/plugin/auto-mtls';
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from '../../providers/scim/plugin/handshake';
import { serviceDefinition } from '../../providers/scim/plugin/protocol/grpc-services';

const HANDSHAKE = /^1\|6\|tcp\|127\.0\.0\.1:(\d+)\|grpc\|([A-Za-z0-9+/]+)\n$/;

let dir: string;
let bin: string;
let bundle: Bundle;
const clientCert = generateServerCertificate(); // go-plugin's client certificate has the same shape
const launchEnv = () => ({ ...process.env, [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE, PLUGIN_PROTOCOL_VERSIONS: '6', PLUGIN_CLIENT_CERT: clientCert.certPem });

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-handshake-'));
  bin = path.join(dir, 'terraform-provider-testkit');
  bundle = await bundleProvider({ entry: path.join(__dirname, 'fixtures/testkit-main.ts'), name: 'testkit' });
  writeExecutable(bin, bundle.contents);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Launched {
  child: ChildProcess;
  line: string;
  ms: number;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function launch(file: string, env: NodeJS.ProcessEnv, args: string[] = []): Promise<Launched> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    let done = false;
    child.stdout!.on('data', (d) => {
      out += d;
      if (!done && out.includes('\n')) {
        done = true;
        resolve({ child, line: out, ms: Number(process.hrtime.bigint() - started) / 1e6, stdout: () => out, stderr: () => err, exited });
      }
    });
    child.stderr!.on('data', (d) => (err += d));
    child.on('exit', (code) => {
      if (!done) reject(new Error(`provider exited with ${code} before the handshake:\n${err}`));
    });
  });
}

function client(port: number, certB64: string) {
  const serverPem = toPem('CERTIFICATE', Buffer.from(certB64, 'base64'));
  const creds = grpc.credentials.createSsl(Buffer.from(serverPem), Buffer.from(clientCert.keyPem), Buffer.from(clientCert.certPem));
  const options = { 'grpc.ssl_target_name_override': 'localhost', 'grpc.default_authority': 'localhost' };
  const make = (name: Parameters<typeof serviceDefinition>[0]) => {
    const Ctor = grpc.makeGenericClientConstructor(serviceDefinition(name), name);
    return new Ctor(`127.0.0.1:${port}`, creds, options) as unknown as Record<string, Function> & grpc.Client;
  };
  const unary = (c: Record<string, Function>, method: string, req: object) =>
    new Promise<any>((resolve, reject) => c[method](req, (err: Error | null, res: unknown) => (err ? reject(err) : resolve(res))));
  return { make, unary };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

describe('run by hand', () => {
  test('explains that Terraform starts it, prints nothing on stdout and exits 1', async () => {
    const child = spawn(bin, [], { env: { PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise((r) => child.on('exit', r));
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toMatch(/This is the Terraform provider scimform\/testkit, a plugin that Terraform starts itself/);
  });

  test('refuses a Terraform that offers only protocol 5', async () => {
    const child = spawn(bin, [], { env: { ...launchEnv(), PLUGIN_PROTOCOL_VERSIONS: '5' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    expect(await new Promise((r) => child.on('exit', r))).toBe(1);
    expect(err).toMatch(/speaks only version 6/);
  });
});

describe('launched by Terraform (go-plugin)', () => {
  test('prints exactly one handshake line, serves over mutual TLS, and exits on Shutdown', async () => {
    const p = await launch(bin, { ...launchEnv(), TF_LOG: 'debug' });
    const m = HANDSHAKE.exec(p.line);
    expect(m).not.toBeNull();
    const [, port, cert] = m!;
    expect(cert).not.toMatch(/=$/);
    const x509 = new (await import('node:crypto')).X509Certificate(Buffer.from(cert, 'base64'));
    expect(x509.subjectAltName).toBe('DNS:localhost');
    expect(x509.ca).toBe(true);

    const { make, unary } = client(Number(port), cert);
    const provider = make('tfplugin6.Provider');
    const schema = await unary(provider, 'GetProviderSchema', {});
    expect(Object.keys(schema.resource_schemas)).toEqual(['testkit_thing']);
    const health = await unary(make('grpc.health.v1.Health'), 'Check', { service: 'plugin' });
    expect(health.status).toBe(1); // SERVING

    // SIGINT is ignored: Terraform sends StopProvider instead.
    p.child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 100));
    expect(p.child.exitCode).toBeNull();
    expect((await unary(provider, 'StopProvider', {})).Error).toBe('');

    await unary(make('plugin.GRPCController'), 'Shutdown', {});
    expect(await p.exited).toBe(0);
    provider.close();

    expect(p.stdout()).toBe(p.line); // nothing but the handshake, ever
    const logLines = p.stderr().trim().split('\n');
    for (const line of logLines) expect(JSON.parse(line)).toMatchObject({ '@level': expect.any(String), '@message': expect.any(String) });
    expect(logLines.some((l) => /"@message":"rpc GetProviderSchema done"/.test(l))).toBe(true);
    expect(JSON.parse(logLines[0])['@timestamp']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  test('rejects a client without the certificate Terraform announced', async () => {
    const p = await launch(bin, launchEnv());
    const [, port, cert] = HANDSHAKE.exec(p.line)!;
    const serverPem = toPem('CERTIFICATE', Buffer.from(cert, 'base64'));
    const stranger = generateServerCertificate();
    const creds = grpc.credentials.createSsl(Buffer.from(serverPem), Buffer.from(stranger.keyPem), Buffer.from(stranger.certPem));
    const Ctor = grpc.makeGenericClientConstructor(serviceDefinition('tfplugin6.Provider'), 'p');
    const c = new Ctor(`127.0.0.1:${port}`, creds, { 'grpc.ssl_target_name_override': 'localhost' }) as any;
    const err = await new Promise<any>((resolve) => c.GetProviderSchema({}, { deadline: Date.now() + 3000 }, (e: unknown) => resolve(e)));
    expect(err?.code).toBe(grpc.status.UNAVAILABLE);
    c.close();
    p.child.kill('SIGKILL');
    await p.exited;
  });

  test('exits by itself when Terraform dies without shutting it down', async () => {
    // A shell stands in for Terraform: it starts the provider, reports its pid, and exits once the
    // provider has printed its handshake line.
    const sh = spawn('sh', ['-c', `"${bin}" & echo "pid $!"; read line`], { env: launchEnv(), stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    await new Promise<void>((resolve) =>
      sh.stdout.on('data', (d) => {
        out += d;
        if (/^1\|6\|tcp\|.*\n/m.test(out)) resolve();
      }),
    );
    sh.stdin.end('go\n');
    await new Promise((r) => sh.on('exit', r));
    const pid = Number(/pid (\d+)/.exec(out)?.[1]);
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    const deadline = Date.now() + 10_000;
    while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const stillAlive = alive();
    if (stillAlive) process.kill(pid, 'SIGKILL');
    expect(stillAlive).toBe(false);
  });

  test('writes its code cache once the handshake is out, even when Terraform kills it later, and starts from it or without it', async () => {
    const cacheDir = path.join(dir, 'code-cache');
    const cacheFiles = () => (fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir).filter((f) => f.endsWith('.v8cache')) : []);
    const first = await launch(bin, { ...launchEnv(), SCIMFORM_CACHE_DIR: cacheDir });
    const deadline = Date.now() + 10_000;
    while (cacheFiles().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    first.child.kill('SIGKILL');
    await first.exited;
    expect(cacheFiles()).toHaveLength(1);
    const file = path.join(cacheDir, cacheFiles()[0]!);
    const written = fs.statSync(file).mtimeMs;
    // From the cache (not rewritten), and with the cache turned off: both serve the same handshake.
    for (const env of [{ SCIMFORM_CACHE_DIR: cacheDir }, { SCIMFORM_NO_CODE_CACHE: '1', SCIMFORM_CACHE_DIR: path.join(dir, 'no-cache') }]) {
      const p = await launch(bin, { ...launchEnv(), ...env });
      const [, port, cert] = HANDSHAKE.exec(p.line)!;
      const { make, unary } = client(Number(port), cert);
      const provider = make('tfplugin6.Provider');
      expect(Object.keys((await unary(provider, 'GetProviderSchema', {})).resource_schemas)).toEqual(['testkit_thing']);
      await unary(make('plugin.GRPCController'), 'Shutdown', {});
      expect(await p.exited).toBe(0);
      provider.close();
    }
    expect(fs.statSync(file).mtimeMs).toBe(written);
    expect(fs.existsSync(path.join(dir, 'no-cache'))).toBe(false);
  });

  test('start-up time, spawn → handshake line (measured, median of 5; the bench measures it properly), beside bare node', async () => {
    const measure = async (file: string, env: NodeJS.ProcessEnv, args: string[] = []) => {
      const times: number[] = [];
      for (let i = 0; i < 6; i++) {
        const p = await launch(file, env, args);
        p.child.kill('SIGKILL');
        await p.exited;
        if (i > 0) times.push(p.ms); // the first run may write the code cache
      }
      return times;
    };
    const node = await measure(process.execPath, process.env, ['-e', 'process.stdout.write("ready\\n")']);
    const scim = await ensureProviderInstalled().then(
      async (r) => ({ snapshot: await measure(r.executable, launchEnv()), plain: await measure(r.executable, { ...launchEnv(), SCIMFORM_NO_SNAPSHOT: '1' }) }),
      () => undefined,
    );
    const testkit = scim ? undefined : await measure(bin, launchEnv());
    const fmt = (xs: number[]) => `median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`;
    const ratio = (xs: number[]) => ` = ${(median(xs) / median(node)).toFixed(2)} × node`;
    // eslint-disable-next-line no-console
    console.log(
      `provider start-up, spawn → handshake line, 5 runs (npm run bench measures it with more):\n` +
        (scim
          ? `  scim, from the start-up snapshot:   ${fmt(scim.snapshot)}${ratio(scim.snapshot)}\n  scim, SCIMFORM_NO_SNAPSHOT=1:       ${fmt(scim.plain)}${ratio(scim.plain)}\n`
          : `  scim: not built (providers/scim/main.ts does not bundle); testkit: ${fmt(testkit!)}\n`) +
        `  bare node (spawn → first line):    ${fmt(node)}`,
    );
    expect((scim?.snapshot ?? testkit)!).toHaveLength(5);
  });
});

describe('start-up snapshot', () => {
  // The node command line of a running provider (the launcher execs node with or without the snapshot).
  const nodeArgs = (pid: number) => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  let cacheDir: string;
  let blob: string;

  beforeAll(() => {
    cacheDir = path.join(dir, 'snapshot-cache');
    const built = buildStartupSnapshot(bundle, { cacheDir });
    expect(built.skipped).toBeUndefined();
    blob = built.blob!;
  });

  /** Starts the provider, checks the handshake and a schema call over mutual TLS, shuts it down; returns
   * node's arguments, the certificate it announced and its schema and metadata responses. */
  async function startAndServe(env: NodeJS.ProcessEnv): Promise<{ args: string[]; cert: string; schema: unknown; metadata: unknown }> {
    const p = await launch(bin, { ...launchEnv(), SCIMFORM_CACHE_DIR: cacheDir, ...env });
    const args = nodeArgs(p.child.pid!);
    const m = HANDSHAKE.exec(p.line);
    expect(m).not.toBeNull();
    const [, port, cert] = m!;
    const { make, unary } = client(Number(port), cert!);
    const provider = make('tfplugin6.Provider');
    const schema = await unary(provider, 'GetProviderSchema', {});
    expect(Object.keys(schema.resource_schemas)).toEqual(['testkit_thing']);
    const metadata = await unary(provider, 'GetMetadata', {});
    await unary(make('plugin.GRPCController'), 'Shutdown', {});
    expect(await p.exited).toBe(0);
    provider.close();
    expect(p.stdout()).toBe(p.line);
    return { args, cert: cert!, schema, metadata };
  }

  test('starts from the snapshot built for this build and this node, with a fresh AutoMTLS certificate each time', async () => {
    expect(usableSnapshot(bundle, { cacheDir })).toBe(blob);
    const first = await startAndServe({});
    const second = await startAndServe({});
    expect(first.args).toContain('--snapshot-blob');
    expect(first.args).toContain(blob);
    // Nothing per-process is baked into the snapshot: every start makes its own key and certificate.
    expect(second.cert).not.toBe(first.cert);
    // The schema and metadata the snapshot carries encoded are exactly what a plain start computes.
    const plain = await startAndServe({ SCIMFORM_NO_SNAPSHOT: '1' });
    expect(plain.args).not.toContain('--snapshot-blob');
    expect(first.schema).toEqual(plain.schema);
    expect(first.metadata).toEqual(plain.metadata);
    expect(first.metadata).toMatchObject({ resources: [{ type_name: 'testkit_thing' }] });
  });

  test('falls back to the plain start when turned off, with NODE_OPTIONS, missing, or made for another node binary', async () => {
    expect((await startAndServe({ SCIMFORM_NO_SNAPSHOT: '1' })).args).not.toContain('--snapshot-blob');
    // Node refuses a snapshot under V8 options other than those it was built with (it would exit 14).
    expect((await startAndServe({ NODE_OPTIONS: '--max-old-space-size=4096' })).args).not.toContain('--snapshot-blob');
    // A node replaced in place has another modification time than the one the snapshot was stamped with.
    const stamped = fs.statSync(blob).mtime;
    fs.utimesSync(blob, new Date(), new Date(stamped.getTime() - 3600_000));
    try {
      expect(usableSnapshot(bundle, { cacheDir })).toBeUndefined();
      expect((await startAndServe({})).args).not.toContain('--snapshot-blob');
    } finally {
      fs.utimesSync(blob, stamped, stamped);
    }
    expect((await startAndServe({ SCIMFORM_CACHE_DIR: path.join(dir, 'empty-cache') })).args).not.toContain('--snapshot-blob');
  });
});
