// Builds the V8 start-up snapshot of a bundled provider (scripts/build-provider.ts) for the `node` on PATH:
// `node --build-snapshot` evaluates the whole program once (every module, the protobuf message types) and
// saves the heap; the launcher then starts node from that heap instead of reading, compiling and running
// 1.2 MB of JavaScript at each of Terraform's 3–4 provider start-ups per command. The entry
// (plugin/startup-snapshot.ts) keeps everything per-process (environment, AutoMTLS key, socket, http2
// and tls, which Node 20 cannot snapshot) for the snapshot's main function.
// The blob is per user in the cache folder (not in the provider package: Terraform checksums every file
// there), named by build id and node path, and stamped with the node binary's modification time; a
// missing or mismatched blob just means the plain start (code cache). Built by scripts/install-provider.ts.
// Next to it, for a node that trusts its bundled CA roots by default, an empty `<blob>.bundled-ca` marker:
// the launcher then starts node with OpenSSL's store empty (providers/scim/launch-trust.ts).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { BUNDLED_CA_MARKER_SUFFIX, defaultsToBundledRoots } from '../providers/scim/launch-trust';
import { NODE_FLAGS, snapshotBlobPath, type Bundle } from './build-provider';

export interface SnapshotOptions {
  env?: NodeJS.ProcessEnv;
  /** Default: $SCIMFORM_CACHE_DIR, else $XDG_CACHE_HOME/scimform, else ~/.cache/scimform (as the launcher). */
  cacheDir?: string;
}

export interface SnapshotResult {
  /** The blob written, or undefined with `skipped` saying why (the provider then starts without it). */
  blob?: string;
  skipped?: string;
  ms: number;
}

export function cacheDirFor(env: NodeJS.ProcessEnv = process.env): string {
  return env.SCIMFORM_CACHE_DIR || path.join(env.XDG_CACHE_HOME || path.join(env.HOME || os.homedir(), '.cache'), 'scimform');
}

/** The `node` the launcher runs: the first on PATH, as `command -v node` prints it (symlinks not resolved). */
export function nodeOnPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, 'node');
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return path.isAbsolute(candidate) ? candidate : undefined;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

/** The blob the launcher of `bundle` would start from, or undefined when it would start without one. */
export function usableSnapshot(bundle: Pick<Bundle, 'name' | 'id'>, options: SnapshotOptions = {}): string | undefined {
  const env = options.env ?? process.env;
  const node = nodeOnPath(env);
  if (!node || env.SCIMFORM_NO_SNAPSHOT || env.NODE_OPTIONS) return undefined; // as the launcher decides
  const blob = snapshotBlobPath(options.cacheDir ?? cacheDirFor(env), bundle.name, bundle.id, node);
  try {
    return Math.floor(fs.statSync(blob).mtimeMs / 1000) === Math.floor(fs.statSync(node).mtimeMs / 1000) ? blob : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `node` trusts its bundled roots by default (false when it cannot be told: the launcher then changes nothing). */
function nodeDefaultsToBundledRoots(node: string, env: NodeJS.ProcessEnv): boolean {
  const run = spawnSync(node, ['-p', 'JSON.stringify(process.config)'], { env: { PATH: env.PATH, HOME: env.HOME }, encoding: 'utf8', timeout: 30_000 });
  try {
    return run.status === 0 && defaultsToBundledRoots(JSON.parse(run.stdout) as Parameters<typeof defaultsToBundledRoots>[0]);
  } catch {
    return false;
  }
}

/** Builds the snapshot of `bundle` for the node on PATH; removes the snapshots of other builds of the same
 * provider. Never throws: a snapshot is an optimisation, `skipped` says why there is none. */
export function buildStartupSnapshot(bundle: Pick<Bundle, 'program' | 'name' | 'id'>, options: SnapshotOptions = {}): SnapshotResult {
  const started = Date.now();
  const env = options.env ?? process.env;
  const done = (r: Omit<SnapshotResult, 'ms'>): SnapshotResult => ({ ...r, ms: Date.now() - started });
  const node = nodeOnPath(env);
  if (!node) return done({ skipped: 'no `node` with an absolute path on PATH' });
  const cacheDir = options.cacheDir ?? cacheDirFor(env);
  const blob = snapshotBlobPath(cacheDir, bundle.name, bundle.id, node);
  const work = path.join(cacheDir, `.snapshot-build-${process.pid}-${Date.now()}`);
  try {
    fs.mkdirSync(work, { recursive: true, mode: 0o700 });
    const entry = path.join(work, `terraform-provider-${bundle.name}.js`);
    fs.writeFileSync(entry, bundle.program);
    const out = path.join(work, 'snapshot.blob');
    // The same V8 flags as the launcher: Node refuses a snapshot built with other flags.
    const run = spawnSync(node, [...NODE_FLAGS, '--snapshot-blob', out, '--build-snapshot', entry], {
      env: { PATH: env.PATH, HOME: env.HOME },
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (run.status !== 0 || !fs.existsSync(out)) {
      const why = `${run.error?.message ?? ''}${run.stderr ?? ''}`.split('\n').filter((l) => l && !/^\s+at |Warning|^\(Use/.test(l)).slice(0, 3).join(' / ');
      return done({ skipped: `${node} --build-snapshot failed (exit ${run.status ?? run.signal}): ${why || 'no output'}` });
    }
    // Snapshots of other builds go once they are an hour old (a provider of another checkout may be
    // starting from one right now).
    const mine = path.basename(blob.slice(0, blob.indexOf('.snapshot/') + '.snapshot'.length));
    for (const f of fs.readdirSync(cacheDir)) {
      const p = path.join(cacheDir, f);
      if (f.startsWith(`terraform-provider-${bundle.name}-`) && f.endsWith('.snapshot') && f !== mine && Date.now() - fs.statSync(p).mtimeMs > 3600_000) {
        fs.rmSync(p, { recursive: true, force: true });
      }
    }
    fs.mkdirSync(path.dirname(blob), { recursive: true, mode: 0o700 });
    fs.chmodSync(out, 0o600);
    // The launcher's check: the same modification time as the node binary, to the nanosecond (touch -r).
    if (spawnSync('touch', ['-r', node, out]).status !== 0) {
      const nodeTime = fs.statSync(node).mtime;
      fs.utimesSync(out, nodeTime, nodeTime);
    }
    fs.renameSync(out, blob);
    // The launcher empties OpenSSL's store only for a node that trusts its bundled roots by default.
    const marker = blob + BUNDLED_CA_MARKER_SUFFIX;
    if (nodeDefaultsToBundledRoots(node, env)) fs.writeFileSync(marker, '', { mode: 0o600 });
    else fs.rmSync(marker, { force: true });
    return done({ blob });
  } catch (err) {
    return done({ skipped: `could not write the snapshot in ${cacheDir}: ${(err as Error).message}` });
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
