// The workflow subcommands of `scimform` — synth, plan, deploy, destroy, start — as command modules
// ({ summary, usage, run }), each a mode of the pipeline. deploy and start take the deactivation guard's
// options, like `scimform apply`.
import { parseArgs } from 'node:util';
import { scimformPaths } from '../../lib/paths';
import { cliError } from '../cli-errors';
import { guardOptionDefinitions, guardOptionsFrom, guardUsage } from '../guard/guard-options';
import { runPipeline, type PipelineMode } from './pipeline';
import { stderrProgress } from './progress';

export interface CommandModule {
  summary: string;
  usage: string;
  /** node:util parseArgs option definitions (read by the GitHub workflow example test). */
  options?: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;
  run(argv: string[]): Promise<number>;
}

/** Options of the workflow commands (parseArgs definitions). */
export const workflowOptions = {
  stack: { type: 'string', multiple: true },
  parallelism: { type: 'string' },
  'no-sandbox': { type: 'boolean' },
  'summary-only': { type: 'boolean' },
  yes: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const OPTIONS = `Options:
  --stack NAME        only this app's stack (repeatable)
  --parallelism N     stacks planned/applied at the same time (default 2; env SCIMFORM_PARALLELISM)
  --no-sandbox        do not start the local sandbox (all apps point at real endpoints)
  --summary-only      print one line per stack instead of the full plans
  -h, --help          this help`;

const PATHS = `Paths come from the environment: SCIMFORM_ORG_DIR (org), SCIMFORM_SANDBOX_DIR (.scimform/sandbox),
SCIMFORM_STATE_DIR (.scimform/state), SCIMFORM_LOG_DIR (.scimform/logs), SCIMFORM_OUTDIR (cdktf.out).`;

const DESCRIPTIONS: Record<PipelineMode, { summary: string; text: string }> = {
  synth: { summary: 'synthesize one Terraform stack per app into cdktf.out', text: 'Runs the app (main.ts) and writes cdktf.out/stacks/<app>.' },
  plan: {
    summary: 'dry run: synth and show, per app, what deploy would change',
    text: 'Synthesizes, then plans every stack (saved as cdktf.out/stacks/<app>/scimform.tfplan). Changes nothing.',
  },
  deploy: {
    summary: 'synth, plan and apply every app, then re-plan to show nothing is left',
    text: 'Synthesizes, plans every stack, applies those exact plans, and plans again to prove nothing is left to do.',
  },
  start: {
    summary: 'the example end to end: sandbox, synth, plan, deploy, re-plan, summary',
    text: 'Starts the local SCIM sandbox (persistent data dir), then does what deploy does and prints a summary with the sandbox URL.',
  },
  destroy: {
    summary: 'plan (and with --yes, apply) the removal of every managed account',
    text: 'Plans the destruction of every stack: accounts are deactivated (or deleted where the app policy says delete). Applies only with --yes.',
  },
};

/** deploy and start apply: they refuse (exit 3) when the accidental-deactivation guard trips. */
const guarded = (mode: PipelineMode) => mode === 'deploy' || mode === 'start';

const GUARD_TEXT = `\n${guardUsage}`;
const GUARD_EXIT = '\n\nExit codes: 0 done, 1 an app failed, 3 the deactivation guard refused (nothing was applied).';

function command(mode: PipelineMode): CommandModule {
  const d = DESCRIPTIONS[mode];
  const usage =
    `Usage: scimform ${mode} [options]\n\n${d.text}\n\n${OPTIONS}` +
    `${mode === 'destroy' ? '\n  --yes               apply the destroy plans' : ''}${guarded(mode) ? GUARD_TEXT : ''}\n\n${PATHS}` +
    `${guarded(mode) ? GUARD_EXIT : ''}\n`;
  const options = guarded(mode) ? { ...workflowOptions, ...guardOptionDefinitions } : workflowOptions;
  return {
    summary: d.summary,
    usage,
    options,
    async run(argv) {
      let values: Record<string, unknown>;
      try {
        values = parseArgs({
          args: argv,
          options,
          strict: true,
          allowPositionals: false,
        }).values;
      } catch (e) {
        throw cliError('SCIMFORM_BAD_OPTION', `${(e as Error).message}\n\n${usage}`);
      }
      if (values.help) {
        process.stdout.write(usage);
        return 0;
      }
      if (values.yes && mode !== 'destroy') throw cliError('SCIMFORM_BAD_OPTION', `--yes is only for destroy\n\n${usage}`);
      const guard = guarded(mode) ? guardOptionsFrom(values as Parameters<typeof guardOptionsFrom>[0]) : undefined;
      const parallelism = Number(values.parallelism ?? process.env.SCIMFORM_PARALLELISM ?? 2);
      if (!Number.isInteger(parallelism) || parallelism < 1) throw cliError('SCIMFORM_BAD_OPTION', '--parallelism must be a whole number ≥ 1');
      const result = await runPipeline({
        mode,
        paths: scimformPaths(),
        progress: stderrProgress(),
        out: process.stdout,
        stacks: values.stack as string[] | undefined,
        parallelism,
        sandbox: values['no-sandbox'] ? 'off' : 'auto',
        yes: Boolean(values.yes),
        showPlans: values['summary-only'] ? false : undefined,
        color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
        guard,
      });
      return result.exitCode;
    },
  };
}

export const workflowCommands: Record<PipelineMode, CommandModule> = {
  synth: command('synth'),
  plan: command('plan'),
  deploy: command('deploy'),
  start: command('start'),
  destroy: command('destroy'),
};
