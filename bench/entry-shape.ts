// What the shape of a roster's entries costs Terraform itself (issue 18), without our provider: the same N
// entries (ScimApp's shape: user name, external id, display name, name parts, one work email, title,
// department, manager) given to Terraform as a typed map of objects — as `scim_roster.entries` is today, which
// Terraform converts and type-unifies entry by entry — or as a map of JSON strings, one per entry, which Terraform
// only compares (and still renders per entry in a plan: `~ "E1" = jsonencode({ ~ title = "A" -> "B" })`).
// For each shape and N: a variable of that type whose value is the entries, stored by one `terraform_data`; the
// first apply, then the no-op `terraform plan` (CPU of terraform: user + system), GOGC=400 as scimform runs it.
//   node -r ./scripts/ts-register.js bench/entry-shape.ts [--sizes 1250,2500]
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { benchEntry } from './roster-entry-shape';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const sizes = (arg('sizes') ?? '1250,2500').split(',').map(Number);

/** The entry attributes of scim_roster as a Terraform type (every one optional, as the nested attributes are). */
const OBJECT_TYPE =
  'map(object({user_name=optional(string),external_id=optional(string),display_name=optional(string),' +
  'name=optional(object({formatted=optional(string),given_name=optional(string),family_name=optional(string),middle_name=optional(string),honorific_prefix=optional(string),honorific_suffix=optional(string)})),' +
  'title=optional(string),emails=optional(list(object({value=string,type=optional(string),primary=optional(bool)}))),' +
  'department=optional(string),active=optional(bool),manager=optional(string),manager_user_name=optional(string),adopt_id=optional(string),' +
  'nick_name=optional(string),profile_url=optional(string),user_type=optional(string),preferred_language=optional(string),locale=optional(string),' +
  'timezone=optional(string),employee_number=optional(string),cost_center=optional(string),organization=optional(string),division=optional(string)}))';

function config(n: number, shape: 'objects' | 'json'): unknown {
  const entries: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) entries[`E${100000 + i}`] = shape === 'json' ? JSON.stringify(benchEntry(i, 'key')) : benchEntry(i, 'key');
  return {
    variable: { entries: { type: shape === 'json' ? 'map(string)' : OBJECT_TYPE, default: entries } },
    resource: { terraform_data: { roster: { input: '${var.entries}' } } },
  };
}

/** Runs terraform; returns wall and CPU seconds (terraform and its children, from bash's `times`). */
function terraform(dir: string, args: string[]): { code: number; wall: number; cpu: number; stderr: string } {
  const env = { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', GOGC: process.env.GOGC || '400' };
  const t0 = process.hrtime.bigint();
  const r = spawnSync('bash', ['-c', 'terraform "$@" >/dev/null; rc=$?; times >&2; exit $rc', 'terraform', ...args], { cwd: dir, env, encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const t = /(\d+)m([\d.]+)s (\d+)m([\d.]+)s\s*$/.exec((r.stderr ?? '').trim());
  const cpu = t ? Number(t[1]) * 60 + Number(t[2]) + Number(t[3]) * 60 + Number(t[4]) : NaN;
  return { code: r.status ?? -1, wall, cpu, stderr: r.stderr ?? '' };
}

function main(): void {
  const rows: string[] = [];
  for (const n of sizes) {
    for (const shape of ['objects', 'json'] as const) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `scimform-entry-shape-${shape}-${n}-`));
      try {
        fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify(config(n, shape)));
        for (const [step, args] of [
          ['init', ['init', '-input=false', '-no-color']],
          ['apply', ['apply', '-input=false', '-no-color', '-auto-approve']],
        ] as const) {
          const r = terraform(dir, [...args]);
          if (r.code !== 0) throw new Error(`terraform ${step} (${shape}, N=${n}) failed:\n${r.stderr.slice(-2000)}`);
        }
        const plan = terraform(dir, ['plan', '-input=false', '-no-color', '-detailed-exitcode']);
        // Only a plan that exits 0 (no changes) is a result.
        if (plan.code !== 0) throw new Error(`the no-op plan (${shape}, N=${n}) exited ${plan.code}, not 0:\n${plan.stderr.slice(-2000)}`);
        const state = fs.statSync(path.join(dir, 'terraform.tfstate')).size;
        rows.push(`| ${n} | ${shape} | ${plan.wall.toFixed(2)} s | ${plan.cpu.toFixed(2)} s | ${(state / 1048576).toFixed(1)} MiB |`);
        process.stderr.write(`${rows[rows.length - 1]}\n`);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  process.stdout.write(`| entries | shape | no-op plan, wall | no-op plan, CPU | state |\n|---|---|---|---|---|\n${rows.join('\n')}\n`);
}

main();
