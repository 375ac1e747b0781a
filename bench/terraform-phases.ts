// The Terraform measurements: the terraform_data floor (apply + no-op plan) and the scim workspace against a
// fresh sandbox (initial plan, apply of the saved plan, no-op plan, plan after 1 % of users changed out of
// band), with the sandbox's request counts and the provider's peak RSS. Every plan is checked for the
// expected change count, so a wrong provider cannot produce a fast-looking number.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { type BenchSandbox, requestCounts, startBenchSandbox } from './bench-sandbox';
import { unexpectedPlan } from './errors';
import type { BenchDirectory } from './fixture-data';
import { findProviderBinary, type ProviderInstall } from './provider-install';
import { type ProfileSummary, type ProfilingSetup, summarizeProfile } from './provider-profiling';
import type { StateBackend } from './state-backend';
import { planCounts, runTerraform, type TerraformRun } from './terraform-runner';
import { writeWorkspace } from './workspace';

export interface TerraformEnvOptions {
  parallelism: number;
  cliConfigFile?: string;
  log: (line: string) => void;
  /** Where the workspaces keep state (the bench's in-memory HTTP backend). */
  stateBackend: StateBackend;
  /** --profile: run an unminified provider build that writes CPU profiles per phase. */
  profiling?: ProfilingSetup;
}

function terraformEnv(cliConfigFile: string | undefined, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', ...extra };
  delete env.TF_LOG;
  if (cliConfigFile) env.TF_CLI_CONFIG_FILE = cliConfigFile;
  else delete env.TF_CLI_CONFIG_FILE;
  return env;
}

const common = ['-input=false', '-no-color'];

function expectPlan(phase: string, run: TerraformRun, want: { add: number; change: number; destroy: number }): void {
  const got = planCounts(run);
  if (got.add !== want.add || got.change !== want.change || got.destroy !== want.destroy) {
    const fmt = (c: typeof got): string => `${c.add} to add, ${c.change} to change, ${c.destroy} to destroy`;
    throw unexpectedPlan(phase, fmt(want), `${fmt(got)} (${run.summary.join(' | ') || 'no summary line'})\n${run.tail}`);
  }
}

export interface TfFloorResult {
  tf_data_apply_s: number;
  tf_data_noop_plan_s: number;
}

export async function terraformDataFloor(workDir: string, dir: BenchDirectory, opts: TerraformEnvOptions): Promise<TfFloorResult> {
  const cwd = writeWorkspace(path.join(workDir, 'tf-data'), 'terraform_data', dir, opts.stateBackend.backendConfig('terraform_data'));
  const env = terraformEnv(opts.cliConfigFile);
  const p = `-parallelism=${opts.parallelism}`;
  await runTerraform(['init', ...common], { cwd, env });
  opts.log(`terraform_data: apply of ${dir.users.length + dir.groups.length} resources`);
  const apply = await runTerraform(['apply', '-auto-approve', p, ...common], { cwd, env });
  opts.log(`terraform_data: apply ${apply.seconds.toFixed(1)} s; no-op plan`);
  const plan = await runTerraform(['plan', '-detailed-exitcode', p, ...common], { cwd, env, okExitCodes: [0, 2] });
  expectPlan('terraform_data no-op', plan, { add: 0, change: 0, destroy: 0 });
  opts.log(`terraform_data: no-op plan ${plan.seconds.toFixed(1)} s`);
  return { tf_data_apply_s: apply.seconds, tf_data_noop_plan_s: plan.seconds };
}

export interface ScimPhaseResult {
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
  /** --profile only: per phase, the busiest provider process's profile summary. */
  profiles?: Record<string, ProfileSummary & { processes_busy_ms: number[] }>;
}

export async function scimWorkspace(workDir: string, dir: BenchDirectory, install: ProviderInstall, opts: TerraformEnvOptions): Promise<ScimPhaseResult> {
  const sandbox: BenchSandbox = await startBenchSandbox(path.join(workDir, 'sandbox-terraform'));
  try {
    const cwd = writeWorkspace(path.join(workDir, 'scim'), 'scim', dir, opts.stateBackend.backendConfig('scim'), sandbox.endpoint.baseUrl);
    const prof = opts.profiling;
    const env = terraformEnv(prof?.cliConfigFile ?? install.cliConfigFile, { SCIM_TOKEN: sandbox.endpoint.token, ...(prof ? { NODE_OPTIONS: prof.nodeOptions } : {}) });
    const profiles: NonNullable<ScimPhaseResult['profiles']> = {};
    const sandboxBusy: Record<string, number> = {};
    const p = `-parallelism=${opts.parallelism}`;
    const total = dir.users.length + dir.groups.length;
    const peaks: ScimPhaseResult['provider_processes'] = [];
    const track = (phase: string, run: TerraformRun): TerraformRun => {
      for (const pk of run.providerPeaks) peaks.push({ command: pk.command.slice(0, 160), peakRssMb: Math.round(pk.peakRssMb), phase });
      return run;
    };
    const measured = async (phase: string, args: string[], okExitCodes: number[] = [0]): Promise<{ run: TerraformRun; requests: Awaited<ReturnType<typeof requestCounts>> }> => {
      await sandbox.admin.clearRequestLog('generic');
      const elu0 = performance.eventLoopUtilization();
      const slug = phase.replace(/[^a-z0-9]+/g, '-');
      const phaseEnv = prof ? { ...env, SCIMFORM_BENCH_PROFILE_DIR: path.join(prof.profileDir, slug) } : env;
      const run = track(phase, await runTerraform(args, { cwd, env: phaseEnv, okExitCodes }));
      // The sandbox runs on this thread: its event-loop utilisation during the phase shows whether it was a bottleneck.
      sandboxBusy[phase] = Math.round(performance.eventLoopUtilization(performance.eventLoopUtilization(), elu0).utilization * 1000) / 10;
      if (prof && fs.existsSync(path.join(prof.profileDir, slug))) {
        const files = fs.readdirSync(path.join(prof.profileDir, slug)).map((f) => path.join(prof.profileDir, slug, f));
        const summaries = files.map((f) => summarizeProfile(f, prof.bundleFile));
        summaries.sort((a, b) => b.busy_ms - a.busy_ms);
        if (summaries[0]) profiles[phase] = { ...summaries[0], processes_busy_ms: summaries.map((x) => x.busy_ms) };
      }
      return { run, requests: await requestCounts(sandbox.admin) };
    };

    await runTerraform(['init', ...common], { cwd, env });
    const binary = findProviderBinary(cwd, install);

    opts.log(`scim: initial plan of ${total} resources`);
    const initial = await measured('initial plan', ['plan', '-out=initial.tfplan', p, ...common]);
    expectPlan('initial', initial.run, { add: total, change: 0, destroy: 0 });

    opts.log(`scim: initial plan ${initial.run.seconds.toFixed(1)} s; applying the saved plan`);
    const apply = await measured('apply', ['apply', p, ...common, 'initial.tfplan']);

    opts.log(`scim: apply ${apply.run.seconds.toFixed(1)} s (${apply.requests.total} requests); no-op plan`);
    const noop = await measured('no-op plan', ['plan', '-detailed-exitcode', p, ...common], [0, 2]);
    expectPlan('no-op', noop.run, { add: 0, change: 0, destroy: 0 });

    // 1 % of the users change out of band (display name edited in the app), then plan again.
    const changed = Math.max(1, Math.floor(dir.users.length / 100));
    const live = await sandbox.admin.listUsers('generic');
    const idByUserName = new Map(live.map((u) => [u.userName.toLowerCase(), u.id!]));
    const step = Math.floor(dir.users.length / changed);
    for (let i = 0; i < changed; i++) {
      const u = dir.users[i * step]!;
      await sandbox.admin.patchUser('generic', idByUserName.get(u.userName.toLowerCase())!, { displayName: `${u.displayName} (edited in the app)` });
    }
    opts.log(`scim: no-op plan ${noop.run.seconds.toFixed(1)} s (${noop.requests.total} requests); plan after ${changed} users changed`);
    const incremental = await measured('incremental plan', ['plan', '-detailed-exitcode', p, ...common], [0, 2]);
    expectPlan('incremental', incremental.run, { add: 0, change: changed, destroy: 0 });
    opts.log(`scim: incremental plan ${incremental.run.seconds.toFixed(1)} s (${incremental.requests.total} requests)`);

    return {
      initial_plan_s: initial.run.seconds,
      initial_plan_requests: initial.requests.total,
      apply_s: apply.run.seconds,
      apply_requests: apply.requests.total,
      apply_requests_by_method: apply.requests.byMethod,
      noop_plan_s: noop.run.seconds,
      noop_plan_requests: noop.requests.total,
      noop_plan_requests_by_method: noop.requests.byMethod,
      incremental_changed_users: changed,
      incremental_plan_s: incremental.run.seconds,
      incremental_plan_requests: incremental.requests.total,
      provider_peak_rss_mb: Math.max(0, ...peaks.map((x) => x.peakRssMb)),
      provider_processes: peaks,
      provider_binary: binary,
      sandbox_busy_pct: sandboxBusy,
      ...(prof ? { profiles } : {}),
    };
  } finally {
    await sandbox.close();
  }
}
