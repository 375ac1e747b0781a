// Shared plumbing of the scimform subcommands: option definitions (node:util parseArgs format, also
// read by the workflow-example test), parsing with clear errors, --help, the selected stacks, output
// files and error printing.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { badOption, ScimformCliError } from './errors';
import { redactSecrets } from './redact';
import { DEFAULT_PLAN_FILE, DEFAULT_STACKS_DIR_TEXT, defaultStacksDir, findStacks, type StackDir } from './stack-dirs';
import { EXIT_ERROR, EXIT_OK } from './exit-codes';

export type OptionDefinitions = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;

/** Options every stack-reading command accepts. */
export const stackOptionDefinitions = {
  stack: { type: 'string', multiple: true },
  'stacks-dir': { type: 'string' },
  parallelism: { type: 'string' },
  'no-sandbox': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const stackUsage = [
  '  --stack NAME          only this stack/app (repeatable); default: every stack',
  `  --stacks-dir DIR      synthesized stacks (default ${DEFAULT_STACKS_DIR_TEXT})`,
  '  --parallelism N       stacks run at the same time (default: number of CPUs, at most 4)',
  '  --no-sandbox          do not start the local sandbox for stacks that target it',
  '  -h, --help            this help',
].join('\n');

export const planFileOptionDefinitions = { 'plan-file': { type: 'string' } } as const;
export const planFileUsage = `  --plan-file NAME      saved plan file name inside each stack folder (default ${DEFAULT_PLAN_FILE})`;

/** Report outputs: one format on stdout (or --output), plus optional extra files per format. */
export const reportOutputDefinitions = {
  format: { type: 'string' },
  output: { type: 'string', short: 'o' },
  'markdown-file': { type: 'string' },
  'json-file': { type: 'string' },
} as const;

export const reportOutputUsage = [
  '  --format FORMAT       terminal (default), markdown or json',
  '  -o, --output FILE     write that format to FILE instead of stdout',
  '  --markdown-file FILE  also write the Markdown report (for a pull-request comment or job summary)',
  '  --json-file FILE      also write the JSON report',
].join('\n');

export function parseCommand<T extends OptionDefinitions>(command: string, argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false });
  } catch (e) {
    const message = (e as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new ScimformCliError('CLI_BAD_OPTION', `${message}. Run \`scimform ${command} --help\` for the options.`);
  }
}

export type CommandValues<T extends OptionDefinitions> = ReturnType<typeof parseCommand<T>>['values'];

/**
 * A subcommand's `run`: parses argv (clear error on a bad option), prints the usage for --help, otherwise
 * runs `body`; any error is printed for the user and becomes exit code 1.
 */
export async function runCommand<T extends OptionDefinitions>(
  command: string,
  argv: string[],
  options: T,
  usage: string,
  body: (values: CommandValues<T>) => Promise<number>,
): Promise<number> {
  try {
    const { values } = parseCommand(command, argv, options);
    if ((values as { help?: boolean }).help) {
      process.stdout.write(`${usage}\n`);
      return EXIT_OK;
    }
    return await body(values);
  } catch (e) {
    return reportError(command, e);
  }
}

export function parallelismFrom(raw: string | undefined): number {
  if (raw === undefined) return Math.max(1, Math.min(4, availableParallelism()));
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw badOption('--parallelism', `"${raw}" is not a positive whole number`, 'Pass e.g. --parallelism 2');
  return n;
}

export function formatFrom<F extends string>(raw: string | undefined, allowed: readonly F[], fallback: F): F {
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw badOption('--format', `"${raw}" is not a known format`, `Use one of: ${allowed.join(', ')}`);
  }
  return raw as F;
}

export const stacksDirFrom = (raw: string | undefined): string => resolve(raw ?? defaultStacksDir());
/** The stacks chosen with --stacks-dir and --stack (default: every stack). */
export const stacksFrom = (values: { 'stacks-dir'?: string; stack?: string[] }): StackDir[] =>
  findStacks(stacksDirFrom(values['stacks-dir']), values.stack ?? []);
export const planFileFrom = (raw: string | undefined): string => {
  const name = raw ?? DEFAULT_PLAN_FILE;
  if (name.includes('/') || name.includes('\\')) {
    throw badOption('--plan-file', `"${name}" must be a file name, not a path`, 'The plan file lives in each stack folder');
  }
  return name;
};

export function writeFile(path: string, text: string): void {
  const full = resolve(path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, text);
}

/** Prints an error for the user (never a stack trace for known errors) and returns the exit code. */
export function reportError(command: string, e: unknown): number {
  const message = e instanceof ScimformCliError ? `${e.message} [${e.code}]` : e instanceof Error ? e.message : String(e);
  process.stderr.write(`scimform ${command}: ${redactSecrets(message)}\n`);
  return EXIT_ERROR;
}
