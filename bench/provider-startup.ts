// Measures provider start-up the way Terraform sees it: spawn the executable with the go-plugin environment
// (magic cookie, protocol versions, AutoMTLS client certificate) and time until the handshake line arrives.

import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { handshakeFailed } from './errors';

/** Terraform's go-plugin handshake cookie (public constant of the plugin protocol). */
export const TF_MAGIC_COOKIE_KEY = 'TF_PLUGIN_MAGIC_COOKIE';
export const TF_MAGIC_COOKIE_VALUE = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';
const HANDSHAKE = /^1\|6\|(tcp|unix)\|[^|]+\|grpc\|[A-Za-z0-9+/_-]*$/;

/** A throwaway self-signed client certificate, as Terraform generates one per run for AutoMTLS. */
export function clientCertificatePem(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-bench-cert-'));
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=localhost', '-days', '1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')],
      { stdio: 'ignore' },
    );
    return fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The environment of both starts, without NODE_EXTRA_CA_CERTS: bare node parses that file at start-up (0.11 s
 * of CPU instead of 0.03 s on the 2-core test machine) and the provider's launcher does not, so with it set
 * the ratio would credit the provider with node's cost. Without it, the ratio is our own start-up work.
 */
function startupEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
}

export function pluginEnv(clientCert: string): NodeJS.ProcessEnv {
  return {
    ...startupEnv(),
    [TF_MAGIC_COOKIE_KEY]: TF_MAGIC_COOKIE_VALUE,
    PLUGIN_PROTOCOL_VERSIONS: '6',
    PLUGIN_MIN_PORT: '10000',
    PLUGIN_MAX_PORT: '25000',
    PLUGIN_CLIENT_CERT: clientCert,
  };
}

/** One start: milliseconds from spawn to a valid handshake line on stdout; the process is then stopped. */
export function startOnce(binary: string, env: NodeJS.ProcessEnv, timeoutMs = 15_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(binary, [], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let settled = false;
    const finish = (result: number | Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const killer = setTimeout(() => child.kill('SIGKILL'), 2000);
      child.once('exit', () => {
        clearTimeout(killer);
        if (typeof result === 'number') resolve(result);
        else reject(result);
      });
      if (child.exitCode !== null || child.signalCode !== null) {
        clearTimeout(killer);
        if (typeof result === 'number') resolve(result);
        else reject(result);
      } else child.kill('SIGTERM');
    };
    const timer = setTimeout(() => finish(handshakeFailed(binary, `no handshake within ${timeoutMs} ms; stderr: ${err.slice(-500)}`)), timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      const line = out.slice(0, nl).trim();
      if (HANDSHAKE.test(line)) finish(performance.now() - t0);
      else finish(handshakeFailed(binary, `first stdout line is not a handshake: ${JSON.stringify(line.slice(0, 120))}`));
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString('utf8');
    });
    child.once('error', (e) => finish(handshakeFailed(binary, e.message)));
    child.once('exit', (code) => finish(handshakeFailed(binary, `exited with ${code} before the handshake; stderr: ${err.slice(-500)}`)));
  });
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Provider start-ups beside bare `node` start-ups, alternating one of each (after one untimed provider
 * start that may write the code cache), so that a change of machine load affects both medians alike. */
export async function providerStartup(binary: string, runs: number): Promise<{ medianMs: number; samplesMs: number[]; nodeMedianMs: number; nodeSamplesMs: number[] }> {
  const env = pluginEnv(clientCertificatePem());
  await startOnce(binary, env);
  const samplesMs: number[] = [];
  const nodeSamplesMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    nodeSamplesMs.push(await nodeStartOnce());
    samplesMs.push(await startOnce(binary, env));
  }
  return { medianMs: median(samplesMs), samplesMs, nodeMedianMs: median(nodeSamplesMs), nodeSamplesMs };
}

/** Context for the start-up figure: ms from spawning a bare `node` to its first stdout line. */
function nodeStartOnce(): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['-e', 'process.stdout.write("ready\\n")'], { env: startupEnv(), stdio: ['ignore', 'pipe', 'ignore'] });
    let ms = -1;
    child.stdout.once('data', () => (ms = performance.now() - t0));
    child.once('error', reject);
    child.once('close', () => resolve(ms));
  });
}
