// Wall time of `terraform plan` and `terraform apply` of one scim_user against the sandbox, where provider
// start-up is most of the time (Terraform starts the provider 3 times for the plan, 4 for the apply), for
// several builds of the provider side by side: the installed one from its start-up snapshot, the same
// without it (SCIMFORM_NO_SNAPSHOT=1), and any other executable given with --provider LABEL=PATH (for example
// an older build, to compare before and after). Medians of --runs (default 5), runs interleaved.
//   node -r ./scripts/ts-register.js bench/terraform-startup.ts [--runs 5] [--provider old=/path/to/exe]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startBenchSandbox } from './bench-sandbox';
import { findProviderBinary, findProviderInstall } from './provider-install';
import { median } from './provider-startup';
import { runTerraform } from './terraform-runner';
import { scratchMirror } from './scratch-mirror';

interface Variant {
  label: string;
  executable: string;
  env: NodeJS.ProcessEnv;
}

function parseArgs(argv: string[]): { runs: number; extra: { label: string; executable: string }[] } {
  let runs = 5;
  const extra: { label: string; executable: string }[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--runs') runs = Math.max(1, Number(argv[++i]));
    else if (argv[i] === '--provider') {
      const [label, executable] = (argv[++i] ?? '').split('=');
      if (!label || !executable || !fs.existsSync(executable)) throw new Error(`--provider wants LABEL=PATH of an existing provider executable, got ${JSON.stringify(argv[i])}`);
      extra.push({ label, executable: path.resolve(executable) });
    } else throw new Error(`unknown argument ${argv[i]} (use --runs N and --provider LABEL=PATH)`);
  }
  return { runs, extra };
}

/** A working directory whose filesystem mirror holds `executable` as scimform/scim, initialised. */
async function workdir(root: string, v: Variant, hcl: string): Promise<{ cwd: string; env: NodeJS.ProcessEnv }> {
  const cwd = path.join(root, v.label.replace(/[^a-z0-9_-]/gi, '_'));
  const mirrorEnv = scratchMirror(cwd, fs.readFileSync(v.executable));
  fs.writeFileSync(path.join(cwd, 'main.tf'), hcl);
  const env = { ...process.env, ...v.env, ...mirrorEnv };
  await runTerraform(['init', '-input=false', '-no-color'], { cwd, env });
  return { cwd, env };
}

async function main(): Promise<void> {
  const { runs, extra } = parseArgs(process.argv.slice(2));
  const installed = findProviderBinary(os.tmpdir(), findProviderInstall(path.resolve(__dirname, '..')));
  const variants: Variant[] = [
    { label: 'snapshot', executable: installed, env: {} },
    { label: 'no-snapshot', executable: installed, env: { SCIMFORM_NO_SNAPSHOT: '1' } },
    ...extra.map((e) => ({ ...e, env: {} })),
  ];
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-tf-startup-'));
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
  user_name = "ada.startup@example.com"
}
`;
    // Builds without the snapshot keep their code caches apart (a loader removes other builds' caches from
    // its folder); one untimed plan per build writes them.
    for (const v of variants) if (v.label !== 'snapshot') v.env.SCIMFORM_CACHE_DIR = path.join(root, `cache-${v.label}`);
    const dirs = [];
    for (const v of variants) {
      const d = await workdir(root, v, hcl);
      await runTerraform(['plan', '-input=false', '-no-color'], { cwd: d.cwd, env: { ...d.env, TF_VAR_token: sandbox.endpoint.token } });
      dirs.push(d);
    }
    const times = variants.map(() => ({ plan: [] as number[], apply: [] as number[] }));
    for (let r = 0; r < runs; r++) {
      for (const [i, d] of dirs.entries()) {
        const env = { ...d.env, TF_VAR_token: sandbox.endpoint.token };
        times[i]!.plan.push((await runTerraform(['plan', '-input=false', '-no-color', '-out=tfplan'], { cwd: d.cwd, env })).seconds);
        times[i]!.apply.push((await runTerraform(['apply', '-input=false', '-no-color', 'tfplan'], { cwd: d.cwd, env })).seconds);
        await runTerraform(['destroy', '-auto-approve', '-input=false', '-no-color'], { cwd: d.cwd, env });
      }
    }
    const ms = (xs: number[]) => `${Math.round(median(xs) * 1000)} ms`.padStart(8);
    process.stdout.write(`terraform plan / apply of one scim_user against the sandbox, median of ${runs} (load ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores):\n`);
    for (const [i, v] of variants.entries()) process.stdout.write(`  ${v.label.padEnd(14)} plan ${ms(times[i]!.plan)}   apply ${ms(times[i]!.apply)}\n`);
  } finally {
    await sandbox.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`terraform-startup: ${(err as Error)?.message ?? err}\n`);
  process.exit(1);
});
