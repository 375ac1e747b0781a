// Terraform's errors about shared state, made to say what happened and what to do: "Error acquiring the
// state lock" — which for the `pg` backend says nothing about the holder — becomes the message naming the
// holder (lock-holder.ts); a database that cannot be reached or refuses the login is named as the state
// database (host, port, database, schema; never the user's password) with what to check.
import { findLockHolders, isLockError, lockMessage } from './lock-holder';
import { lockTimeout, type StateRun, type TerraformOutcome } from './state-env';

// Go's network, TLS and lib/pq errors: only Terraform's backend produces them (the scim provider is not
// written in Go, so an unreachable SCIM endpoint never looks like this).
const CONNECTION_ERROR = /dial tcp|\bpq: |x509: |\btls: /;

/** `host:port/database` of a PostgreSQL URL (no user, no password). */
export function describeDatabase(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname || '/'}`;
  } catch {
    return '(unparsable URL)';
  }
}

/** The first terraform `Error:` line without its prefix. */
const firstError = (stderr: string) => (/Error: (.*)$/m.exec(stderr.replace(/\u001b\[[0-9;]*m/g, ''))?.[1] ?? stderr.trim().split('\n')[0]).trim();

/** Terraform's errors of a run: stderr, and the error diagnostics a `-json` run (saved plans) prints on stdout. */
const errorText = (result: TerraformOutcome): string =>
  [
    result.stderr,
    ...result.stdout
      .split('\n')
      .filter((l) => l.includes('"@level":"error"'))
      .map((l) => {
        try {
          const d = JSON.parse(l) as { '@message'?: string; diagnostic?: { detail?: string } };
          return [d['@message'], d.diagnostic?.detail].filter(Boolean).join('\n');
        } catch {
          return l;
        }
      }),
  ].join('\n');

/**
 * `result`, with its stderr replaced by scimform's explanation when shared state was the problem (and its
 * stdout emptied, so that a `-json` run's raw diagnostic of the same error is not printed after it).
 */
export async function explainStateFailure(result: TerraformOutcome, run: StateRun): Promise<TerraformOutcome> {
  if (!run.state || result.code === 0) return result;
  const app = `app ${run.state.workspace}`;
  const url = run.env.PG_CONN_STR!;
  const errors = errorText(result);
  if (isLockError(errors)) {
    try {
      const holders = await findLockHolders(url, run.state);
      return { ...result, stdout: '', stderr: `${lockMessage(app, run.state, holders, lockTimeout(run.env))}\n` };
    } catch (e) {
      // The lock error stands; say why the holder could not be named.
      return { ...result, stdout: '', stderr: `${errors.trim()}\n(scimform could not read the lock holder from pg_locks: ${(e as Error).message})\n` };
    }
  }
  if (CONNECTION_ERROR.test(errors)) {
    const db = describeDatabase(url);
    return {
      ...result,
      stdout: '',
      stderr:
        `Error: the shared state database of ${app} (PostgreSQL ${db}, schema "${run.state.schema}", from SCIMFORM_STATE_URL) failed: ${firstError(errors)}\n\n` +
        'Check that the database runs and this machine (or CI runner) can reach it, the user and password (PGPASSWORD or the URL), ' +
        'the database name, and sslmode (sslmode=require or verify-full for a remote server; disable only for a local one). ' +
        'For a local development server: npm run state-server.\n',
    };
  }
  return result;
}
