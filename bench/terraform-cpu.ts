// CPU (user + system seconds, not wall time: the machine may be shared) of `terraform plan` and `terraform
// apply` of one scim_user against the sandbox, split into Terraform itself and each provider process it
// starts, in start order: for a plan 1 = schema, 2 = validation, 3 = configure + read + plan; an apply
// (without a plan file) adds 4 = configure + apply. The provider is built from this checkout, with its
// start-up snapshot and code cache in a private cache folder, and started by a bash script that records its
// CPU to the millisecond (`times`). Variants, measured interleaved (medians of --runs, default 5):
//   --env NAME=VALUE   this build again with that environment variable (e.g. SCIMFORM_NO_SNAPSHOT=1)
//   --baseline DIR     the provider of another checkout (e.g. `git archive main | tar -x -C DIR`, with a
//                      node_modules link), to compare before and after on the same machine load
//   node -r ./scripts/ts-register.js bench/terraform-cpu.ts [--runs 5] [--env NAME=VALUE] [--baseline DIR]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import { startBenchSandbox } from './bench-sandbox';
import { median } from './provider-startup';
import { bundleProvider, DEFAULT_ENTRY, writeExecutable } from '../scripts/build-provider';
import { buildStartupSnapshot } from '../scripts/startup-snapshot';
import { scratchMirror } from './scratch-mirror';

interface Variant {
  label: string;
  /** The provider entry (providers/scim/main.ts of a checkout). */
  entry: string;
  env: NodeJS.ProcessEnv;
}

/** CPU seconds of one terraform command: Terraform alone, and each provider process in start order. */
interface CommandCpu {
  terraform: number;
  providers: number[];
}

function parseArgs(argv: string[]): { runs: number; variants: Variant[] } {
  let runs = 5;
  const variants: Variant[] = [{ label: 'this checkout', entry: DEFAULT_ENTRY, env: {} }];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--runs') runs = Math.max(1, Number(argv[++i]));
    else if (argv[i] === '--env') {
      const kv = argv[++i] ?? '';
      const eq = kv.indexOf('=');
      if (eq < 1) throw new Error(`--env wants NAME=VALUE, got ${JSON.stringify(kv)}`);
      variants.push({ label: kv, entry: DEFAULT_ENTRY, env: { [kv.slice(0, eq)]: kv.slice(eq + 1) } });
    } else if (argv[i] === '--baseline') {
      const dir = path.resolve(argv[++i] ?? '');
      const entry = path.join(dir, 'providers/scim/main.ts');
      if (!fs.existsSync(entry)) throw new Error(`--baseline wants a checkout of scimform; ${entry} does not exist`);
      variants.push({ label: `baseline ${path.basename(dir)}`, entry, env: {} });
    } else throw new Error(`unknown argument ${argv[i]} (use --runs N, --env NAME=VALUE, --baseline DIR)`);
  }
  return { runs, variants };
}

/** `file` holds bash's `times` output; its last line is the children's user and system time ("0m0.312s 0m0.040s"). */
function cpuOf(file: string): number {
  const last = fs.readFileSync(file, 'utf8').trim().split('\n').pop() ?? '';
  const m = /^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/.exec(last);
  if (!m) throw new Error(`no CPU times in ${file}: ${JSON.stringify(last)}`);
  return Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4]);
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile(cmd, args, { cwd, env, maxBuffer: 16 << 20 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${cmd} ${args.join(' ')} failed in ${cwd}: ${err.message}\n${stdout}${stderr}`)) : resolve(),
    ),
  );
}

const HCL = (endpoint: string) => `terraform {
  required_providers {
    scim = { source = "scimform/scim" }
  }
}
variable "token" {
  type      = string
  sensitive = true
}
variable "display_name" {
  type = string
}
provider "scim" {
  endpoint = "${endpoint}"
  token    = var.token
}
resource "scim_user" "ada" {
  user_name    = "ada.cpu@example.com"
  display_name = var.display_name
}
`;

/** A working directory for `v`: its build in a filesystem mirror of its own, behind the CPU-recording script. */
async function prepare(v: Variant, dir: string, endpoint: { baseUrl: string; token: string }): Promise<{ cwd: string; env: NodeJS.ProcessEnv; logDir: string }> {
  const cacheDir = path.join(dir, 'cache');
  const bundle = await bundleProvider({ entry: v.entry });
  const real = path.join(dir, 'terraform-provider-scim');
  writeExecutable(real, bundle.contents);
  const snap = buildStartupSnapshot(bundle, { cacheDir });
  if (!snap.blob) process.stdout.write(`(${v.label}: no start-up snapshot: ${snap.skipped})\n`);
  const logDir = path.join(dir, 'provider-cpu');
  fs.mkdirSync(logDir);
  // bash's `times` prints the children's CPU to the millisecond (/usr/bin/time: to 10 ms).
  const wrapper = `#!/bin/bash\nf="${logDir}/$(date +%s%N)-$$"\n"${real}" "$@"\nrc=$?\ntimes > "$f"\nexit $rc\n`;
  const mirrorEnv = scratchMirror(dir, wrapper);
  const cwd = path.join(dir, 'work');
  fs.mkdirSync(cwd);
  fs.writeFileSync(path.join(cwd, 'main.tf'), HCL(endpoint.baseUrl));
  const env = { ...process.env, ...v.env, ...mirrorEnv, TF_VAR_token: endpoint.token, SCIMFORM_CACHE_DIR: cacheDir };
  await run('terraform', ['init', '-input=false', '-no-color'], cwd, env);
  // Creates the user (and writes the code cache): the timed plans read it back.
  await run('terraform', ['apply', '-auto-approve', '-input=false', '-no-color'], cwd, { ...env, TF_VAR_display_name: 'Ada 0' });
  return { cwd, env, logDir };
}

/** Runs `terraform args`, recording its CPU; the provider script logs each provider process into `logDir`. */
async function measure(args: string[], cwd: string, env: NodeJS.ProcessEnv, logDir: string): Promise<CommandCpu> {
  for (const f of fs.readdirSync(logDir)) fs.rmSync(path.join(logDir, f));
  const total = path.join(cwd, 'terraform.times');
  await run('bash', ['-c', `terraform "$@"; rc=$?; times > ${total}; exit $rc`, 'terraform', ...args], cwd, env);
  // File names start with the start time in nanoseconds: sorting them gives the start order.
  const providers = fs.readdirSync(logDir).sort().map((f) => cpuOf(path.join(logDir, f)));
  return { terraform: cpuOf(total) - providers.reduce((a, b) => a + b, 0), providers };
}

async function main(): Promise<void> {
  const { runs, variants } = parseArgs(process.argv.slice(2));
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-tf-cpu-'));
  const sandbox = await startBenchSandbox(path.join(root, 'sandbox-data'));
  try {
    const dirs = [];
    for (const [i, v] of variants.entries()) {
      const dir = path.join(root, `variant-${i}`);
      fs.mkdirSync(dir);
      dirs.push(await prepare(v, dir, sandbox.endpoint));
    }
    const results = variants.map(() => ({ plan: [] as CommandCpu[], apply: [] as CommandCpu[] }));
    const flags = ['-input=false', '-no-color'];
    for (let r = 1; r <= runs; r++) {
      for (const [i, d] of dirs.entries()) {
        results[i]!.plan.push(await measure(['plan', ...flags], d.cwd, { ...d.env, TF_VAR_display_name: `Ada ${r - 1}` }, d.logDir));
        results[i]!.apply.push(await measure(['apply', '-auto-approve', ...flags], d.cwd, { ...d.env, TF_VAR_display_name: `Ada ${r}` }, d.logDir));
      }
    }
    const s = (x: number) => x.toFixed(3);
    process.stdout.write(`CPU seconds (user+sys) per terraform command of one scim_user, median of ${runs} (load ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores):\n`);
    for (const [i, v] of variants.entries()) {
      for (const cmd of ['plan', 'apply'] as const) {
        const xs = results[i]![cmd];
        const n = Math.max(...xs.map((x) => x.providers.length));
        const per = Array.from({ length: n }, (_, k) => s(median(xs.map((x) => x.providers[k] ?? 0))));
        const providerSum = median(xs.map((x) => x.providers.reduce((a, b) => a + b, 0)));
        process.stdout.write(
          `  ${v.label.padEnd(24)} ${cmd.padEnd(5)} terraform ${s(median(xs.map((x) => x.terraform)))}  providers ${s(providerSum)} = [${per.join(', ')}]\n`,
        );
      }
    }
  } finally {
    await sandbox.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`terraform-cpu: ${(err as Error)?.message ?? err}\n`);
  process.exit(1);
});
