// Minimal reproduction of Terraform's cost on one `scim_roster` (issue 18): plain JSON configuration with one
// roster of N entries shaped like ScimApp's, against a local sandbox, timing each Terraform step separately
// (first apply with its import, no-op plan, plan -out, show -json, show): wall, CPU of terraform and its provider
// processes, the providers' peak RSS (VmHWM), heap and CPU (RSS_HOOK); --trace adds the provider's time per gRPC call (TF_LOG=trace), --perf a
// `perf record -g` per step (Terraform is a stripped Go binary: symbolize with its .gopclntab section).
//   node -r ./scripts/ts-register.js bench/roster-repro.ts --sizes 500,1000,2000 [--rosters K] [--entries-as json] [--env GOGC=400] [--quick] [--trace] [--perf] [--keep]
// Provider settings apply to every step through the environment, e.g. SCIMFORM_REPRO_V8=--heap-growing-percent=0
// (V8 flags, set by the hook) or SCIMFORM_PROVIDER_MEMORY_BUDGET_MB=100000 (no memory gate).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSandbox } from '../sandbox';
import { benchEntry } from './roster-entry-shape';

const root = path.resolve(__dirname, '..');
const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const sizes = (arg('sizes') ?? '500,1000,2000').split(',').map(Number);
const trace = process.argv.includes('--trace');
/** --perf: each step runs under `perf record` (perf-<step>.data in the kept workdir; implies --keep). */
const perf = process.argv.includes('--perf');
const keep = process.argv.includes('--keep') || process.argv.includes('--perf');
/** The N entries split over this many rosters (by key hash, as ScimApp slices). */
const rosters = Number(arg('rosters') ?? '1');
/** --env A=1,B=2: the no-op plan again with each of these environment variables (e.g. GOGC=200). */
const variants = (arg('env') ?? '').split(',').filter(Boolean).map((v) => [v.slice(0, v.indexOf('=')), v.slice(v.indexOf('=') + 1)] as [string, string]);
/** --quick: only validate, the first apply and the no-op plan. */
const quick = process.argv.includes('--quick');
/** --entries-as json: the entries as `entries_json` (one JSON string each, as ScimApp writes them) instead of typed `entries`. */
const entriesAs = arg('entries-as') ?? 'typed';

/** One entry as ScimApp emits it; the manager by key in one roster, by user name across rosters. */
const entry = (i: number) => benchEntry(i, rosters === 1 ? 'key' : 'user_name');

function config(url: string, token: string, n: number): unknown {
  const slices: Record<string, unknown>[] = Array.from({ length: rosters }, () => ({}));
  for (let i = 0; i < n; i++) slices[i % rosters][`E${100000 + i}`] = entry(i);
  const name = (s: number) => `accounts_${String(s).padStart(2, '0')}`;
  return {
    terraform: { required_providers: { scim: { source: 'scimform/scim' } } },
    provider: { scim: { endpoint: url, token, profile: 'generic' } },
    import: slices.map((_, s) => ({ to: `scim_roster.${name(s)}`, id: 'roster' })),
    resource: { scim_roster: Object.fromEntries(slices.map((entries, s) => [name(s), { ...(entriesAs === 'json' ? { entries_json: Object.fromEntries(Object.entries(entries).map(([k, e]) => [k, JSON.stringify(e)])) } : { entries }), on_destroy: 'deactivate' }])) },
  };
}

interface Step {
  step: string;
  seconds: number;
  /** CPU seconds (user + system) of terraform and the provider processes. */
  cpu: number;
  code: number;
  /** Peak RSS (MiB) of the provider processes Terraform started in this step. */
  providerRssMb?: number;
  /** CPU seconds of the provider processes alone (part of `cpu`). */
  providerCpu?: number;
  /** That process's memory at its highest sampled RSS. */
  providerAtPeak?: string;
  /** --trace: seconds inside provider gRPC calls, by call name. */
  rpc?: Record<string, number>;
}

/** Seconds the provider spent in each gRPC call, from its own `rpc <Call> done: … duration_ms=N` log lines (TF_LOG=trace). */
function rpcSplit(file: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of fs.readFileSync(file, 'utf8').matchAll(/rpc (\w+) done:.*?duration_ms=(\d+)/g)) out[m[1]] = (out[m[1]] ?? 0) + Number(m[2]) / 1000;
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, Math.round(v * 100) / 100]));
}

/** Runs terraform asynchronously: the sandbox serves from this process's event loop. */
function terraform(args: string[], cwd: string, env: NodeJS.ProcessEnv, tf = 'terraform'): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // bash's `times` prints the CPU of terraform and the provider processes it waited for.
    const child = spawn('bash', ['-c', `${tf} "$@"; rc=$?; times >&2; exit $rc`, 'terraform', ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });
}

/**
 * Preloaded into every provider process (NODE_OPTIONS): appends one line to $SCIMFORM_REPRO_RSS at exit — its peak
 * RSS (MiB, VmHWM), then heap total, heap used, external and array buffers (MiB) sampled every 25 ms at the highest RSS
 * sampled, the most heap in use right after a major GC (what was alive), the count of major GCs, its RSS and malloc
 * heap at exit and its CPU seconds; and applies the V8 flags in $SCIMFORM_REPRO_V8 (e.g. --env SCIMFORM_REPRO_V8=--optimize-for-size), which
 * NODE_OPTIONS does not accept.
 */
const RSS_HOOK = `if (/terraform-provider-scim/.test(process.argv[1] || '') && process.env.SCIMFORM_REPRO_RSS) {
  if (process.env.SCIMFORM_REPRO_V8) require('v8').setFlagsFromString(process.env.SCIMFORM_REPRO_V8);
  const mib = (b) => Math.round(b / 1048576);
  let peak = { rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
  const sample = () => { const m = process.memoryUsage(); if (m.rss > peak.rss) peak = m; };
  setInterval(sample, 25).unref();
  let live = 0, majors = 0;
  const { PerformanceObserver, constants } = require('perf_hooks');
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.detail && e.detail.kind === constants.NODE_PERFORMANCE_GC_MAJOR) { majors++; live = Math.max(live, process.memoryUsage().heapUsed); }
  }).observe({ entryTypes: ['gc'] });
  process.on('exit', () => {
    sample();
    // What stays resident at exit: all of it, and malloc's main heap ([heap] in smaps).
    const smaps = require('fs').readFileSync('/proc/self/smaps', 'utf8');
    const heapRss = /\\[heap\\]\\n(?:.*\\n)*?Rss:\\s+(\\d+)/.exec(smaps);
    const nowRss = process.memoryUsage().rss;
    // VmHWM, not getrusage's maxRSS: Terraform starts the provider with vfork, and Linux carries the parent's
    // peak over to the child's maxRSS at exec, so maxRSS would report Terraform's own peak.
    const hwm = Number(/VmHWM:\\s+(\\d+)/.exec(require('fs').readFileSync('/proc/self/status', 'utf8'))[1]);
    require('fs').appendFileSync(process.env.SCIMFORM_REPRO_RSS, [Math.round(hwm / 1024), mib(peak.heapTotal), mib(peak.heapUsed), mib(peak.external), mib(peak.arrayBuffers), mib(live), majors, mib(peak.rss), mib(nowRss), heapRss ? Math.round(Number(heapRss[1]) / 1024) : 0, ((process.cpuUsage().user + process.cpuUsage().system) / 1e6).toFixed(2)].join(' ') + '\\n');
  });
}
`;

async function run(dir: string, step: string, args: string[], env: NodeJS.ProcessEnv): Promise<Step> {
  const log = path.join(dir, `trace-${step}.log`);
  const hook = path.join(dir, 'rss-hook.js');
  const rssFile = path.join(dir, `rss-${step.replace(/\W+/g, '_')}.txt`);
  fs.writeFileSync(hook, RSS_HOOK);
  env = { ...env, NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --require ${hook}`.trim(), SCIMFORM_REPRO_RSS: rssFile };
  const tf = perf ? `perf record -q -g -F 250 -o perf-${step.replace(/\W+/g, '_')}.data -- terraform` : 'terraform';
  const t0 = process.hrtime.bigint();
  const r = await terraform(args, dir, { ...env, ...(trace ? { TF_LOG: 'trace', TF_LOG_PATH: log } : {}) }, tf);
  const seconds = Math.round(Number(process.hrtime.bigint() - t0) / 1e7) / 100;
  if (r.status !== 0 && !(step.startsWith('plan') && r.status === 2)) {
    process.stderr.write(`terraform ${args.join(' ')} failed (${r.status}):\n${r.stderr}\n${r.stdout.slice(-2000)}\n`);
  }
  const t = /(\d+)m([\d.]+)s (\d+)m([\d.]+)s\s*$/.exec(r.stderr.trim());
  const cpu = t ? Math.round((Number(t[1]) * 60 + Number(t[2]) + Number(t[3]) * 60 + Number(t[4])) * 100) / 100 : NaN;
  const procs = fs.existsSync(rssFile) ? fs.readFileSync(rssFile, 'utf8').split('\n').filter(Boolean).map((l) => l.split(' ').map(Number)) : [];
  const top = procs.sort((a, b) => b[0] - a[0])[0];
  const providerCpu = Math.round(procs.reduce((sum, p) => sum + (p[10] || 0), 0) * 100) / 100;
  const peak = top ? { providerCpu, providerRssMb: top[0], providerAtPeak: `heap ${top[1]}/${top[2]} MiB (total/used), external ${top[3]} MiB, array buffers ${top[4]} MiB; live after major GC ≤ ${top[5]} MiB, ${top[6]} major GCs; sampled RSS ${top[7]} MiB; at exit RSS ${top[8]} MiB, malloc [heap] ${top[9]} MiB` } : {};
  return { step, seconds, cpu, ...peak, code: r.status ?? -1, ...(trace && fs.existsSync(log) ? { rpc: rpcSplit(log) } : {}) };
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-repro-sb-'));
  const sb = await startSandbox({ port: 0, quiet: true, dataDir });
  const results: Record<number, Step[]> = {};
  try {
    for (const n of sizes) {
      const tenant = sb.credentials.generic;
      await sb.admin.resetTenant('generic');
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `scimform-repro-${n}-`));
      fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify(config(tenant.baseUrl, tenant.token, n)));
      const env = { ...process.env, TF_CLI_CONFIG_FILE: path.join(root, '.scimform', 'terraformrc'), CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };
      const init = await terraform(['init', '-input=false', '-no-color'], dir, env);
      if (init.status !== 0) throw new Error(`terraform init failed in ${dir}:\n${init.stderr}`);
      const steps: Step[] = [];
      steps.push(await run(dir, 'validate', ['validate', '-no-color'], env));
      steps.push(await run(dir, 'apply-first', ['apply', '-input=false', '-no-color', '-auto-approve'], env));
      steps.push(await run(dir, 'plan-noop', ['plan', '-input=false', '-no-color', '-detailed-exitcode'], env));
      for (const [k, v] of variants) steps.push(await run(dir, `plan-noop ${k}=${v}`, ['plan', '-input=false', '-no-color', '-detailed-exitcode'], { ...env, [k]: v }));
      if (quick) {
        results[n] = steps;
        process.stdout.write(`N=${n} rosters=${rosters} entries=${entriesAs} ${JSON.stringify(steps)}\n`);
        if (!keep) fs.rmSync(dir, { recursive: true, force: true });
        else process.stdout.write(`kept ${dir}\n`);
        continue;
      }
      steps.push(await run(dir, 'plan-out', ['plan', '-input=false', '-no-color', '-detailed-exitcode', '-out=p.tfplan'], env));
      steps.push(await run(dir, 'show-json', ['show', '-json', '-no-color', 'p.tfplan'], env));
      steps.push(await run(dir, 'show-text', ['show', '-no-color', 'p.tfplan'], env));
      steps.push(await run(dir, 'state-json', ['show', '-json', '-no-color'], env));
      const state = fs.statSync(path.join(dir, 'terraform.tfstate')).size;
      results[n] = steps;
      process.stdout.write(`N=${n} rosters=${rosters} state ${Math.round(state / 1024)} KiB ${JSON.stringify(steps)}\n`);
      if (!keep) fs.rmSync(dir, { recursive: true, force: true });
      else process.stdout.write(`kept ${dir}\n`);
    }
  } finally {
    await sb.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const names = results[sizes[0]].map((s) => s.step);
  process.stdout.write(`\n| step | ${sizes.map((n) => `N=${n}`).join(' | ')} |\n|---|${sizes.map(() => '---').join('|')}|\n`);
  for (const s of names) {
    const cell = (n: number) => results[n].find((x) => x.step === s)!; // a repeated step shows its first run
    process.stdout.write(`| ${s} | ${sizes.map((n) => `${cell(n).seconds} (CPU ${cell(n).cpu})`).join(' | ')} |\n`);
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
