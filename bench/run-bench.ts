// `npm run bench -- --users N`: measures the user path (`scimform deploy` and `scimform plan` of the example
// organisation's apps with N generated people, and at the small size for growth) against floors measured in
// the same run, then the per-user provider against Terraform's floor (terraform_data) and the raw HTTP floor
// (undici), then one pushed group of 7,000 members (--group-members; its batched requests are checked);
// prints the table and writes bench/results/latest.json (output, not committed). --write-docs
// regenerates docs/guides/performance.md from the run.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type BenchOptions, parseBenchArgs } from './bench-args';
import { startBenchSandbox } from './bench-sandbox';
import { BenchError } from './errors';
import { benchDirectory, withStateAttributes } from './fixture-data';
import { runLoad } from './load-worker';
import { describeMachine, machineInfo } from './machine-info';
import { evaluate, formatTable, type MetricValues } from './metrics';
import { findProviderBinary, findProviderInstall } from './provider-install';
import { writePerformancePage } from './performance-page';
import { growthExponent, userpathSize } from './userpath-phase';
import { largeGroupPhase } from './large-group-phase';
import { profileStartup, type ProfilingSetup, setUpProfiling } from './provider-profiling';
import { providerStartup } from './provider-startup';
import { synthDirectory } from './synth-phase';
import { startStateBackend } from './state-backend';
import { scimWorkspace, terraformDataFloor } from './terraform-phases';

const REPO_ROOT = path.resolve(__dirname, '..');
/** The generic profile's member batch size: one PATCH carries up to this many member adds. */
const GENERIC_MEMBER_BATCH = 100;

const packageVersion = (): string => (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const terraformPlatform = (): string => `${process.platform}_${({ x64: 'amd64', arm64: 'arm64' } as Record<string, string>)[process.arch] ?? process.arch}`;
const round = (v: number, digits: number): number => Math.round(v * 10 ** digits) / 10 ** digits;
const ratio = (a: number | undefined, b: number | undefined): number | null => (a === undefined || b === undefined || b === 0 ? null : round(a / b, 3));

export async function runBench(opts: BenchOptions, log: (line: string) => void): Promise<Record<string, unknown>> {
  const machine = machineInfo();
  const started = Date.now();
  const scratchRoot = path.join(REPO_ROOT, '.scimform', 'bench');
  fs.mkdirSync(scratchRoot, { recursive: true });
  const workDir = fs.mkdtempSync(path.join(scratchRoot, 'run-'));
  const dir = benchDirectory(opts.users, opts.groups);
  const values: MetricValues = {};
  const details: Record<string, unknown> = {};
  const skipped: Record<string, string> = {};
  const stateBackend = await startStateBackend();
  const phaseSeconds: Record<string, number> = {};
  let phaseStart = Date.now();
  const endPhase = (name: string): void => {
    phaseSeconds[name] = round((Date.now() - phaseStart) / 1000, 1);
    phaseStart = Date.now();
  };
  log(`bench: ${opts.users} users, ${opts.groups} groups, parallelism ${opts.parallelism}; scratch ${path.relative(REPO_ROOT, workDir)}`);

  try {
    // 0. The user path: scimform deploy, then a no-op scimform plan, at the small size and at N.
    if (!opts.skip.has('userpath')) {
      const sizes = opts.userpathSmall > 0 ? [opts.userpathSmall, opts.userpathPeople] : [opts.userpathPeople];
      const bySize: Record<string, Awaited<ReturnType<typeof userpathSize>>> = {};
      for (const n of sizes) bySize[n] = await userpathSize(REPO_ROOT, workDir, n, log, opts.apps);
      const big = bySize[opts.userpathPeople]!;
      values.userpath_noop_plan_s = big.noop_plan.seconds;
      values.userpath_noop_plan_floor_s = big.plan_floor.seconds;
      values.userpath_deploy_s = big.deploy.seconds;
      values.userpath_deploy_floor_s = big.deploy_floor.seconds;
      values.userpath_noop_plan_ratio = ratio(big.noop_plan.seconds, big.plan_floor.seconds);
      values.userpath_deploy_ratio = ratio(big.deploy.seconds, big.deploy_floor.seconds);
      values.userpath_noop_plan_requests = Object.values(big.noop_plan.requests_by_method).reduce((a, b) => a + b, 0);
      values.userpath_provider_peak_rss_mb = Math.max(big.deploy.provider_peak_rss_mb, big.noop_plan.provider_peak_rss_mb);
      const small = opts.userpathSmall > 0 ? bySize[opts.userpathSmall]! : undefined;
      if (small) {
        values.userpath_small_noop_plan_s = small.noop_plan.seconds;
        values.userpath_small_deploy_s = small.deploy.seconds;
        values.userpath_plan_growth = growthExponent(big.noop_plan.seconds, small.noop_plan.seconds, opts.userpathPeople, opts.userpathSmall);
        values.userpath_deploy_growth = growthExponent(big.deploy.seconds, small.deploy.seconds, opts.userpathPeople, opts.userpathSmall);
        values.userpath_growth = Math.max(values.userpath_plan_growth, values.userpath_deploy_growth);
      } else skipped.userpath_growth = '--userpath-small 0: one size only';
      details.userpath = bySize;
    } else skipped.userpath = 'skipped by --skip';
    endPhase('userpath');

    // 1. Raw HTTP floor, then the sandbox's own capacity, on a fresh sandbox of their own.
    let floorS: number | undefined;
    if (!opts.skip.has('floor') || !opts.skip.has('capacity')) {
      const sandbox = await startBenchSandbox(path.join(workDir, 'sandbox-floor'));
      try {
        const floor = await runLoad({ kind: 'floor', endpoint: sandbox.endpoint, directory: dir, concurrency: opts.parallelism, memberBatch: GENERIC_MEMBER_BATCH });
        floorS = floor.seconds;
        values.http_floor_s = round(floor.seconds, 2);
        values.http_floor_requests = Object.values(floor.requests).reduce((a, b) => a + b, 0);
        details.http_floor = { users_s: round(floor.usersSeconds, 2), groups_s: round(floor.groupsSeconds, 2), requests_by_method: floor.requests };
        log(`floor: ${floor.seconds.toFixed(2)} s for ${values.http_floor_requests} requests`);
        if (!opts.skip.has('capacity')) {
          const capacity = await runLoad({ kind: 'capacity', endpoint: sandbox.endpoint, userIds: floor.userIds, concurrency: opts.parallelism, durationMs: opts.users >= 1000 ? 3000 : 500 });
          values.sandbox_get_rps = Math.round(capacity.getByIdRps);
          values.sandbox_post_rps = Math.round(capacity.postRps);
          details.sandbox_capacity = { concurrency: opts.parallelism, get_requests: capacity.getRequests, post_requests: capacity.postRequests };
          log(`sandbox capacity: GET by id ${values.sandbox_get_rps} req/s, POST ${values.sandbox_post_rps} req/s`);
        }
      } finally {
        await sandbox.close();
      }
    }

    endPhase('floor+capacity');

    // 2. Terraform's own floor: the same graph as terraform_data.
    let tfFloor: Awaited<ReturnType<typeof terraformDataFloor>> | undefined;
    if (!opts.skip.has('tf-floor')) {
      tfFloor = await terraformDataFloor(workDir, dir, { parallelism: opts.parallelism, shardSize: opts.shardSize, log, stateBackend });
      values.tf_data_apply_s = round(tfFloor.tf_data_apply_s, 2);
      values.tf_data_noop_plan_s = round(tfFloor.tf_data_noop_plan_s, 2);
      details.tf_data_noop_plan_cpu_s = round(tfFloor.tf_data_noop_plan_cpu_s, 1);
    } else skipped['tf-floor'] = 'skipped by --skip';
    endPhase('tf-floor');

    // 3. The provider: apply, no-op plan, incremental plan; then start-up.
    let binary: string | undefined;
    let profilingSetup: ProfilingSetup | undefined;
    if (!opts.skip.has('terraform')) {
      const install = findProviderInstall(REPO_ROOT);
      const profiling = opts.profile ? await setUpProfiling(REPO_ROOT, workDir, packageVersion(), terraformPlatform()) : undefined;
      profilingSetup = profiling;
      const scim = await scimWorkspace(workDir, dir, install, { parallelism: opts.parallelism, shardSize: opts.shardSize, cliConfigFile: install.cliConfigFile, log, profiling, stateBackend });
      if (profiling && scim.profiles) {
        details.profiles = scim.profiles;
        for (const [phase, p] of Object.entries(scim.profiles)) {
          log(`profile ${phase}: busiest provider process busy ${p.busy_ms} of ${p.total_ms} ms; top modules: ${p.by_module.slice(0, 5).map((m) => `${m.module} ${m.pct}%`).join(', ')}`);
        }
      }
      binary = scim.provider_binary;
      values.initial_plan_s = round(scim.initial_plan_s, 2);
      values.apply_s = round(scim.apply_s, 2);
      values.apply_requests = scim.apply_requests;
      values.apply_request_rate = Math.round(scim.apply_requests / scim.apply_s);
      values.sandbox_busy_pct_apply = scim.sandbox_busy_pct.apply ?? null;
      values.noop_plan_s = round(scim.noop_plan_s, 2);
      values.noop_plan_requests = scim.noop_plan_requests;
      values.incremental_plan_s = round(scim.incremental_plan_s, 2);
      values.incremental_plan_requests = scim.incremental_plan_requests;
      values.provider_peak_rss_mb = scim.provider_peak_rss_mb;
      values.apply_ratio = ratio(scim.apply_s, floorS);
      values.noop_plan_ratio = ratio(scim.noop_plan_s, tfFloor?.tf_data_noop_plan_s);
      values.apply_tf_floor_ratio = ratio(scim.apply_s, tfFloor?.tf_data_apply_s);
      details.terraform = {
        apply_shards: scim.apply_shards,
        initial_plan_requests: scim.initial_plan_requests,
        apply_requests_by_method: scim.apply_requests_by_method,
        noop_plan_requests_by_method: scim.noop_plan_requests_by_method,
        incremental_changed_users: scim.incremental_changed_users,
        sandbox_busy_pct: scim.sandbox_busy_pct,
        cpu_s: scim.cpu_s,
        provider_processes: scim.provider_processes,
      };
    } else skipped.terraform = 'skipped by --skip';
    endPhase('terraform');

    // 3b. Terraform's floor for objects of scim_user's size: terraform_data carrying every attribute the
    // provider keeps in state (Terraform's own per-resource work grows with the attributes it handles).
    const scimState = stateBackend.get('scim');
    if (!opts.skip.has('tf-floor-full') && scimState) {
      const full = await terraformDataFloor(workDir, withStateAttributes(dir, scimState), { parallelism: opts.parallelism, shardSize: opts.shardSize, log, stateBackend }, 'terraform_data_full');
      values.tf_data_full_noop_plan_s = round(full.tf_data_noop_plan_s, 2);
      values.tf_data_full_apply_s = round(full.tf_data_apply_s, 2);
      details.tf_data_full_noop_plan_cpu_s = round(full.tf_data_noop_plan_cpu_s, 1);
      values.noop_plan_full_floor_ratio = ratio(values.noop_plan_s as number | undefined, full.tf_data_noop_plan_s);
      values.apply_full_floor_ratio = ratio(values.apply_s as number | undefined, full.tf_data_apply_s);
    } else skipped['tf-floor-full'] = scimState ? 'skipped by --skip' : 'needs the terraform phase (it copies the scim state)';
    endPhase('tf-floor-full');

    // 3c. One pushed group of --group-members members (issue 18): batched PATCHes, one read; wrong counts stop the run.
    if (!opts.skip.has('large-group')) {
      const group = await largeGroupPhase(workDir, { members: opts.groupMembers, cliConfigFile: findProviderInstall(REPO_ROOT).cliConfigFile, stateBackend, log });
      values.large_group_members = group.members;
      values.large_group_apply_s = round(group.apply_s, 2);
      values.large_group_apply_patches = group.requests.apply.PATCH ?? 0;
      values.large_group_noop_plan_s = round(group.noop_plan_s, 2);
      values.large_group_noop_plan_requests = Object.values(group.requests.noop_plan).reduce((a, b) => a + b, 0);
      values.large_group_change_apply_s = round(group.change_apply_s, 2);
      details.large_group = group;
    } else skipped['large-group'] = 'skipped by --skip';
    endPhase('large-group');

    // Start-up needs only the installed provider: without the per-user phase, take it from the mirror.
    if (!binary && !opts.skip.has('startup')) binary = findProviderBinary(path.join(workDir, 'no-workspace'), findProviderInstall(REPO_ROOT));
    if (!opts.skip.has('startup') && binary) {
      const startup = await providerStartup(binary, opts.startupRuns);
      values.provider_startup_ms = Math.round(startup.medianMs);
      details.provider_startup_samples_ms = startup.samplesMs.map((s) => Math.round(s));
      if (profilingSetup) {
        const summary = await profileStartup(profilingSetup);
        (details.profiles as Record<string, unknown>)['start-up'] = summary;
        log(`profile start-up (unminified build, no code cache): busy ${summary.busy_ms} ms; top: ${summary.by_module.slice(0, 5).map((m) => `${m.module} ${m.pct}%`).join(', ')}`);
      }
      values.node_startup_ms = Math.round(startup.nodeMedianMs);
      details.node_startup_samples_ms = startup.nodeSamplesMs.map((s) => Math.round(s));
      values.provider_startup_ratio = ratio(values.provider_startup_ms, values.node_startup_ms);
      log(`provider start-up: median ${values.provider_startup_ms} ms of ${opts.startupRuns} (bare node, alternating with it: ${values.node_startup_ms} ms)`);
    } else skipped.startup = binary ? 'skipped by --skip' : 'needs the terraform phase (it locates the installed provider)';
    endPhase('startup');

    // 4. CDKTF synth of a directory of persons built from lib/ constructs.
    if (!opts.skip.has('synth')) {
      const synth = await synthDirectory(REPO_ROOT, path.join(workDir, 'synth'), opts.synthPersons, opts.groups);
      if ('skipped' in synth) skipped.synth = synth.skipped;
      else {
        values.synth_s = round(synth.seconds, 2);
        details.synth = { persons: opts.synthPersons, teams: opts.groups, resources: synth.resources, breakdown_ms: synth.breakdownMs };
        log(`synth: ${synth.seconds.toFixed(1)} s for ${opts.synthPersons} persons`);
      }
    } else skipped.synth = 'skipped by --skip';
    endPhase('synth');
    details.phase_s = phaseSeconds;
    if (profilingSetup && fs.existsSync(profilingSetup.profileDir)) {
      const keep = path.join(scratchRoot, 'profiles');
      fs.rmSync(keep, { recursive: true, force: true });
      fs.cpSync(profilingSetup.profileDir, keep, { recursive: true });
      log(`CPU profiles (open in Chrome DevTools): ${path.relative(process.cwd(), keep)}`);
    }
    details.state_bytes = { terraform_data: stateBackend.size('terraform_data'), scim: stateBackend.size('scim') };
  } finally {
    await stateBackend.close();
    if (!opts.keep) fs.rmSync(workDir, { recursive: true, force: true });
  }

  const rows = evaluate(values, opts.users);
  const result: Record<string, unknown> = {
    ...Object.fromEntries(rows.map((r) => [r.key, r.value])),
    goals: Object.fromEntries(rows.filter((r) => r.goal !== null).map((r) => [r.key, { goal: r.goal, pass: r.pass }])),
    all_goals_met: rows.every((r) => r.pass !== false) && rows.filter((r) => r.goal !== null).every((r) => r.pass === true),
    options: { group_members: opts.groupMembers, users: opts.users, userpath_people: opts.userpathPeople, userpath_small: opts.userpathSmall, apps: opts.apps ?? 'all', groups: opts.groups, parallelism: opts.parallelism, shard_size: opts.shardSize, synth_persons: opts.synthPersons, startup_runs: opts.startupRuns, profile: opts.profile },
    command: `npm run bench -- ${opts.argv.join(' ')}`.trim(),
    machine: { ...machine, load_average_at_end: os.loadavg().map((l) => round(l, 2)) },
    duration_s: round((Date.now() - started) / 1000, 1),
    generated_at: new Date().toISOString(),
    skipped,
    details,
  };
  log('');
  log(formatTable(rows));
  log('');
  log(`machine: ${describeMachine(machine)}`);
  log(`total bench time: ${result.duration_s} s`);
  fs.mkdirSync(path.dirname(opts.out), { recursive: true });
  fs.writeFileSync(opts.out, `${JSON.stringify(result, null, 2)}\n`);
  log(`wrote ${path.relative(process.cwd(), opts.out) || opts.out}`);
  if (opts.writeDocs) log(`wrote ${path.relative(process.cwd(), writePerformancePage(REPO_ROOT, result, rows))}`);
  return result;
}

if (require.main === module) {
  let opts: BenchOptions;
  try {
    opts = parseBenchArgs(process.argv.slice(2), path.join(REPO_ROOT, 'bench', 'results', 'latest.json'));
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(2);
  }
  runBench(opts, (line) => console.log(line)).then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(e instanceof BenchError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e));
      process.exit(1);
    },
  );
}
