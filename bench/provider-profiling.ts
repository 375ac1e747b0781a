// `--profile`: CPU profiles of the provider while Terraform drives it, without touching providers/. The bench
// installs an unminified bundle of the provider into a scratch filesystem mirror (readable function names),
// and launches Terraform with NODE_OPTIONS=--require <hook> so every provider process samples itself with
// the inspector and writes a .cpuprofile on exit. Summaries attribute self time to the bundled source
// module (esbuild marks each module with a `// path` comment) and to functions.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { profileMissing } from './errors';
import { clientCertificatePem, pluginEnv, startOnce } from './provider-startup';

export interface ProfilingSetup {
  cliConfigFile: string;
  nodeOptions: string;
  profileDir: string;
  bundleFile: string;
}

const HOOK = (profileDir: string): string => `// scimform bench: CPU-profiles a provider process (loaded through NODE_OPTIONS=--require).
"use strict";
if (/terraform-provider-scim/.test(process.argv[1] || "")) {
  const inspector = require("inspector"), fs = require("fs"), path = require("path");
  const session = new inspector.Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 500 });
  session.post("Profiler.start");
  // Memory evidence: count composite signals (AbortSignal.any), written with the profile.
  let abortSignalAnyCalls = 0;
  const any = AbortSignal.any;
  if (typeof any === "function") AbortSignal.any = function (...args) { abortSignalAnyCalls++; return any.apply(this, args); };
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    session.post("Profiler.stop", (err, res) => {
      if (err) return;
      const dir = process.env.SCIMFORM_BENCH_PROFILE_DIR || ${JSON.stringify(profileDir)};
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, "provider-" + process.pid + ".cpuprofile"), JSON.stringify(res.profile));
      const m = process.memoryUsage(), mb = (b) => Math.round(b / 1048576);
      fs.writeFileSync(path.join(dir, "provider-" + process.pid + ".memory.json"), JSON.stringify({
        peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024), rss_mb: mb(m.rss), heap_used_mb: mb(m.heapUsed),
        heap_total_mb: mb(m.heapTotal), external_mb: mb(m.external), array_buffers_mb: mb(m.arrayBuffers), abort_signal_any_calls: abortSignalAnyCalls,
      }));
    });
  };
  process.on("exit", write);
  if (process.env.SCIMFORM_BENCH_PROFILE_UNTIL_HANDSHAKE) {
    // Start-up profile: stop at the go-plugin handshake line.
    // The provider writes that line with fs.writeSync(1, …) or process.stdout.write; watch both.
    const isHandshake = (chunk) => String(chunk).startsWith("1|6|");
    const writeSync = fs.writeSync;
    fs.writeSync = function (fd, chunk, ...rest) {
      // Written before the line goes out: whoever reads it may stop the process at once.
      if (fd === 1 && isHandshake(chunk)) write();
      return writeSync.call(this, fd, chunk, ...rest);
    };
    const stdoutWrite = process.stdout.write;
    process.stdout.write = function (chunk, ...rest) {
      if (isHandshake(chunk)) write();
      return stdoutWrite.call(this, chunk, ...rest);
    };
  }
}
`;

export async function setUpProfiling(repoRoot: string, scratch: string, version: string, platform: string): Promise<ProfilingSetup> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const build = require(path.join(repoRoot, 'scripts', 'build-provider')) as {
    bundleProvider(o: { minify?: boolean; codeCache?: boolean }): Promise<{ contents: Buffer }>;
    writeExecutable(file: string, contents: Buffer): boolean;
  };
  const mirrorDir = path.join(scratch, 'profile-mirror');
  const bundleFile = path.join(mirrorDir, 'registry.terraform.io', 'scimform', 'scim', version, platform, `terraform-provider-scim_v${version}`);
  const bundle = await build.bundleProvider({ minify: false, codeCache: false });
  build.writeExecutable(bundleFile, bundle.contents);
  const cliConfigFile = path.join(scratch, 'profile-terraformrc');
  fs.writeFileSync(
    cliConfigFile,
    `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirrorDir)}\n    include = ["registry.terraform.io/scimform/*"]\n  }\n  direct {\n    exclude = ["registry.terraform.io/scimform/*"]\n  }\n}\n`,
  );
  const profileDir = path.join(scratch, 'profiles');
  const hook = path.join(scratch, 'profile-hook.js');
  fs.writeFileSync(hook, HOOK(profileDir));
  return { cliConfigFile, nodeOptions: `--require ${hook}`, profileDir, bundleFile };
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  process: string;
  /** At exit (or handshake): peak and current memory, and how many AbortSignal.any composites were made. */
  memory?: Record<string, number>;
  /** Wall time covered by the profile, and the part of it the process was busy (not idle). */
  total_ms: number;
  busy_ms: number;
  /** Shares are of busy time. */
  by_module: { module: string; self_ms: number; pct: number }[];
  by_function: { fn: string; self_ms: number; pct: number }[];
}

/** Maps a bundle line number (0-based) to the source module esbuild bundled there. */
function moduleIndex(bundleFile: string): (line: number) => string {
  const starts: { line: number; module: string }[] = [];
  fs.readFileSync(bundleFile, 'utf8')
    .split('\n')
    .forEach((text, i) => {
      const m = /^\/\/ ((?:node_modules|providers|scripts|lib|sandbox)\/\S+)$/.exec(text);
      if (m) starts.push({ line: i, module: m[1]!.replace(/^node_modules\/((?:@[^/]+\/)?[^/]+)\/.*$/, 'node_modules/$1') });
    });
  return (line) => {
    let lo = 0;
    let hi = starts.length - 1;
    let found = 'bundle prelude';
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]!.line <= line) {
        found = starts[mid]!.module;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
}

export function summarizeProfile(file: string, bundleFile: string, top = 12): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const moduleOf = moduleIndex(bundleFile);
  const modules = new Map<string, number>();
  const fns = new Map<string, number>();
  let total = 0;
  let busy = 0;
  for (const [id, us] of self) {
    const cf = byId.get(id)!.callFrame;
    total += us;
    if (cf.functionName === '(idle)') continue;
    busy += us;
    let module: string;
    if (cf.url.endsWith(path.basename(bundleFile))) module = moduleOf(cf.lineNumber);
    else if (cf.url === '') module = cf.functionName.startsWith('(') ? cf.functionName : '(native)';
    else module = cf.url.startsWith('node:') ? `node core: ${cf.url.slice(5)}` : cf.url;
    modules.set(module, (modules.get(module) ?? 0) + us);
    const fn = `${cf.functionName || '(anonymous)'} — ${module}${cf.lineNumber >= 0 ? `:${cf.lineNumber + 1}` : ''}`;
    fns.set(fn, (fns.get(fn) ?? 0) + us);
  }
  const rank = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => ({ k, self_ms: Math.round(us / 1000), pct: Math.round((1000 * us) / Math.max(1, busy)) / 10 }));
  const memoryFile = file.replace(/\.cpuprofile$/, '.memory.json');
  return {
    process: path.basename(file),
    ...(fs.existsSync(memoryFile) ? { memory: JSON.parse(fs.readFileSync(memoryFile, 'utf8')) as Record<string, number> } : {}),
    total_ms: Math.round(total / 1000),
    busy_ms: Math.round(busy / 1000),
    by_module: rank(modules).map(({ k, ...r }) => ({ module: k, ...r })),
    by_function: rank(fns).map(({ k, ...r }) => ({ fn: k, ...r })),
  };
}

/** One provider start with the profiler hook, stopped at the handshake line (unminified build, no code cache). */
export async function profileStartup(setup: ProfilingSetup): Promise<ProfileSummary> {
  const dir = path.join(setup.profileDir, 'start-up');
  const env = { ...pluginEnv(clientCertificatePem()), NODE_OPTIONS: setup.nodeOptions, SCIMFORM_BENCH_PROFILE_DIR: dir, SCIMFORM_BENCH_PROFILE_UNTIL_HANDSHAKE: '1' };
  await startOnce(setup.bundleFile, env);
  const file = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(dir, f))[0] : undefined;
  if (!file) throw profileMissing(dir);
  return summarizeProfile(file, setup.bundleFile);
}
