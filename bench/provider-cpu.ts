// CPU seconds (user+sys) of each provider process Terraform starts for `terraform plan` and `apply` of one
// scim_user against the sandbox, with the calls each process served, beside a bare `node -e 0`: the figure
// the provider's start-up work is judged by (docs/guides/provider-build.md). Each provider executable is
// wrapped in the scratch mirror by a tiny /bin/sh script that runs it under a python3 wait4() (its CPU to
// the microsecond) and keeps its stderr. One untimed round with TF_LOG_PROVIDER=debug names the calls
// each process served (one `rpc X done` line per call); the timed rounds run at the default log level, as
// users do (debug logging itself costs CPU). Needs python3 on PATH. Medians of --runs (default 5).
//   node -r ./scripts/ts-register.js bench/provider-cpu.ts [--runs 5] [--provider LABEL=PATH ...] [--env LABEL:K=V]
// --provider adds another executable (e.g. an older build), runs interleaved; --env LABEL:K=V sets a
// variable for one variant (e.g. --env installed:SCIMFORM_NO_SNAPSHOT=1 after --provider nosnap=PATH).
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { startBenchSandbox } from './bench-sandbox';
import { findProviderBinary, findProviderInstall } from './provider-install';
import { median } from './provider-startup';
import { cliConfigText, packageVersion, terraformPlatform } from '../scripts/install-provider';

const run = promisify(execFile);

interface Variant {
  label: string;
  executable: string;
  env: NodeJS.ProcessEnv;
}

/** One provider process: CPU seconds and the RPCs it answered (in order, repeats folded). */
export interface ProcessCpu {
  cpuS: number;
  calls: string[];
}

function parseArgs(argv: string[]): { runs: number; variants: Variant[] } {
  let runs = 5;
  const installed = findProviderBinary(os.tmpdir(), findProviderInstall(path.resolve(__dirname, '..')));
  const variants: Variant[] = [{ label: 'installed', executable: installed, env: {} }];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[++i] ?? '';
    if (arg === '--runs') runs = Math.max(1, Number(value));
    else if (arg === '--provider') {
      const [label, executable] = value.split('=');
      if (!label || !executable || !fs.existsSync(executable)) throw new Error(`--provider wants LABEL=PATH of an existing provider executable, got ${JSON.stringify(value)}`);
      variants.push({ label, executable: path.resolve(executable), env: {} });
    } else if (arg === '--env') {
      const m = /^([^:]+):([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(value);
      const v = m && variants.find((x) => x.label === m[1]);
      if (!m || !v) throw new Error(`--env wants LABEL:NAME=VALUE for a variant named before it (${variants.map((x) => x.label).join(', ')}), got ${JSON.stringify(value)}`);
      v.env[m[2]!] = m[3]!;
    } else throw new Error(`unknown argument ${arg} (use --runs N, --provider LABEL=PATH, --env LABEL:NAME=VALUE)`);
  }
  return { runs, variants };
}

/** Waits for the command it runs and writes that process's user and system CPU seconds (wait4's rusage,
 * microseconds; GNU time prints only hundredths). */
const RUSAGE_PY = [
  'import os, sys',
  'pid = os.fork()',
  'if pid == 0:',
  '    os.execv(sys.argv[2], sys.argv[2:])',
  '_, status, ru = os.wait4(pid, 0)',
  'open(sys.argv[1], "w").write("%.6f %.6f\\n" % (ru.ru_utime, ru.ru_stime))',
  'sys.exit(os.waitstatus_to_exitcode(status))',
].join('\n');

/** The shell wrapper Terraform starts instead of the provider: measures it and keeps its log per process. */
function wrapperScript(real: string, logDir: string): string {
  return `#!/bin/sh\nexec python3 -c '${RUSAGE_PY}' "${logDir}/$$.time" "${real}" "$@" 2>"${logDir}/$$.log"\n`;
}

/** Reads what the wrapped processes of one terraform command left, in start order (pid order). */
function collect(logDir: string): ProcessCpu[] {
  const pids = fs
    .readdirSync(logDir)
    .filter((f) => f.endsWith('.time'))
    .map((f) => Number(f.slice(0, -5)))
    .sort((a, b) => a - b);
  const out = pids.map((pid) => {
    const time = fs.readFileSync(path.join(logDir, `${pid}.time`), 'utf8').trim().split('\n').pop()!;
    const [user, sys] = time.split(' ').map(Number);
    const log = fs.existsSync(path.join(logDir, `${pid}.log`)) ? fs.readFileSync(path.join(logDir, `${pid}.log`), 'utf8') : '';
    const calls: string[] = [];
    for (const m of log.matchAll(/"@message":"rpc (\w+) done"/g)) if (calls[calls.length - 1] !== m[1]) calls.push(m[1]!);
    return { cpuS: (user ?? NaN) + (sys ?? NaN), calls };
  });
  for (const f of fs.readdirSync(logDir)) fs.rmSync(path.join(logDir, f));
  return out;
}

/** CPU seconds of a bare `node -e 0`, measured the same way, median of `runs`. */
function bareNodeCpu(runs: number): number {
  const samples: number[] = [];
  const file = path.join(os.tmpdir(), `scimform-node-cpu-${process.pid}`);
  for (let i = 0; i < runs; i++) {
    execFileSync('python3', ['-c', RUSAGE_PY, file, process.execPath, '-e', '0']);
    const [u, s] = fs.readFileSync(file, 'utf8').trim().split(' ').map(Number);
    samples.push(u! + s!);
  }
  fs.rmSync(file, { force: true });
  return median(samples);
}

async function main(): Promise<void> {
  const { runs, variants } = parseArgs(process.argv.slice(2));
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-provider-cpu-'));
  const sandbox = await startBenchSandbox(path.join(root, 'sandbox-data'));
  try {
    const hcl = `terraform {
  required_providers {
    scim = { source = "scimform/scim" }
  }
}
variable "token" {
  type      = string
  sensitive = true
}
provider "scim" {
  endpoint = "${sandbox.endpoint.baseUrl}"
  token    = var.token
}
resource "scim_user" "ada" {
  user_name = "ada.cpu@example.com"
}
`;
    const dirs: { cwd: string; env: NodeJS.ProcessEnv; logDir: string }[] = [];
    for (const v of variants) {
      const cwd = path.join(root, v.label.replace(/[^a-z0-9_-]/gi, '_'));
      const logDir = path.join(cwd, 'logs');
      fs.mkdirSync(logDir, { recursive: true });
      const version = packageVersion();
      const pkg = path.join(cwd, 'mirror/registry.terraform.io/scimform/scim', version, terraformPlatform());
      fs.mkdirSync(pkg, { recursive: true });
      fs.writeFileSync(path.join(pkg, `terraform-provider-scim_v${version}`), wrapperScript(v.executable, logDir), { mode: 0o755 });
      fs.writeFileSync(path.join(cwd, 'terraformrc'), cliConfigText(path.join(cwd, 'mirror'), 'scimform'));
      fs.writeFileSync(path.join(cwd, 'main.tf'), hcl);
      const env = { ...process.env, ...v.env, TF_CLI_CONFIG_FILE: path.join(cwd, 'terraformrc'), CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0', TF_VAR_token: sandbox.endpoint.token };
      await run('terraform', ['init', '-input=false', '-no-color'], { cwd, env });
      // One untimed plan (writes a code cache when the variant runs without a snapshot).
      await run('terraform', ['plan', '-input=false', '-no-color'], { cwd, env });
      collect(logDir);
      dirs.push({ cwd, env, logDir });
    }
    const samples = variants.map(() => new Map<string, { calls: string[]; cpu: number[] }>());
    const round = async (i: number, env: NodeJS.ProcessEnv, record: (key: string, p: ProcessCpu) => void) => {
      const d = dirs[i]!;
      for (const command of ['plan', 'apply']) {
        const args = command === 'plan' ? ['plan', '-input=false', '-no-color', '-out=tfplan'] : ['apply', '-input=false', '-no-color', 'tfplan'];
        await run('terraform', args, { cwd: d.cwd, env });
        collect(d.logDir).forEach((p, n) => record(`${command} #${n + 1}`, p));
      }
      await run('terraform', ['destroy', '-auto-approve', '-input=false', '-no-color'], { cwd: d.cwd, env });
      collect(d.logDir);
    };
    for (const [i, d] of dirs.entries()) {
      await round(i, { ...d.env, TF_LOG_PROVIDER: 'debug' }, (key, p) => samples[i]!.set(key, { calls: p.calls, cpu: [] }));
    }
    for (let r = 0; r < runs; r++) {
      for (const [i, d] of dirs.entries()) {
        await round(i, d.env, (key, p) => {
          const entry = samples[i]!.get(key) ?? { calls: [], cpu: [] };
          entry.cpu.push(p.cpuS);
          samples[i]!.set(key, entry);
        });
      }
    }
    const node = bareNodeCpu(Math.max(5, runs));
    const s = (x: number) => `${x.toFixed(4)} s`;
    process.stdout.write(`CPU (user+sys) per provider process, median of ${runs} (load ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores); bare \`node -e 0\`: ${s(node)}\n`);
    for (const [i, v] of variants.entries()) {
      const env = Object.entries(v.env).map(([k, x]) => `${k}=${x}`).join(' ');
      process.stdout.write(`${v.label}${env ? ` (${env})` : ''}: ${v.executable}\n`);
      let total = 0;
      for (const [key, e] of samples[i]!) {
        const m = median(e.cpu);
        total += m;
        process.stdout.write(`  ${key.padEnd(9)} ${s(m)}  ${(m / node).toFixed(1)}× node   ${e.calls.join(', ') || '(no call logged)'}\n`);
      }
      process.stdout.write(`  total     ${s(total)}\n`);
    }
  } finally {
    await sandbox.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`provider-cpu: ${(err as Error)?.message ?? err}\n`);
  process.exit(1);
});
