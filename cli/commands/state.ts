// `scimform state migrate --to <postgres-url|local>`: moves every app's Terraform state between local files
// and the organisation's PostgreSQL (cli/state/migrate-state.ts), verified by a no-op plan per app.
import { parseArgs } from 'node:util';
import { scimformPaths } from '../../lib/paths';
import { STATE_URL_VARIABLE } from '../../lib/state-backend';
import { cliError } from '../cli-errors';
import { migrateState } from '../state/migrate-state';
import { stderrProgress } from '../workflow/progress';

export const summary = 'move the state of every app between local files and PostgreSQL (state migrate --to …)';

export const options = {
  to: { type: 'string' },
  stack: { type: 'string', multiple: true },
  'no-sandbox': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const usage = `Usage: scimform state migrate --to <postgres://…|local> [options]

Moves the Terraform state of every app from where it is now (PostgreSQL when ${STATE_URL_VARIABLE} is set,
else the local state dir) to the target: --to "$${STATE_URL_VARIABLE}" moves local state into PostgreSQL,
--to local moves it back (run with ${STATE_URL_VARIABLE} still set). Refuses, moving nothing, when the target
already holds state for an app. After each move a plan must show no change; only then is the source retired
(a local file is kept as <app>.tfstate.migrated; a PostgreSQL workspace is deleted). Stop other runs first.

Options:
  --to TARGET       local, or the PostgreSQL URL (quote it; prefer PGPASSWORD to a password in the URL)
  --stack NAME      only this app (repeatable)
  --no-sandbox      do not start the local sandbox (all apps point at real endpoints)
  -h, --help        this help

Exit codes: 0 moved (or nothing to move), 1 refused or failed.`;

export async function run(argv: string[]): Promise<number> {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: true });
  } catch (e) {
    throw cliError('SCIMFORM_BAD_OPTION', `${(e as Error).message}\n\n${usage}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  if (positionals.join(' ') !== 'migrate') throw cliError('SCIMFORM_BAD_OPTION', `unknown state subcommand "${positionals.join(' ')}"\n\n${usage}`);
  if (typeof values.to !== 'string') throw cliError('SCIMFORM_BAD_OPTION', `--to is required (local or a postgres:// URL)\n\n${usage}`);
  const moved = await migrateState({
    paths: scimformPaths(),
    to: values.to,
    stacks: values.stack as string[] | undefined,
    sandbox: values['no-sandbox'] ? 'off' : 'auto',
    progress: stderrProgress(),
  });
  process.stdout.write(
    moved.length
      ? `Moved the state of ${moved.length} app(s): ${moved.map((m) => `${m.app} (${m.resources} resources)`).join(', ')}; every plan afterwards: no changes.\n`
      : 'No app had state to move.\n',
  );
  return 0;
}
