// What a terraform run needs to reach a stack's shared state in PostgreSQL: the connection string as
// PG_CONN_STR (from SCIMFORM_STATE_URL, never from a file), tagged with
// application_name=scimform/<command>/<user>@<host> so a waiting run can name the holder of the lock; the
// app's workspace as TF_WORKSPACE; and how long to wait for the lock (SCIMFORM_LOCK_TIMEOUT). Stacks on
// local state run unchanged. Applied to every terraform run by cli/terraform-runner.ts.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { STATE_METADATA_KEY, STATE_URL_VARIABLE, isPostgresUrl, type SharedStateMetadata } from '../../lib/state-backend';
import { cliError } from '../cli-errors';

export const LOCK_TIMEOUT_VARIABLE = 'SCIMFORM_LOCK_TIMEOUT';
export const DEFAULT_LOCK_TIMEOUT = '60s';

/** Terraform subcommands that take the state lock (they accept -lock-timeout). */
const LOCKING = new Set(['plan', 'apply', 'refresh', 'import', 'destroy']);

let command = 'run';
/** Records the scimform subcommand being run (it goes into application_name). */
export function noteCommand(name: string): void {
  if (/^[a-z][a-z0-9-]*$/.test(name)) command = name;
}

/** `scimform/<command>/<user>@<host>` (PostgreSQL keeps at most 63 bytes of it). */
export function applicationName(cmd: string = command): string {
  let user = 'unknown';
  try {
    user = os.userInfo().username;
  } catch {
    /* no passwd entry (some containers) */
  }
  return `scimform/${cmd}/${process.env.GITHUB_ACTOR ? `${process.env.GITHUB_ACTOR}(ci)` : user}@${os.hostname()}`.slice(0, 63);
}

/** The stack's shared-state metadata from its cdk.tf.json, or undefined for local state (or no stack). */
export function sharedStateOf(stackDir: string): SharedStateMetadata | undefined {
  const file = path.join(stackDir, 'cdk.tf.json');
  if (!fs.existsSync(file)) return undefined;
  try {
    const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as { '//'?: Record<string, unknown>; terraform?: { backend?: Record<string, unknown> } };
    if (!doc.terraform?.backend?.pg) return undefined;
    const meta = doc['//']?.[STATE_METADATA_KEY] as SharedStateMetadata | undefined;
    const pg = doc.terraform.backend.pg as { schema_name?: string };
    return { backend: 'pg', schema: meta?.schema ?? pg.schema_name ?? 'public', workspace: meta?.workspace ?? path.basename(stackDir) };
  } catch {
    return undefined;
  }
}

/** `url` with application_name set (replacing one already there). */
export function taggedUrl(url: string, name: string = applicationName()): string {
  const u = new URL(url.trim());
  u.searchParams.set('application_name', name);
  return u.toString();
}

/** The lock wait as Terraform spells it (`90s`, `5m`); throws naming the variable when malformed. */
export function lockTimeout(env: NodeJS.ProcessEnv): string {
  const v = (env[LOCK_TIMEOUT_VARIABLE] ?? '').trim() || DEFAULT_LOCK_TIMEOUT;
  if (!/^\d+(ms|s|m|h)$/.test(v)) {
    throw cliError('SCIMFORM_BAD_LOCK_TIMEOUT', `${LOCK_TIMEOUT_VARIABLE}="${v}" is not a duration: use e.g. 30s, 5m or 1h.`);
  }
  return v;
}

/** The state URL from the environment, checked; throws saying which stack needs it and how to set it. */
export function stateUrlFor(stackName: string, state: SharedStateMetadata, env: NodeJS.ProcessEnv): string {
  const url = (env[STATE_URL_VARIABLE] ?? '').trim();
  if (url === '' || !isPostgresUrl(url)) {
    throw cliError(
      'SCIMFORM_NO_STATE_URL',
      `${stackName} keeps its state in PostgreSQL (schema "${state.schema}", workspace "${state.workspace}"), but ` +
        `${STATE_URL_VARIABLE} is ${url === '' ? 'not set' : 'not a postgres:// URL'}: export ${STATE_URL_VARIABLE}=postgres://user@host:5432/db?sslmode=require ` +
        '(password through PGPASSWORD or the URL), as for the synth that wrote this stack.',
    );
  }
  return url;
}

/** What a terraform run returned (the shape of cli/terraform-runner.ts's result, declared here so this
 * folder does not import the runner that imports it). */
export interface TerraformOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

export interface StateRun {
  args: string[];
  env: NodeJS.ProcessEnv;
  state?: SharedStateMetadata;
}

/** The arguments and environment of a terraform run in `cwd`, with the shared-state settings applied. */
export function withSharedState(args: string[], cwd: string, env: NodeJS.ProcessEnv): StateRun {
  const state = sharedStateOf(cwd);
  if (!state) return { args, env };
  const url = stateUrlFor(path.basename(cwd), state, env);
  const out = { ...env, PG_CONN_STR: taggedUrl(url), TF_WORKSPACE: state.workspace };
  let a = args;
  if (LOCKING.has(args[0])) a = [args[0], `-lock-timeout=${lockTimeout(env)}`, ...args.slice(1).filter((x) => !x.startsWith('-lock-timeout='))];
  return { args: a, env: out, state };
}
