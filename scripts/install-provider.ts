// Installs the bundled provider for offline use (run by `npm ci` as postinstall and by
// `npm run build:provider`): lays the executable into a Terraform filesystem mirror inside the repo,
//   .scimform/mirror/registry.terraform.io/scimform/scim/<version>/<os>_<arch>/terraform-provider-scim_v<version>
// writes the CLI config .scimform/terraformrc pointing at it, and keeps lock files consistent: a
// rebuild at the same version changes the package checksum, so every .terraform.lock.hcl under the
// repo that pinned an older build of that version is refreshed (and named); lock files elsewhere can be
// refreshed with `npm run build:provider -- --relock DIR...`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { bundleProvider, DEFAULT_ENTRY, launcherBuild, REPO_ROOT, writeExecutable } from './build-provider';
import { buildStartupSnapshot, usableSnapshot, type SnapshotResult } from './startup-snapshot';
import { TERRAFORM_FLOOR } from '../lib/terraform-version';

export interface ProviderAddress {
  hostname: string;
  namespace: string;
  type: string;
}

export const SCIM_ADDRESS: ProviderAddress = { hostname: 'registry.terraform.io', namespace: 'scimform', type: 'scim' };
export const SCIMFORM_DIR = path.join(REPO_ROOT, '.scimform');
export const DEFAULT_MIRROR = path.join(SCIMFORM_DIR, 'mirror');
export const DEFAULT_CLI_CONFIG = path.join(SCIMFORM_DIR, 'terraformrc');
export const BUILD_RECORD = path.join(SCIMFORM_DIR, 'provider-build.json');

export interface InstallOptions {
  entry?: string;
  address?: ProviderAddress;
  version?: string;
  mirrorDir?: string;
  cliConfigFile?: string;
  /** Where the build record (fingerprint, checksum) is kept; default .scimform/provider-build.json. */
  recordFile?: string;
  /** Directories searched for lock files to refresh; default the repo. */
  lockSearchRoots?: string[];
  /** Skip the build when the sources are unchanged since the recorded build (and its start-up snapshot exists). */
  skipIfCurrent?: boolean;
  /** Build the start-up snapshot (scripts/startup-snapshot.ts). Default true; SCIMFORM_NO_SNAPSHOT=1 turns it off. */
  snapshot?: boolean;
  log?: (line: string) => void;
}

export interface InstallResult {
  address: string;
  version: string;
  platform: string;
  executable: string;
  cliConfigFile: string;
  mirrorDir: string;
  /** Terraform's "h1:" package checksum, as lock files record it. */
  h1: string;
  rebuilt: boolean;
  refreshedLockFiles: string[];
  /** The start-up snapshot built now, or why none was (undefined: not attempted or already there). */
  snapshot?: SnapshotResult;
}

interface BuildRecord {
  address: string;
  version: string;
  platform: string;
  h1: string;
  fingerprint: string;
  executable: string;
}

export const addressString = (a: ProviderAddress) => `${a.hostname}/${a.namespace}/${a.type}`;

export function packageVersion(): string {
  return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version;
}

/** Terraform's platform name for this machine, e.g. linux_amd64. */
export function terraformPlatform(): string {
  const arch = { x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm' }[process.arch as string] ?? process.arch;
  return `${process.platform}_${arch}`;
}

/** Terraform's h1 checksum of an unpacked provider package directory (dirhash "h1"). */
export function packageHashV1(dir: string): string {
  const files: string[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(r);
      else files.push(r);
    }
  };
  walk('');
  files.sort();
  const summary = files
    .map((f) => `${crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, f))).digest('hex')}  ${f}\n`)
    .join('');
  return 'h1:' + crypto.createHash('sha256').update(summary).digest('base64');
}

/** A fingerprint of everything the bundle is built from: provider sources and the dependency lock. */
export function sourceFingerprint(entry: string = DEFAULT_ENTRY): string {
  const hash = crypto.createHash('sha256');
  const providerDir = path.dirname(path.resolve(entry));
  const roots = [providerDir, path.join(REPO_ROOT, 'providers/scim')];
  const seen = new Set<string>();
  const walk = (dir: string) => {
    if (seen.has(dir) || !fs.existsSync(dir)) return;
    seen.add(dir);
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && !e.name.startsWith('.')) walk(p);
      } else if (/\.(ts|js|json|proto)$/.test(e.name)) {
        hash.update(p).update('\0').update(fs.readFileSync(p)).update('\0');
      }
    }
  };
  roots.forEach(walk);
  for (const f of ['package.json', 'package-lock.json', 'scripts/build-provider.ts', 'scripts/install-provider.ts']) {
    const p = path.join(REPO_ROOT, f);
    if (fs.existsSync(p)) hash.update(f).update(fs.readFileSync(p));
  }
  hash.update(process.version);
  return hash.digest('hex');
}

/** The CLI configuration: our namespace from the mirror only, everything else as usual. */
export function cliConfigText(mirrorDir: string, namespace: string, hostname = 'registry.terraform.io'): string {
  const pattern = `${hostname}/${namespace}/*`;
  return `# Written by scimform (scripts/install-provider.ts); regenerated by \`npm ci\` and \`npm run build:provider\`.
# Use with: TF_CLI_CONFIG_FILE=${path.resolve(mirrorDir, '..', 'terraformrc')} terraform init
disable_checkpoint = true

provider_installation {
  filesystem_mirror {
    path    = ${JSON.stringify(path.resolve(mirrorDir))}
    include = [${JSON.stringify(pattern)}]
  }
  direct {
    exclude = [${JSON.stringify(pattern)}]
  }
}
`;
}

function writeIfChanged(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text) return;
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

function readRecord(file: string): BuildRecord | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as BuildRecord;
  } catch {
    return undefined;
  }
}

export async function installProvider(options: InstallOptions = {}): Promise<InstallResult> {
  const address = options.address ?? SCIM_ADDRESS;
  const version = options.version ?? packageVersion();
  const mirrorDir = path.resolve(options.mirrorDir ?? DEFAULT_MIRROR);
  const cliConfigFile = path.resolve(options.cliConfigFile ?? DEFAULT_CLI_CONFIG);
  const recordFile = options.recordFile ?? BUILD_RECORD;
  const entry = options.entry ?? DEFAULT_ENTRY;
  const platform = terraformPlatform();
  const log = options.log ?? (() => undefined);
  const packageDir = path.join(mirrorDir, address.hostname, address.namespace, address.type, version, platform);
  const executable = path.join(packageDir, `terraform-provider-${address.type}_v${version}`);

  const fingerprint = sourceFingerprint(entry);
  const previous = readRecord(recordFile);
  let rebuilt = false;
  let snapshot: SnapshotResult | undefined;
  const wantSnapshot = (options.snapshot ?? true) && !process.env.SCIMFORM_NO_SNAPSHOT;
  const installed = fs.existsSync(executable) ? launcherBuild(fs.readFileSync(executable, 'utf8')) : undefined;
  if (
    !(
      options.skipIfCurrent &&
      previous &&
      previous.fingerprint === fingerprint &&
      previous.version === version &&
      installed &&
      (!wantSnapshot || usableSnapshot(installed))
    )
  ) {
    const bundle = await bundleProvider({ entry, name: address.type });
    // Only the executable belongs in the package directory: Terraform hashes every file in it.
    if (fs.existsSync(packageDir)) {
      for (const f of fs.readdirSync(packageDir)) if (path.join(packageDir, f) !== executable) fs.rmSync(path.join(packageDir, f), { recursive: true, force: true });
    }
    rebuilt = writeExecutable(executable, bundle.contents);
    if (wantSnapshot && !usableSnapshot(bundle)) snapshot = buildStartupSnapshot(bundle);
  }
  const h1 = packageHashV1(packageDir);
  writeIfChanged(cliConfigFile, cliConfigText(mirrorDir, address.namespace, address.hostname));
  const record: BuildRecord = { address: addressString(address), version, platform, h1, fingerprint, executable };
  writeIfChanged(recordFile, JSON.stringify(record, null, 2) + '\n');

  const refreshedLockFiles = refreshLockFiles(options.lockSearchRoots ?? [REPO_ROOT], address, version, h1);
  for (const f of refreshedLockFiles) log(`refreshed the ${addressString(address)} ${version} checksum in ${path.relative(process.cwd(), f) || f}`);
  if (snapshot) log(snapshot.blob ? `start-up snapshot: ${snapshot.blob} (${snapshot.ms} ms)` : `no start-up snapshot (the provider starts without it): ${snapshot.skipped}`);
  return { address: addressString(address), version, platform, executable, cliConfigFile, mirrorDir, h1, rebuilt, refreshedLockFiles, snapshot };
}

// ---------------------------------------------------------------------------------------------------
// Lock files

// `.scimform` holds scratch workspaces (the bench's runs, among them `--profile` runs pinned to their own
// unminified build of the same version): their lock files belong to them, never to a reinstall. Rewriting
// them made a concurrent `npm run bench -- --profile` fail with "the cached package … does not match any
// of the checksums recorded in the dependency lock file".
const SKIP_DIRS = new Set(['node_modules', '.git', 'mirror', 'providers', '.scimform']);

/** Every .terraform.lock.hcl below `roots` (skipping node_modules, .git, .terraform caches, .scimform scratch). */
export function findLockFiles(roots: string[], maxDepth = 6): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.isFile() && e.name === '.terraform.lock.hcl') found.push(path.join(dir, e.name));
      else if (e.isDirectory() && depth < maxDepth && !SKIP_DIRS.has(e.name) && e.name !== '.terraform') walk(path.join(dir, e.name), depth + 1);
    }
  };
  for (const r of roots) {
    const abs = path.resolve(r);
    if (abs.endsWith('.terraform.lock.hcl') && fs.existsSync(abs)) found.push(abs);
    else walk(abs, 0);
  }
  return [...new Set(found)];
}

/**
 * Rewrites the checksums of `address` at `version` to [h1] in lock files that record other
 * checksums for it. Entries for other versions or providers are left alone. Returns the files changed.
 */
export function refreshLockFiles(roots: string[], address: ProviderAddress, version: string, h1: string): string[] {
  const changed: string[] = [];
  const header = `provider "${addressString(address)}" {`;
  for (const file of findLockFiles(roots)) {
    const text = fs.readFileSync(file, 'utf8');
    const start = text.indexOf(header);
    if (start < 0) continue;
    const end = text.indexOf('\n}', start);
    if (end < 0) continue;
    const block = text.slice(start, end);
    const versionMatch = /\bversion\s*=\s*"([^"]*)"/.exec(block);
    if (!versionMatch || versionMatch[1] !== version) continue;
    const hashes = /hashes\s*=\s*\[[^\]]*\]/.exec(block);
    if (hashes && hashes[0].includes(`"${h1}"`) && (hashes[0].match(/"/g) ?? []).length === 2) continue;
    const newHashes = `hashes = [\n    ${JSON.stringify(h1)},\n  ]`;
    const newBlock = hashes ? block.replace(hashes[0], newHashes) : block.replace(versionMatch[0], `${versionMatch[0]}\n  ${newHashes}`);
    fs.writeFileSync(file, text.slice(0, start) + newBlock + text.slice(end));
    changed.push(file);
  }
  return changed;
}

// ---------------------------------------------------------------------------------------------------
// Terraform binary

export class TerraformNotFoundError extends Error {
  readonly code = 'TERRAFORM_NOT_FOUND';
  constructor(binary: string) {
    super(
      `Terraform was not found (looked for ${JSON.stringify(binary)} on PATH). Install Terraform ${TERRAFORM_FLOOR} or newer and put it on PATH, ` +
        'or set TERRAFORM_BINARY to its full path.',
    );
    this.name = 'TerraformNotFoundError';
  }
}

/** The terraform executable to run: $TERRAFORM_BINARY, else `terraform` from PATH; throws
 * TerraformNotFoundError when there is none. */
export function findTerraform(env: NodeJS.ProcessEnv = process.env): string {
  const binary = env.TERRAFORM_BINARY || 'terraform';
  const candidates = binary.includes('/')
    ? [binary]
    : (env.PATH ?? '')
        .split(path.delimiter)
        .filter(Boolean)
        .map((d) => path.join(d, binary));
  for (const c of candidates) {
    try {
      fs.accessSync(c, fs.constants.X_OK);
      if (fs.statSync(c).isFile()) return c;
    } catch {
      // keep looking
    }
  }
  throw new TerraformNotFoundError(binary);
}

// ---------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const relockIdx = args.indexOf('--relock');
  const extraRoots = relockIdx >= 0 ? args.slice(relockIdx + 1).filter((a) => !a.startsWith('--')) : [];
  const started = Date.now();
  const result = await installProvider({
    lockSearchRoots: [REPO_ROOT, ...extraRoots],
    skipIfCurrent: args.includes('--if-changed'),
    log: (line) => process.stdout.write(`${line}\n`),
  });
  const rel = (p: string) => path.relative(process.cwd(), p) || p;
  process.stdout.write(
    `${result.rebuilt ? 'installed' : 'up to date:'} ${result.address} ${result.version} (${result.platform}) in ${rel(result.mirrorDir)} ` +
      `[${result.h1}] in ${Date.now() - started} ms\n` +
      `Terraform CLI config: ${rel(result.cliConfigFile)} (export TF_CLI_CONFIG_FILE=${result.cliConfigFile})\n`,
  );
  try {
    const tf = findTerraform();
    const v = spawnSync(tf, ['version'], { encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
    if (v.status !== 0) process.stdout.write(`warning: ${tf} did not run (${(v.stderr || '').trim().split('\n')[0]})\n`);
  } catch (err) {
    process.stdout.write(`warning: ${(err as Error).message}\n`);
  }
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`install-provider: ${(err as Error)?.message ?? err}\n`);
    process.exit(1);
  });
}
