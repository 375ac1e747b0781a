// The Terraform measurements: the terraform_data floor (apply + no-op plan) and the scim workspace against a
// fresh sandbox (initial plan, apply of the saved plan, no-op plan, plan after 1 % of users changed out of
// band), with the sandbox's request counts and the provider's peak RSS. Every plan is checked for the
// expected change count, so a wrong provider cannot produce a fast-looking number.
//
// Initial applies run in shards of about `shardSize` users (one workspace and state each, one after
// another at the same -parallelism), and the shard states are then merged into the one state the plans
// run on. Terraform copies the whole state after every applied resource (core's PostStateUpdate hook
// under the state lock), so one 10,000-resource apply is quadratic in Terraform itself: a single-state
// terraform_data apply of 10,200 resources had not finished after 10 minutes on 2 cores.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { offlineTerraformEnv } from '../cli/terraform-runner';
import { type BenchSandbox, requestCounts, startBenchSandbox } from './bench-sandbox';
import { unexpectedPlan } from './errors';
import { type BenchDirectory, shardDirectory } from './fixture-data';
import { findProviderBinary, type ProviderInstall } from './provider-install';
import { type ProfileSummary, type ProfilingSetup, summarizeProfile } from './provider-profiling';
import type { StateBackend } from './state-backend';
import { planCounts, runTerraform, type TerraformRun } from './terraform-runner';
import { mergeStates } from './state-merge';
import { writeWorkspace } from './workspace';

export interface TerraformEnvOptions {
  parallelism: number;
  /** Users per initial-apply shard. */
  shardSize: number;
  cliConfigFile?: string;
  log: (line: string) => void;
  /** Where the workspaces keep state (the bench's in-memory HTTP backend). */
  stateBackend: StateBackend;
  /** --profile: run an unminified provider build that writes CPU profiles per phase. */
  profiling?: ProfilingSetup;
}

function terraformEnv(cliConfigFile: string | undefined, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...offlineTerraformEnv(process.env, cliConfigFile), ...extra };
  delete env.TF_LOG;
  if (cliConfigFile) env.TF_CLI_CONFIG_FILE = cliConfigFile;
  else delete env.TF_CLI_CONFIG_FILE;
  return env;
}

const common = ['-input=false', '-no-color'];

/** The plan must show exactly `want`; a no-op must also exit 0 under -detailed-exitcode (2 means changes). */
export function expectPlan(phase: string, run: Pick<TerraformRun, 'summary' | 'tail' | 'exitCode'>, want: { add: number; change: number; destroy: number }): void {
  const noop = want.add + want.change + want.destroy === 0;
  if (noop && run.exitCode !== 0) throw unexpectedPlan(phase, 'exit 0 with "No changes."', `exit ${run.exitCode} (${run.summary.join(' | ') || 'no summary line'})\n${run.tail}`);
  const got = planCounts(run);
  if (got.add !== want.add || got.change !== want.change || got.destroy !== want.destroy) {
    const fmt = (c: typeof got): string => `${c.add} to add, ${c.change} to change, ${c.destroy} to destroy`;
    throw unexpectedPlan(phase, fmt(want), `${fmt(got)} (${run.summary.join(' | ') || 'no summary line'})\n${run.tail}`);
  }
}

export interface ShardedApply {
  shards: number;
  plan_s: number;
  apply_s: number;
}

/**
 * Plans (-out) and applies each shard in its own workspace, then stores the merged state under
 * `stateName` for the full workspace. `run` executes one timed terraform command for a phase.
 */
async function applyInShards(
  kind: 'scim' | 'terraform_data',
  workDir: string,
  dir: BenchDirectory,
  stateName: string,
  opts: TerraformEnvOptions,
  init: (cwd: string) => Promise<void>,
  run: (phase: 'initial plan' | 'apply', cwd: string, args: string[]) => Promise<TerraformRun>,
  endpoint?: string,
): Promise<ShardedApply> {
  const shards = shardDirectory(dir, opts.shardSize);
  const p = `-parallelism=${opts.parallelism}`;
  let planS = 0;
  let applyS = 0;
  const names: string[] = [];
  for (const [k, shard] of shards.entries()) {
    const name = `${stateName}-shard-${k}`;
    names.push(name);
    const cwd = writeWorkspace(path.join(workDir, name), kind, shard, opts.stateBackend.backendConfig(name), endpoint);
    await init(cwd);
    const plan = await run('initial plan', cwd, ['plan', '-out=initial.tfplan', p, ...common]);
    expectPlan(`${kind} initial (shard ${k + 1} of ${shards.length})`, plan, { add: shard.users.length + shard.groups.length, change: 0, destroy: 0 });
    const apply = await run('apply', cwd, ['apply', p, ...common, 'initial.tfplan']);
    planS += plan.seconds;
    applyS += apply.seconds;
    fs.rmSync(path.join(cwd, 'initial.tfplan'), { force: true });
  }
  opts.stateBackend.put(stateName, mergeStates(names.map((n) => opts.stateBackend.get(n)!)));
  return { shards: shards.length, plan_s: planS, apply_s: applyS };
}

export interface TfFloorResult {
  tf_data_apply_s: number;
  tf_data_noop_plan_s: number;
  /** CPU seconds of terraform during the no-op plan (terraform_data has no provider process). */
  tf_data_noop_plan_cpu_s: number;
}

/**
 * Applies the directory as terraform_data (in shards) and times a no-op plan of the merged state. `name`
 * names the state and workspaces: `terraform_data` for the configured attributes, `terraform_data_full`
 * for the schema-sized floor (inputs from withStateAttributes).
 */
export async function terraformDataFloor(workDir: string, dir: BenchDirectory, opts: TerraformEnvOptions, name = 'terraform_data'): Promise<TfFloorResult> {
  const env = terraformEnv(opts.cliConfigFile);
  const init = async (cwd: string): Promise<void> => void (await runTerraform(['init', ...common], { cwd, env }));
  opts.log(`${name}: apply of ${dir.users.length + dir.groups.length} resources`);
  const applied = await applyInShards('terraform_data', workDir, dir, name, opts, init, (_phase, cwd, args) => runTerraform(args, { cwd, env }));
  opts.log(`${name}: apply ${applied.apply_s.toFixed(1)} s in ${applied.shards} shard(s); no-op plan`);
  const cwd = writeWorkspace(path.join(workDir, name), 'terraform_data', dir, opts.stateBackend.backendConfig(name));
  await init(cwd);
  const plan = await runTerraform(['plan', '-detailed-exitcode', `-parallelism=${opts.parallelism}`, ...common], { cwd, env, okExitCodes: [0, 2] });
  expectPlan(`${name} no-op`, plan, { add: 0, change: 0, destroy: 0 });
  opts.log(`${name}: no-op plan ${plan.seconds.toFixed(1)} s (CPU: terraform ${plan.terraformCpuS.toFixed(1)} s)`);
  return { tf_data_apply_s: applied.apply_s, tf_data_noop_plan_s: plan.seconds, tf_data_noop_plan_cpu_s: plan.terraformCpuS };
}

export interface ScimPhaseResult {
  apply_shards: number;
  initial_plan_s: number;
  initial_plan_requests: number;
  apply_s: number;
  apply_requests: number;
  apply_requests_by_method: Record<string, number>;
  noop_plan_s: number;
  noop_plan_requests: number;
  noop_plan_requests_by_method: Record<string, number>;
  incremental_changed_users: number;
  incremental_plan_s: number;
  incremental_plan_requests: number;
  provider_peak_rss_mb: number;
  provider_processes: { command: string; peakRssMb: number; phase: string }[];
  provider_binary: string;
  /** Event-loop utilisation (%) of the sandbox's thread per phase. */
  sandbox_busy_pct: Record<string, number>;
  /** CPU seconds per phase: the terraform process, and all provider processes together. */
  cpu_s: Record<string, { terraform: number; provider: number }>;
  /** --profile only: per phase, the busiest provider process's profile summary. */
  profiles?: Record<string, ProfileSummary & { processes_busy_ms: number[] }>;
}

interface PhaseTotals {
  seconds: number;
  terraformCpuS: number;
  providerCpuS: number;
  requests: Record<string, number>;
  eluActive: number;
  eluIdle: number;
}

export async function scimWorkspace(workDir: string, dir: BenchDirectory, install: ProviderInstall, opts: TerraformEnvOptions): Promise<ScimPhaseResult> {
  const sandbox: BenchSandbox = await startBenchSandbox(path.join(workDir, 'sandbox-terraform'));
  try {
    const prof = opts.profiling;
    const env = terraformEnv(prof?.cliConfigFile ?? install.cliConfigFile, { SCIM_TOKEN: sandbox.endpoint.token, ...(prof ? { NODE_OPTIONS: prof.nodeOptions } : {}) });
    const p = `-parallelism=${opts.parallelism}`;
    const peaks: ScimPhaseResult['provider_processes'] = [];
    const totals = new Map<string, PhaseTotals>();

    /** One timed terraform command of a phase; request counts, sandbox load and profiles add up per phase. */
    const measured = async (phase: string, cwd: string, args: string[], okExitCodes: number[] = [0]): Promise<TerraformRun> => {
      await sandbox.admin.clearRequestLog('generic');
      const elu0 = performance.eventLoopUtilization();
      const slug = phase.replace(/[^a-z0-9]+/g, '-');
      const phaseEnv = prof ? { ...env, SCIMFORM_BENCH_PROFILE_DIR: path.join(prof.profileDir, slug) } : env;
      const run = await runTerraform(args, { cwd, env: phaseEnv, okExitCodes });
      // The sandbox runs on this thread: its event-loop utilisation during the phase shows whether it was a bottleneck.
      const elu = performance.eventLoopUtilization(performance.eventLoopUtilization(), elu0);
      for (const pk of run.providerPeaks) peaks.push({ command: pk.command.slice(0, 160), peakRssMb: Math.round(pk.peakRssMb), phase });
      const counts = await requestCounts(sandbox.admin);
      const t = totals.get(phase) ?? { seconds: 0, terraformCpuS: 0, providerCpuS: 0, requests: {}, eluActive: 0, eluIdle: 0 };
      t.seconds += run.seconds;
      t.terraformCpuS += run.terraformCpuS;
      for (const pk of run.providerPeaks) t.providerCpuS += pk.cpuS;
      t.eluActive += elu.active;
      t.eluIdle += elu.idle;
      for (const [m, n] of Object.entries(counts.byMethod)) t.requests[m] = (t.requests[m] ?? 0) + n;
      totals.set(phase, t);
      return run;
    };
    const total = (phase: string): PhaseTotals => totals.get(phase) ?? { seconds: 0, terraformCpuS: 0, providerCpuS: 0, requests: {}, eluActive: 0, eluIdle: 0 };
    const requestTotal = (phase: string): number => Object.values(total(phase).requests).reduce((a, b) => a + b, 0);
    const init = async (cwd: string): Promise<void> => void (await runTerraform(['init', ...common], { cwd, env }));

    opts.log(`scim: initial plan and apply of ${dir.users.length + dir.groups.length} resources`);
    const applied = await applyInShards('scim', workDir, dir, 'scim', opts, init, (phase, cwd, args) => measured(phase, cwd, args), sandbox.endpoint.baseUrl);
    opts.log(`scim: initial plan ${applied.plan_s.toFixed(1)} s, apply ${applied.apply_s.toFixed(1)} s (${requestTotal('apply')} requests) in ${applied.shards} shard(s); no-op plan`);

    const cwd = writeWorkspace(path.join(workDir, 'scim'), 'scim', dir, opts.stateBackend.backendConfig('scim'), sandbox.endpoint.baseUrl);
    await init(cwd);
    const binary = findProviderBinary(cwd, install);
    const noop = await measured('no-op plan', cwd, ['plan', '-detailed-exitcode', p, ...common], [0, 2]);
    expectPlan('no-op', noop, { add: 0, change: 0, destroy: 0 });

    // 1 % of the users change out of band (display name edited in the app), then plan again.
    const changed = Math.max(1, Math.floor(dir.users.length / 100));
    const live = await sandbox.admin.listUsers('generic');
    const idByUserName = new Map(live.map((u) => [u.userName.toLowerCase(), u.id!]));
    const step = Math.floor(dir.users.length / changed);
    for (let i = 0; i < changed; i++) {
      const u = dir.users[i * step]!;
      await sandbox.admin.patchUser('generic', idByUserName.get(u.userName.toLowerCase())!, { displayName: `${u.displayName} (edited in the app)` });
    }
    const noopCpu = total('no-op plan');
    opts.log(`scim: no-op plan ${noop.seconds.toFixed(1)} s (${requestTotal('no-op plan')} requests; CPU: terraform ${noopCpu.terraformCpuS.toFixed(1)} s, provider ${noopCpu.providerCpuS.toFixed(1)} s); plan after ${changed} users changed`);
    const incremental = await measured('incremental plan', cwd, ['plan', '-detailed-exitcode', p, ...common], [0, 2]);
    expectPlan('incremental', incremental, { add: 0, change: changed, destroy: 0 });
    opts.log(`scim: incremental plan ${incremental.seconds.toFixed(1)} s (${requestTotal('incremental plan')} requests)`);

    const profiles: NonNullable<ScimPhaseResult['profiles']> = {};
    for (const phase of totals.keys()) {
      const slug = phase.replace(/[^a-z0-9]+/g, '-');
      if (!prof || !fs.existsSync(path.join(prof.profileDir, slug))) continue;
      const summaries = fs.readdirSync(path.join(prof.profileDir, slug)).filter((f) => f.endsWith('.cpuprofile')).map((f) => summarizeProfile(path.join(prof.profileDir, slug, f), prof.bundleFile));
      summaries.sort((a, b) => b.busy_ms - a.busy_ms);
      if (summaries[0]) profiles[phase] = { ...summaries[0], processes_busy_ms: summaries.map((x) => x.busy_ms) };
    }
    return {
      apply_shards: applied.shards,
      initial_plan_s: applied.plan_s,
      initial_plan_requests: requestTotal('initial plan'),
      apply_s: applied.apply_s,
      apply_requests: requestTotal('apply'),
      apply_requests_by_method: total('apply').requests,
      noop_plan_s: noop.seconds,
      noop_plan_requests: requestTotal('no-op plan'),
      noop_plan_requests_by_method: total('no-op plan').requests,
      incremental_changed_users: changed,
      incremental_plan_s: incremental.seconds,
      incremental_plan_requests: requestTotal('incremental plan'),
      provider_peak_rss_mb: Math.max(0, ...peaks.map((x) => x.peakRssMb)),
      provider_processes: peaks,
      provider_binary: binary,
      cpu_s: Object.fromEntries([...totals].map(([phase, t]) => [phase, { terraform: Math.round(t.terraformCpuS * 10) / 10, provider: Math.round(t.providerCpuS * 10) / 10 }])),
      sandbox_busy_pct: Object.fromEntries([...totals].map(([phase, t]) => [phase, Math.round((1000 * t.eluActive) / Math.max(1, t.eluActive + t.eluIdle)) / 10])),
      ...(prof ? { profiles } : {}),
    };
  } finally {
    await sandbox.close();
  }
}
