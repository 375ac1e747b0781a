// The `scimform` command: dispatches to a subcommand. Workflow commands (synth, plan, deploy, start,
// destroy) live in cli/workflow/; any module cli/commands/<name>.ts exporting { summary, usage, run } is a
// subcommand too, and takes precedence over a workflow command of the same name.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ScimformCliError } from './cli-errors';
import { noteCommand } from './state/state-env';
import { STATE_URL_OPTION_USAGE, takeStateUrlOption } from './state/state-url-option';
import { workflowCommands, type CommandModule } from './workflow/workflow-commands';

const isCommand = (m: unknown): m is CommandModule =>
  !!m && typeof (m as CommandModule).run === 'function' && typeof (m as CommandModule).summary === 'string';

function pluginCommand(name: string): CommandModule | undefined {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) return undefined;
  const file = ['.ts', '.js'].map((ext) => path.join(__dirname, 'commands', name + ext)).find((f) => fs.existsSync(f));
  if (!file) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod: unknown = require(file);
  return isCommand(mod) ? mod : undefined;
}

/** Every subcommand by name (a cli/commands module overrides a workflow command of the same name). */
export function allCommands(): Record<string, CommandModule> {
  const out: Record<string, CommandModule> = { ...workflowCommands };
  const dir = path.join(__dirname, 'commands');
  for (const f of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    const name = f.replace(/\.(ts|js)$/, '');
    if (f.endsWith('.d.ts') || name === f) continue;
    const mod = pluginCommand(name);
    if (mod) out[name] = mod;
  }
  return out;
}

function help(): string {
  const cmds = allCommands();
  const width = Math.max(...Object.keys(cmds).map((n) => n.length));
  return (
    'Usage: scimform <command> [options]\n\nSCIM provisioning as code: plan and apply who gets an account in which app.\n\nCommands:\n' +
    Object.entries(cmds)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([n, c]) => `  ${n.padEnd(width)}  ${c.summary}`)
      .join('\n') +
    `\n\nEvery command also takes:\n${STATE_URL_OPTION_USAGE}\n` +
    '\nRun `scimform <command> --help` for its options.\n'
  );
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '-h' || name === '--help' || name === 'help') {
    process.stdout.write(help());
    return name ? 0 : 1;
  }
  const cmd = pluginCommand(name) ?? workflowCommands[name as keyof typeof workflowCommands];
  if (!cmd) {
    process.stderr.write(`scimform: unknown command "${name}"\n\n${help()}`);
    return 1;
  }
  noteCommand(name);
  try {
    return await cmd.run(takeStateUrlOption(rest));
  } catch (e) {
    if (e instanceof ScimformCliError || (e as { code?: string })?.code?.startsWith?.('SCIMFORM_')) {
      process.stderr.write(`scimform ${name}: ${(e as Error).message}\n`);
      return (e as ScimformCliError).exitCode ?? 1;
    }
    process.stderr.write(`scimform ${name}: unexpected error: ${(e as Error)?.stack ?? String(e)}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
