// The scimform workflow behind synth, plan, deploy, start and destroy: sandbox (when used) → synth → plan
// every stack (saved plans, progress per stack on stderr, plans on stdout) → apply → re-plan to show that
// nothing is left → summary. A failing app never stops the others; the exit code says whether all passed.
// deploy and start apply only after the accidental-deactivation guard has passed (exit 3 otherwise).
import * as path from 'node:path';
import type { ScimformPaths } from '../../lib/paths';
import { ScimformCliError } from '../cli-errors';
import { guardMessage, type GuardOptions } from '../guard/deactivation-guard';
import { EXIT_GUARD } from '../report/exit-codes';
import { reportFromPlans } from '../report/report-from-plans';
import { loadSavedPlans, silentProgress } from '../report/stack-plans';
import { terraformEnv } from '../terraform-runner';
import { inPool } from './pool';
import type { Progress } from './progress';
import { DEFAULT_SANDBOX_PORT, openSandbox } from './sandbox-session';
import { credentialEnv, type SynthesizedStack } from './stack-metadata';
import { applySavedPlan, ensureInit, isStaleProviderError, planStack, PLAN_FILE, type PlanOutcome } from './stack-terraform';
import { synthesize } from './synth-app';
import { reportNotes } from './synth-notes';
import { afterStalePlan, isStalePlan } from '../state/stale-plan';

export type PipelineMode = 'synth' | 'plan' | 'deploy' | 'start' | 'destroy';

export interface PipelineOptions {
  mode: PipelineMode;
  paths: ScimformPaths;
  progress: Progress;
  /** Where plans and the summary go (stdout). */
  out: NodeJS.WritableStream;
  /** Only these stacks (default: all). */
  stacks?: string[];
  parallelism?: number;
  sandbox?: 'auto' | 'off';
  /** destroy: apply the destroy plan (otherwise only show it). */
  yes?: boolean;
  /** Print every stack's full plan (default: true, except when SCIMFORM_PLAN_OUTPUT=summary). */
  showPlans?: boolean;
  color?: boolean;
  /** deploy/start: the accidental-deactivation guard checked before anything is applied (as `scimform apply`). */
  guard?: GuardOptions;
}

export interface StackReport {
  name: string;
  title: string;
  profile: string;
  users: number;
  groups: number;
  excluded: number;
  plan?: PlanOutcome;
  applied?: string;
  verified?: PlanOutcome;
  error?: string;
  /** Not applied: the deactivation guard refused the run. */
  refused?: boolean;
}

export interface PipelineResult {
  exitCode: number;
  stacks: StackReport[];
  sandboxUrl?: string;
}

const BOILERPLATE = [
  /: (Refreshing state|Reading|Read complete after)\b/,
  /^Saved the plan to:/,
  /^To perform exactly these actions/,
  /^\s+terraform apply "/,
  /^─+$/,
  /^Note: You didn't use the -out option/,
  /^guarantee to take exactly these actions/,
];

/** Terraform's plan without its legend and "how to apply" notes (drift notes before the legend stay). */
function trimPlan(text: string): string {
  const plain = (l: string) => l.replace(/\x1b\[[0-9;]*m/g, '');
  const lines = text.split('\n');
  const from = lines.findIndex((l) => plain(l).startsWith('Terraform used the selected providers'));
  const to = lines.findIndex((l, i) => i > from && plain(l).startsWith('Terraform will perform the following actions:'));
  if (from >= 0 && to > from) lines.splice(from, to - from + 1);
  return lines
    .filter((l) => !BOILERPLATE.some((re) => re.test(plain(l))))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** The line that says what failed: terraform's first `Error:` line, else the first line. */
const headline = (msg: string) => {
  const lines = msg.split('\n').map((l) => l.trim());
  return lines.find((l) => l.startsWith('Error: ')) ?? lines[0];
};

const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));

function pad(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => '  ' + r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n');
}

export async function runPipeline(opts: PipelineOptions): Promise<PipelineResult> {
  const { paths, progress, out } = opts;
  const parallelism = Math.max(1, opts.parallelism ?? 2);
  const sandbox = await openSandbox(paths, progress, opts.sandbox ?? 'auto');
  try {
    progress.info(`synth (org: ${path.relative(paths.root, paths.orgDir).startsWith('..') ? paths.orgDir : path.relative(paths.root, paths.orgDir) || '.'})`);
    const synth = await synthesize(paths);
    reportNotes(synth.notes, paths.logDir, (line) => progress.info(line));
    let stacks = synth.stacks;
    if (opts.stacks?.length) {
      const unknown = opts.stacks.filter((s) => !stacks.some((x) => x.name === s));
      if (unknown.length) {
        throw new ScimformCliError(
          'SCIMFORM_UNKNOWN_STACK',
          `unknown stack ${unknown.join(', ')} (stacks: ${stacks.map((s) => s.name).join(', ')})`,
        );
      }
      stacks = stacks.filter((s) => opts.stacks!.includes(s.name));
    }
    const reports: StackReport[] = stacks.map((s) => ({
      name: s.name,
      title: s.meta?.title ?? s.name,
      profile: s.meta?.profile ?? '?',
      users: Object.keys(s.meta?.users ?? {}).length,
      groups: Object.keys(s.meta?.groups ?? {}).length,
      excluded: s.meta?.excluded.length ?? 0,
    }));
    if (opts.mode === 'synth') {
      progress.info(`synthesized ${stacks.length} stack(s) into ${paths.outDir}`);
      out.write(summaryTable(reports, 'synth') + '\n');
      return { exitCode: 0, stacks: reports, sandboxUrl: sandbox.url };
    }

    const baseEnv = terraformEnv(paths);
    /** Plans; when the provider was rebuilt since init (its lock no longer matches), inits again once. */
    const planFresh = async (stack: SynthesizedStack, env: NodeJS.ProcessEnv, o: Parameters<typeof planStack>[2]) => {
      try {
        return await planStack(stack, env, o);
      } catch (e) {
        if (!isStaleProviderError(errText(e))) throw e;
        progress.stack(stack.name, 'the provider was rebuilt since init: init again');
        await ensureInit(stack, env, paths, true);
        return planStack(stack, env, o);
      }
    };
    const envs = new Map<string, NodeJS.ProcessEnv>();
    const destroy = opts.mode === 'destroy';
    const showPlans = opts.showPlans ?? process.env.SCIMFORM_PLAN_OUTPUT !== 'summary';
    // 1. plan every stack (saved plan files)
    await inPool(stacks, parallelism, async (stack: SynthesizedStack, i) => {
      const r = reports[i];
      try {
        const env = { ...baseEnv, ...credentialEnv(stack) };
        envs.set(stack.name, env);
        if (await ensureInit(stack, env, paths)) progress.stack(stack.name, 'terraform init done');
        progress.stack(stack.name, destroy ? 'planning destroy…' : 'planning…');
        r.plan = await planFresh(stack, env, { save: true, destroy, color: opts.color, text: showPlans });
        progress.stack(stack.name, `plan: ${r.plan.summary.replace(/^Plan: /, '')}`);
      } catch (e) {
        r.error = errText(e);
        progress.stack(stack.name, `FAILED: ${headline(r.error)}`);
      }
    });
    for (const r of reports) {
      out.write(`\n=== ${r.title} (${r.name}, profile ${r.profile}) ===\n`);
      if (r.error) out.write(`ERROR: ${r.error}\n`);
      else if (r.plan && (showPlans || !r.plan.changes)) out.write(`${r.plan.changes ? trimPlan(r.plan.text) : 'No changes.'}\n`);
      else if (r.plan) out.write(`${r.plan.summary}\n`);
    }

    let applying = opts.mode === 'deploy' || opts.mode === 'start' || (destroy && opts.yes);
    let guardRefused = false;
    if (applying && !destroy && opts.guard) {
      guardRefused = await guardRefuses(stacks, reports, opts.guard, { env: baseEnv, parallelism, out });
      applying = !guardRefused;
    }
    if (applying) {
      // 2. apply the saved plans, 3. plan again: nothing may be left to do
      await inPool(stacks, parallelism, async (stack, i) => {
        const r = reports[i];
        if (r.error || !r.plan?.changes) return;
        const env = envs.get(stack.name)!;
        try {
          progress.stack(stack.name, destroy ? 'destroying…' : 'applying…');
          r.applied = await applySavedPlan(stack, env, (m) => progress.stack(stack.name, m)).catch(async (e: unknown) => {
            if (!isStalePlan(errText(e))) throw e;
            progress.stack(stack.name, 'another run applied first (the saved plan is stale): re-planning…');
            return afterStalePlan(await planFresh(stack, env, { save: false, destroy }));
          });
          progress.stack(stack.name, r.applied);
          if (!destroy) {
            r.verified = await planFresh(stack, env, { save: false });
            progress.stack(stack.name, `re-plan: ${r.verified.changes ? r.verified.summary : 'no changes'}`);
            if (r.verified.changes) r.error = `changes remain after apply (${r.verified.summary}):\n${trimPlan(r.verified.text)}`;
          }
        } catch (e) {
          r.error = errText(e);
          progress.stack(stack.name, `FAILED: ${headline(r.error)}`);
        }
      });
    } else if (destroy && reports.some((r) => r.plan?.changes)) {
      out.write('\nNothing was destroyed. Accounts of destroyed resources are deactivated (or deleted, per app policy).\n');
      out.write('Run `npm run destroy -- --yes` to apply these destroy plans.\n');
    }

    out.write(`\n${summaryTable(reports, opts.mode)}\n`);
    if (sandbox.url) {
      out.write(
        `\nSandbox: ${sandbox.url}` +
          (sandbox.started ? ` (stopped now; browse it again with \`${sandboxCommand(sandbox.url)}\`)` : '') +
          '\n',
      );
    }
    const failed = reports.filter((r) => r.error);
    if (failed.length) {
      out.write(`\n${failed.length} app(s) failed (details above):\n${failed.map((r) => `  ${r.title}: ${headline(r.error!)}`).join('\n')}\n`);
    }
    return { exitCode: guardRefused ? EXIT_GUARD : failed.length ? 1 : 0, stacks: reports, sandboxUrl: sandbox.url };
  } finally {
    if (sandbox.started) {
      await sandbox.close();
      progress.info('sandbox stopped');
    }
  }
}

/** The command that serves the sandbox again at `url` (the stacks name that URL). */
const sandboxCommand = (url: string) => {
  const port = Number(new URL(url).port);
  return port === DEFAULT_SANDBOX_PORT ? 'npm run sandbox' : `npm run sandbox -- --port ${port}`;
};

/**
 * The accidental-deactivation guard over the saved plans of the stacks about to be applied: prints its
 * verdict when it trips and returns true when the whole run must be refused (nothing is applied). A plan
 * that cannot be read is not applied either (its stack fails).
 */
async function guardRefuses(
  stacks: SynthesizedStack[],
  reports: StackReport[],
  guard: GuardOptions,
  o: { env: NodeJS.ProcessEnv; parallelism: number; out: NodeJS.WritableStream },
): Promise<boolean> {
  const pending = stacks.filter((_, i) => !reports[i].error && reports[i].plan?.changes);
  if (pending.length === 0) return false;
  const loaded = await loadSavedPlans(pending, { env: o.env, planFile: PLAN_FILE, parallelism: o.parallelism, progress: silentProgress });
  for (const r of loaded) {
    const report = reports[stacks.indexOf(r.stack)];
    if (r.error) report.error = `cannot read the saved plan for the deactivation guard: ${r.error}`;
  }
  const verdict = reportFromPlans(loaded.filter((r) => !r.error), guard).guard;
  if (!verdict?.tripped) return false;
  o.out.write(`\n${guardMessage(verdict)}\n`);
  if (!verdict.blocks) return false;
  for (const r of reports) if (!r.error && r.plan?.changes) r.refused = true;
  return true;
}

function summaryTable(reports: StackReport[], mode: PipelineMode): string {
  const hasResult = mode === 'deploy' || mode === 'start' || mode === 'destroy';
  const rows = [['app', 'profile', 'users', 'groups', 'skipped', mode === 'synth' ? '' : 'plan', ...(hasResult ? ['result'] : [])]];
  for (const r of reports) {
    const result = r.error
      ? 'FAILED'
      : r.refused
        ? 'refused by the deactivation guard'
        : r.applied
        ? `${r.applied}${r.verified ? (r.verified.changes ? ' — changes remain' : ' — re-plan: no changes') : ''}`
        : r.plan && !r.plan.changes
          ? 'nothing to do'
          : 'not applied';
    rows.push([
      r.title,
      r.profile,
      String(r.users),
      r.groups ? String(r.groups) : '-',
      String(r.excluded),
      mode === 'synth' ? '' : (r.error && !r.plan ? 'FAILED' : (r.plan?.summary ?? '')),
      ...(hasResult ? [result] : []),
    ]);
  }
  return `Summary:\n${pad(rows)}`;
}
