// Bundles a provider entry point (default providers/scim/main.ts) into ONE executable JavaScript file
// with esbuild: a two-line shell header that starts `node` with our V8 flags (from a start-up snapshot
// when scripts/startup-snapshot.ts built one for this build and this node), mode 0755, the protocol
// .proto files compiled into a JSON descriptor and a method table, and a small loader that compiles the program (kept in a comment at
// the end of the file) with a V8 code cache (kept per user in ~/.cache/scimform, outside the package so
// lock-file checksums stay stable; written once the provider has started): Terraform starts the provider several times per command, and reading
// and compiling the bundle is a large part of a cold start.
// Used by scripts/install-provider.ts and tests.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as crypto from 'node:crypto';
import * as esbuild from 'esbuild';
import { PROTOCOL_FILES, parseProtocolFiles, serviceMethods } from '../providers/scim/plugin/protocol/protocol-root';
import { PROVIDER_READY_EVENT } from '../providers/scim/plugin/serve';
import { BUNDLED_CA_MARKER_SUFFIX, LAUNCH_ENVIRONMENT, LAUNCH_NODE_OPTION } from '../providers/scim/launch-trust';

export const REPO_ROOT = path.resolve(__dirname, '..');
export const DEFAULT_ENTRY = path.join(REPO_ROOT, 'providers/scim/main.ts');
const PROTOCOL_DIR = path.join(REPO_ROOT, 'providers/scim/plugin/protocol');
/**
 * The first two lines of the executable: a POSIX shell script that is also JavaScript. The shell runs the
 * file with `node` and the V8 flags below (a shebang line cannot portably pass them: `env -S` is missing
 * from BusyBox); Node skips the `#!` line, and the second line is a string statement plus a comment.
 * `--max-semi-space-size=2` (MiB; Node 20's default is 16) keeps the young generation small: a plan of
 * 2,000 users peaked at 142–149 MiB with it and 163–172 MiB without, and took about 7 % longer.
 * (V8 flags that Node counts as configuration, such as `--heap-growing-percent`, make it refuse the start-up
 * snapshot — exit 14 — so the provider sets that one at run time: providers/scim/main.ts.)
 */
export const NODE_FLAGS = ['--max-semi-space-size=2'];

/** The per-user cache folder, as the shell spells it (the loader and scripts/startup-snapshot.ts use the same rule). */
const SHELL_CACHE_DIR = '${SCIMFORM_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/scimform}';

/** Where the start-up snapshot of build `id` for the `node` at `nodePath` (absolute, as `command -v node`
 * prints it) lives: one folder per build, the node path below it, so another node never loads it. */
export function snapshotBlobPath(cacheDir: string, name: string, id: string, nodePath: string): string {
  return `${cacheDir}/terraform-provider-${name}-${id}.snapshot${nodePath}.blob`;
}

/**
 * The launcher (line 2). With a start-up snapshot of this very build for the `node` on PATH
 * (scripts/startup-snapshot.ts writes it at install, with the node binary's modification time), node
 * starts from it; otherwise, or with SCIMFORM_NO_SNAPSHOT or NODE_OPTIONS set (Node refuses a snapshot when
 * options such as --max-old-space-size change V8's configuration), it runs the file. The snapshot is used only
 * when its time equals the node binary's (`! -nt` both ways): a node replaced in place never meets a
 * snapshot made by another one (Node would refuse it and exit 14). On that path, for a node that trusts its bundled
 * roots by default (a marker next to the blob says so), node also starts with OpenSSL's default certificate store
 * empty and NODE_EXTRA_CA_CERTS handed on instead of parsed at start-up (providers/scim/launch-trust.ts): half the
 * CPU of a provider process that only answers schema calls.
 */
export function launcher(name: string, id: string): string {
  const flags = NODE_FLAGS.join(' ');
  const blob = snapshotBlobPath(SHELL_CACHE_DIR, name, id, '$n');
  return (
    `#!/bin/sh\n":" //; n=$(command -v node); b="${blob}"; ` +
    `case "$SCIMFORM_NO_SNAPSHOT$NODE_OPTIONS$n" in /*) [ -f "$b" ] && ! [ "$b" -nt "$n" ] && ! [ "$n" -nt "$b" ] && { [ -f "$b${BUNDLED_CA_MARKER_SUFFIX}" ] && ${LAUNCH_ENVIRONMENT} exec "$n" ${LAUNCH_NODE_OPTION} --snapshot-blob "$b" ${flags} "$0" "$@"; ` +
    `exec "$n" --snapshot-blob "$b" ${flags} "$0" "$@"; };; esac; ` +
    `exec node ${flags} "$0" "$@"`
  );
}

/** The build id and name a launcher line names (undefined for other files). */
export function launcherBuild(executableText: string): { name: string; id: string } | undefined {
  const m = /terraform-provider-([A-Za-z0-9_-]+?)-([0-9a-f]{16})\.snapshot\$n\.blob/.exec(executableText.slice(0, 1000));
  return m ? { name: m[1]!, id: m[2]! } : undefined;
}

export interface BundleOptions {
  /** TypeScript entry that calls `serve(...)`. */
  entry?: string;
  /** Minify (smaller file, faster start-up). Default true. */
  minify?: boolean;
  /** Names the code cache file; default the entry's folder name (e.g. `scim`). */
  name?: string;
  /** Wrap the program in the code-cache loader. Default true. */
  codeCache?: boolean;
}

export interface Bundle {
  /** The executable file's contents. */
  contents: Buffer;
  sha256: string;
  /** The bundled program alone (what a start-up snapshot is built from). */
  program: string;
  name: string;
  /** Identifies the program (code cache and snapshot names). */
  id: string;
}

export class ProviderBuildError extends Error {
  readonly code = 'PROVIDER_BUILD_FAILED';
  constructor(entry: string, details: string) {
    super(
      `Could not bundle the provider entry ${path.relative(REPO_ROOT, entry) || entry}:\n${details}\n` +
        'Fix the errors above (type-check with `npx tsc -p tsconfig.json --noEmit`), then run `npm run build:provider`.',
    );
    this.name = 'ProviderBuildError';
  }
}

/** esbuild plugin: replaces protocol-root.ts by a module with the services' method table and a prebuilt
 * JSON descriptor. protobufjs is loaded and the Root built on first use (the first message), not while
 * the gRPC services are registered before the handshake. */
function prebuiltProtocolDescriptor(): esbuild.Plugin {
  return {
    name: 'prebuilt-protocol-descriptor',
    setup(build) {
      build.onLoad({ filter: /[\\/]protocol[\\/]protocol-root\.ts$/ }, () => {
        const root = parseProtocolFiles(PROTOCOL_DIR);
        const descriptor = JSON.stringify(root.toJSON());
        return {
          loader: 'js',
          resolveDir: PROTOCOL_DIR,
          watchFiles: PROTOCOL_FILES.map((f) => path.join(PROTOCOL_DIR, f)),
          contents: `
            export const PROTOCOL_FILES = ${JSON.stringify(PROTOCOL_FILES)};
            const SERVICES = ${JSON.stringify(serviceMethods(root))};
            const DESCRIPTOR = ${JSON.stringify(descriptor)};
            let cached;
            export function loadProtocolRoot() {
              if (!cached) {
                const { Root } = require('protobufjs/light');
                cached = Root.fromJSON(JSON.parse(DESCRIPTOR));
                cached.resolveAll();
              }
              return cached;
            }
            export function parseProtocolFiles() { return loadProtocolRoot(); }
            export function protocolServices() { return SERVICES; }
            export { describeMethods } from './protocol-methods';
          `,
        };
      });
    },
  };
}

export async function bundleProvider(options: BundleOptions = {}): Promise<Bundle> {
  const entry = path.resolve(options.entry ?? DEFAULT_ENTRY);
  if (!fs.existsSync(entry)) throw new ProviderBuildError(entry, 'the entry file does not exist.');
  let result: esbuild.BuildResult & { outputFiles: esbuild.OutputFile[] };
  try {
    result = await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      write: false,
      outfile: 'provider.js',
      minify: options.minify ?? true,
      legalComments: 'none',
      logLevel: 'silent',
      absWorkingDir: REPO_ROOT,
      plugins: [prebuiltProtocolDescriptor()],
    });
  } catch (err) {
    const failure = err as esbuild.BuildFailure;
    const details = failure.errors?.length
      ? failure.errors.map((e) => `  ${e.location ? `${e.location.file}:${e.location.line}:${e.location.column}: ` : ''}${e.text}`).join('\n')
      : String((err as Error)?.message ?? err);
    throw new ProviderBuildError(entry, details);
  }
  const out = result.outputFiles.find((f) => f.path.endsWith('.js'));
  if (!out) throw new ProviderBuildError(entry, 'esbuild produced no JavaScript output.');
  // The entry may carry its own hashbang; keep exactly one, first.
  const program = out.text.replace(/^(#![^\n]*\n)+/, '');
  const name = (options.name ?? path.basename(path.dirname(entry))).replace(/[^a-z0-9_-]/gi, '_');
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${program}\n})`;
  // The id names the snapshot and code cache in the shared cache folder: it covers the node flags too, since
  // Node refuses (or misreads) a snapshot built with other flags — two checkouts whose programs match but
  // whose flags differ must not share a blob — and the launcher line, whose files next to the blob (the
  // bundled-CA marker) an install writes along with the snapshot.
  const id = crypto.createHash('sha256').update(`${NODE_FLAGS.join(' ')}\n${launcher(name, '')}\n`).update(wrapped).digest('hex').slice(0, 16);
  const text = options.codeCache === false ? `${launcher(name, id)}\n${program}` : withCodeCacheLoader(wrapped, id, name, entry);
  const contents = Buffer.from(text);
  return { contents, sha256: crypto.createHash('sha256').update(contents).digest('hex'), program, name, id };
}

/**
 * The executable: a small loader, then the program (a CommonJS bundle) inside a block comment in the body
 * of a function that is never called. Node reads and compiles the file quickly, as V8 skips a comment far
 * faster than it scans a string literal of the same size; the loader takes the program text back from
 * the function's source (`Function.prototype.toString`, no second read of the file) and compiles it
 * through vm.Script with cached data from a per-user cache file, which it writes once the provider has
 * started (or at exit) if it was missing or stale. Any cache problem falls back to a plain compile; SCIMFORM_NO_CODE_CACHE=1
 * disables it, SCIMFORM_CACHE_DIR moves it. Line numbers in stack traces are those of the file.
 */
function withCodeCacheLoader(wrapped: string, id: string, name: string, entry: string): string {
  // A block comment ends at the first "*/": such sequences (in strings or regular expressions) are
  // stored as "*<c>/", with a control character <c> the program does not contain, and restored.
  const marker = [...'\x01\x02\x03\x04\x05\x06\x07\x0e\x0f\x10'].find((c) => !wrapped.includes(c));
  if (marker === undefined) throw new ProviderBuildError(entry, 'the bundle contains every control character reserved for escaping "*/".');
  const escaped = wrapped.split('*/').join(`*${marker}/`);
  const restore = escaped === wrapped ? '' : `\n  source = source.replaceAll(${JSON.stringify(`*${marker}/`)}, "*/");`;
  const loader = (lineOffset: number) => `${launcher(name, id)}
// terraform-provider-${name}, bundled by scimform's scripts/build-provider.ts. The program is in the comment
// at the end of this file; it is compiled with a V8 code cache (~/.cache/scimform) so that Terraform's
// frequent start-ups are fast.
"use strict";
(function () {
  const fs = require("fs"), path = require("path"), vm = require("vm"), os = require("os");
  const prefix = "terraform-provider-${name}-";
  let dir, file, cachedData;
  if (!process.env.SCIMFORM_NO_CODE_CACHE) {
    try {
      dir = process.env.SCIMFORM_CACHE_DIR || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "scimform");
      file = path.join(dir, prefix + "${id}-" + process.version + "-" + process.arch + ".v8cache");
      cachedData = fs.readFileSync(file);
    } catch (e) { cachedData = undefined; }
  }
  const text = scimformProgram.toString();
  let source = text.slice(text.indexOf("/*\\n") + 3, text.length - 4);${restore}
  const script = new vm.Script(source, { filename: __filename, lineOffset: ${lineOffset}, cachedData });
  if (file && (!cachedData || script.cachedDataRejected)) {
    // Written once the program says it has started (the handshake is out), so the cache holds the
    // start-up path only (small, fast to load) and is written even when Terraform later kills the process.
    let written = false;
    const write = function () {
      if (written) return;
      written = true;
      try {
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        for (const f of fs.readdirSync(dir)) if (f.startsWith(prefix) && f !== path.basename(file)) fs.rmSync(path.join(dir, f), { force: true });
        const tmp = file + "." + process.pid + ".tmp";
        fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
        fs.renameSync(tmp, file);
      } catch (e) { /* the cache is an optimisation only */ }
    };
    process.once(${JSON.stringify(PROVIDER_READY_EVENT)}, write);
    process.once("exit", write);
  }
  script.runInThisContext()(exports, require, module, __filename, __dirname);
})();
// The program (never called: its source text is the program).
function scimformProgram() {/*
`;
  // Lines before the program: the loader's own lines (its text does not depend on the offset's value).
  const lineOffset = loader(0).split('\n').length - 1;
  return `${loader(lineOffset)}${escaped}\n*/}\n`;
}

/** Writes `contents` to `file` atomically with mode 0755; false when unchanged. The temporary file
 * lives in the parent folder, so a concurrent reader of the file's folder (Terraform hashing a
 * provider package) never sees it. */
export function writeExecutable(file: string, contents: Buffer): boolean {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (fs.existsSync(file) && fs.readFileSync(file).equals(contents)) {
    fs.chmodSync(file, 0o755);
    return false;
  }
  const tmp = path.join(path.dirname(path.dirname(file)), `.${path.basename(file)}.tmp-${process.pid}-${Date.now()}`);
  fs.writeFileSync(tmp, contents, { mode: 0o755 });
  fs.chmodSync(tmp, 0o755);
  fs.renameSync(tmp, file);
  return true;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const outIdx = args.indexOf('--out');
  const entry = args.find((a, i) => !a.startsWith('--') && i !== outIdx + 1);
  const out = outIdx >= 0 ? args[outIdx + 1] : path.join(REPO_ROOT, 'dist/terraform-provider-scim.js');
  const bundle = await bundleProvider({ entry, minify: !args.includes('--no-minify') });
  writeExecutable(path.resolve(out), bundle.contents);
  process.stdout.write(`built ${path.relative(process.cwd(), path.resolve(out))} (${Math.round(bundle.contents.length / 1024)} KiB)\n`);
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${(err as Error)?.message ?? err}\n`);
    process.exit(1);
  });
}
