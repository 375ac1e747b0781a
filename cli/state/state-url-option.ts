// `--state-url <postgres-url>`, accepted by every scimform command: the same as SCIMFORM_STATE_URL for
// this run (synth and terraform read it from the environment). The environment variable is the better
// place: a URL with a password on the command line shows in shell history and process lists.
import { STATE_URL_VARIABLE, isPostgresUrl } from '../../lib/state-backend';
import { cliError } from '../cli-errors';

export const STATE_URL_OPTION_USAGE = `  --state-url URL     keep every app's state in this PostgreSQL database (same as ${STATE_URL_VARIABLE}; any command)`;

/** `argv` without `--state-url URL` / `--state-url=URL`; the URL goes into `env`. */
export function takeStateUrlOption(argv: string[], env: NodeJS.ProcessEnv = process.env): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (a !== '--state-url' && !a.startsWith('--state-url=')) {
      out.push(a);
      continue;
    }
    const url = a === '--state-url' ? argv[++i] : a.slice('--state-url='.length);
    if (!url || !isPostgresUrl(url)) {
      throw cliError('SCIMFORM_BAD_OPTION', `--state-url needs a PostgreSQL URL (postgres://user@host:5432/db?sslmode=require), got ${url ? 'something else' : 'nothing'}.`);
    }
    env[STATE_URL_VARIABLE] = url;
  }
  return out;
}
