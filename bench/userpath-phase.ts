// The user-path measurement at one size: a generated organisation of N people with the example's apps,
// `scimform deploy` (first deploy: synth, init, plan, apply, re-plan) and then `scimform plan` (must be a
// no-op), each as a user runs it, one state per app; then the floors of the same run:
//   deploy floor = per app, `terraform apply` of one terraform_data + the same creating calls by plain undici
//                  at Terraform's default -parallelism (10), apps two at a time like scimform's --parallelism 2;
//   plan floor   = per app, `terraform plan` of that one terraform_data (checked no-op) + a plain undici paged
//                  listing of the tenant scimform just planned, apps two at a time.
// Whatever ScimApp emits (per-user scim_user today, rosters later) is what is measured.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { TenantName } from '../sandbox/types';
import { BenchError } from './errors';
import { runPool } from './http-load';
import { planCounts, runTerraform } from './terraform-runner';
import { pagedListing, replayCreates, snapshotBodies, type TenantSnapshot } from './userpath-http';
import { writeUserpathOrg } from './userpath-org';
import { startUserpathSandbox, type UserpathSandbox } from './userpath-sandbox';
import { checkDeploy, checkNoopPlan, runScimform, type ScimformRun } from './userpath-scimform';

/** Terraform's default -parallelism, which scimform does not change: the provider's concurrency per app. */
export const TERRAFORM_PARALLELISM = 10;
/** scimform's default --parallelism: stacks planned/applied at the same time. */
export const STACK_PARALLELISM = 2;

export interface UserpathRunSummary {
  seconds: number;
  /** From the progress lines: the "synth (org: …)" line to the next line (synth of every stack). */
  synth_s: number | null;
  cpu_s: ScimformRun['cpuS'];
  provider_peak_rss_mb: number;
  terraform_processes: number;
  provider_processes: number;
  requests_by_method: Record<string, number>;
  /** Progress lines with their time (s), for where the time goes. */
  timeline: { t: number; line: string }[];
}

export interface UserpathSizeResult {
  people: number;
  accounts_by_app: Record<string, number>;
  deploy: UserpathRunSummary;
  noop_plan: UserpathRunSummary;
  deploy_floor: { seconds: number; terraform_apply_s: Record<string, number>; http_s: Record<string, number>; requests_by_method: Record<string, number> };
  plan_floor: { seconds: number; terraform_plan_s: Record<string, number>; listing_s: Record<string, number>; listing_requests: number };
}

const round = (v: number, d = 2): number => Math.round(v * 10 ** d) / 10 ** d;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const profileOf = (name: string): { maxPageSize?: number; memberPatchBatchSize?: number } => (require('../providers/scim/client/profiles') as { profiles?: Record<string, object> }).profiles?.[name] ?? {};

function scimformEnv(scratch: string, orgDir: string, sandboxDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  // Only what a user on this machine has: no endpoint overrides, no shared state, no log level.
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('SCIMFORM_') && !k.startsWith('TF_') && k !== 'NODE_OPTIONS') env[k] = v;
  return {
    ...env,
    CHECKPOINT_DISABLE: '1',
    NO_COLOR: '1',
    SCIMFORM_ORG_DIR: orgDir,
    SCIMFORM_SANDBOX_DIR: sandboxDir,
    SCIMFORM_STATE_DIR: path.join(scratch, 'state'),
    SCIMFORM_LOG_DIR: path.join(scratch, 'logs'),
    SCIMFORM_OUTDIR: path.join(scratch, 'cdktf.out'),
  };
}

async function requestsSince(sandbox: UserpathSandbox, tenants: string[]): Promise<Record<string, number>> {
  const byMethod: Record<string, number> = {};
  for (const t of tenants) for (const e of await sandbox.admin.requestLog(t as TenantName)) byMethod[e.method] = (byMethod[e.method] ?? 0) + 1;
  return byMethod;
}

const clearLogs = async (sandbox: UserpathSandbox, tenants: string[]): Promise<void> => {
  for (const t of tenants) await sandbox.admin.clearRequestLog(t as TenantName);
};

/** Seconds between scimform's "synth (org: …)" progress line and the next line it prints (synth's notes or the first stack's progress). */
export function synthSeconds(timeline: { t: number; line: string }[]): number | null {
  const start = timeline.find((l) => /^scimform: synth \(org:/.test(l.line));
  // The next line comes after synth: its notes (scoping, adoption) or the first stack's progress.
  const next = start && timeline.find((l) => l.t > start.t);
  return start && next ? round(next.t - start.t) : null;
}

const summarize = (run: ScimformRun, requests: Record<string, number>): UserpathRunSummary => ({
  seconds: round(run.seconds),
  synth_s: synthSeconds(run.timeline),
  cpu_s: { scimform: round(run.cpuS.scimform, 1), synth: round(run.cpuS.synth, 1), terraform: round(run.cpuS.terraform, 1), provider: round(run.cpuS.provider, 1) },
  provider_peak_rss_mb: run.providerPeakRssMb,
  terraform_processes: run.terraformProcesses,
  provider_processes: run.providerProcesses,
  requests_by_method: requests,
  timeline: run.timeline.filter((l) => l.line.trim() !== ''),
});

/** A workspace with one terraform_data (local state), initialised: the Terraform part of both floors. */
function oneResourceWorkspace(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({ resource: { terraform_data: { floor: { input: 'one resource' } } } }));
  return dir;
}

export async function userpathSize(repoRoot: string, workDir: string, people: number, log: (line: string) => void, onlyApps?: string[]): Promise<UserpathSizeResult> {
  const scratch = path.join(workDir, `userpath-${people}`);
  const org = writeUserpathOrg(repoRoot, path.join(scratch, 'org'), people, onlyApps);
  const apps = org.apps.map((a) => a.key);
  const tenants = org.apps.map((a) => a.tenant);
  const sandbox = await startUserpathSandbox(repoRoot, path.join(scratch, 'sandbox'));
  const env = scimformEnv(scratch, org.orgDir, sandbox.dataDir);
  const tfEnv: NodeJS.ProcessEnv = { ...env, TF_IN_AUTOMATION: '1' };
  try {
    log(`userpath ${people}: scimform deploy (${apps.join(', ')})`);
    await clearLogs(sandbox, tenants);
    const deploy = await runScimform(repoRoot, ['deploy'], env);
    checkDeploy(deploy, apps);
    const deployRequests = await requestsSince(sandbox, tenants);
    log(`userpath ${people}: deploy ${deploy.seconds.toFixed(1)} s; scimform plan`);
    await clearLogs(sandbox, tenants);
    const plan = await runScimform(repoRoot, ['plan'], env);
    checkNoopPlan(plan, apps);
    const planRequests = await requestsSince(sandbox, tenants);
    log(`userpath ${people}: no-op plan ${plan.seconds.toFixed(1)} s`);

    // What scimform created, per tenant, as the bodies the deploy floor replays.
    const snapshots = new Map<string, TenantSnapshot>();
    const accounts: Record<string, number> = {};
    for (const a of org.apps) {
      const users = (await sandbox.admin.listUsers(a.tenant as TenantName)) as Record<string, unknown>[];
      const groups = a.pushesGroups ? ((await sandbox.admin.listGroups(a.tenant as TenantName)) as Record<string, unknown>[]) : [];
      snapshots.set(a.key, snapshotBodies(users, groups));
      accounts[a.key] = users.length;
    }

    // Deploy floor on a fresh sandbox (same tenants, same quirks).
    const fresh = await startUserpathSandbox(repoRoot, path.join(scratch, 'sandbox-floor'));
    const deployFloor: UserpathSizeResult['deploy_floor'] = { seconds: 0, terraform_apply_s: {}, http_s: {}, requests_by_method: {} };
    const planFloor: UserpathSizeResult['plan_floor'] = { seconds: 0, terraform_plan_s: {}, listing_s: {}, listing_requests: 0 };
    try {
      const dirs = new Map(apps.map((a) => [a, oneResourceWorkspace(path.join(scratch, 'floor', a))]));
      for (const d of dirs.values()) await runTerraform(['init', '-input=false', '-no-color'], { cwd: d, env: tfEnv });
      let t0 = performance.now();
      await runPool(org.apps, STACK_PARALLELISM, async (a) => {
        const applied = await runTerraform(['apply', '-auto-approve', '-input=false', '-no-color'], { cwd: dirs.get(a.key)!, env: tfEnv });
        deployFloor.terraform_apply_s[a.key] = round(applied.seconds);
        const p = profileOf(a.profile);
        const replay = await replayCreates(fresh.tenant(a.tenant), snapshots.get(a.key)!, TERRAFORM_PARALLELISM, p.memberPatchBatchSize ?? 100);
        deployFloor.http_s[a.key] = round(replay.seconds);
        for (const [m, n] of Object.entries(replay.requests)) deployFloor.requests_by_method[m] = (deployFloor.requests_by_method[m] ?? 0) + n;
      });
      deployFloor.seconds = round((performance.now() - t0) / 1000);
      log(`userpath ${people}: deploy floor ${deployFloor.seconds.toFixed(1)} s; plan floor`);
      t0 = performance.now();
      await runPool(org.apps, STACK_PARALLELISM, async (a) => {
        const planned = await runTerraform(['plan', '-detailed-exitcode', '-input=false', '-no-color'], { cwd: dirs.get(a.key)!, env: tfEnv, okExitCodes: [0, 2] });
        const counts = planCounts(planned);
        if (planned.exitCode !== 0 || counts.add + counts.change + counts.destroy !== 0) {
          throw new BenchError('BENCH_UNEXPECTED_PLAN', `bench: the plan floor's terraform plan for ${a.key} is not a no-op (exit ${planned.exitCode}):\n${planned.tail}`);
        }
        planFloor.terraform_plan_s[a.key] = round(planned.seconds);
        const listed = await pagedListing(sandbox.tenant(a.tenant), profileOf(a.profile).maxPageSize ?? 1000, a.pushesGroups);
        if (listed.users !== accounts[a.key]) throw new BenchError('BENCH_UNEXPECTED_PLAN', `bench: the paged listing of ${a.tenant} found ${listed.users} users, the tenant holds ${accounts[a.key]}`);
        planFloor.listing_s[a.key] = round(listed.seconds);
        planFloor.listing_requests += listed.requests;
      });
      planFloor.seconds = round((performance.now() - t0) / 1000);
      log(`userpath ${people}: plan floor ${planFloor.seconds.toFixed(1)} s`);
    } finally {
      await fresh.close();
    }
    return { people, accounts_by_app: accounts, deploy: summarize(deploy, deployRequests), noop_plan: summarize(plan, planRequests), deploy_floor: deployFloor, plan_floor: planFloor };
  } finally {
    await sandbox.close();
  }
}

/** log(t(N)/t(M)) / log(N/M): 1.0 is linear. */
export const growthExponent = (tLarge: number, tSmall: number, nLarge: number, nSmall: number): number =>
  round(Math.log(tLarge / tSmall) / Math.log(nLarge / nSmall), 3);
