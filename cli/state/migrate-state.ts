// `scimform state migrate --to …`: moves the state of every app from where it is now (SCIMFORM_STATE_URL,
// else the local state dir) to PostgreSQL or back to local files. Synthesizes the stacks once for each
// side, checks first that no target already holds state for an app (then nothing moves), pushes each
// app's state, proves with a plan that nothing would change, and only then retires the source: a local
// file is kept as `<app>.tfstate.migrated`, a PostgreSQL workspace is deleted (under its lock).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import type { ScimformPaths } from '../../lib/paths';
import { STATE_URL_VARIABLE, isPostgresUrl } from '../../lib/state-backend';
import { cliError } from '../cli-errors';
import { runTerraform, terraformEnv } from '../terraform-runner';
import type { Progress } from '../workflow/progress';
import { openSandbox } from '../workflow/sandbox-session';
import { credentialEnv, type SynthesizedStack } from '../workflow/stack-metadata';
import { ensureInit, planStack } from '../workflow/stack-terraform';
import { synthesize } from '../workflow/synth-app';
import { sharedStateOf } from './state-env';

export interface MigrateOptions {
  paths: ScimformPaths;
  /** `local`, or a postgres:// URL. */
  to: string;
  env?: NodeJS.ProcessEnv;
  stacks?: string[];
  sandbox?: 'auto' | 'off';
  progress: Progress;
}

export interface MigratedApp {
  app: string;
  resources: number;
  /** What became of the source copy. */
  source: string;
}

interface Side {
  env: NodeJS.ProcessEnv;
  stacks: SynthesizedStack[];
  describe: string;
}

const where = (env: NodeJS.ProcessEnv, paths: ScimformPaths) =>
  env[STATE_URL_VARIABLE] ? `PostgreSQL (${STATE_URL_VARIABLE})` : `local files in ${paths.stateDir}`;

const resourceCount = (pulled: string): number => {
  if (pulled.trim() === '') return 0;
  return ((JSON.parse(pulled) as { resources?: unknown[] }).resources ?? []).length;
};

async function pull(stack: SynthesizedStack, env: NodeJS.ProcessEnv, paths: ScimformPaths): Promise<string> {
  await ensureInit(stack, env, paths);
  const r = await runTerraform(['state', 'pull'], { cwd: stack.dir, env });
  if (r.code !== 0) throw cliError('SCIMFORM_STATE_PULL_FAILED', `${stack.name}: terraform state pull failed:\n${r.stderr.trim()}`);
  return r.stdout;
}

/** The local state file a stack's `local` backend names. */
function localStatePath(stack: SynthesizedStack): string {
  const doc = JSON.parse(fs.readFileSync(path.join(stack.dir, 'cdk.tf.json'), 'utf8')) as { terraform?: { backend?: { local?: { path?: string } } } };
  return path.resolve(stack.dir, doc.terraform?.backend?.local?.path ?? 'terraform.tfstate');
}

/** Deletes an app's workspace from PostgreSQL, holding its lock so no run is using it. */
async function deleteWorkspace(stack: SynthesizedStack, env: NodeJS.ProcessEnv): Promise<void> {
  const state = sharedStateOf(stack.dir)!;
  const client = new Client({ connectionString: env[STATE_URL_VARIABLE], application_name: 'scimform/state-migrate' });
  await client.connect();
  try {
    const table = `"${state.schema.replace(/"/g, '""')}".states`;
    const r = await client.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(id) AS locked FROM ${table} WHERE name = $1`, [state.workspace]);
    if (r.rows[0] && !r.rows[0].locked) {
      throw cliError('SCIMFORM_STATE_LOCKED', `${stack.name}: its PostgreSQL workspace is locked by another run; it was copied but not deleted. Delete it later with \`terraform workspace delete ${state.workspace}\`.`);
    }
    await client.query(`DELETE FROM ${table} WHERE name = $1`, [state.workspace]);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function migrateState(opts: MigrateOptions): Promise<MigratedApp[]> {
  const { paths, progress } = opts;
  const env = opts.env ?? process.env;
  const to = opts.to.trim();
  if (to !== 'local' && !isPostgresUrl(to)) {
    throw cliError('SCIMFORM_BAD_OPTION', `--to "${to.replace(/:[^:@/]*@/, ':…@')}" is neither "local" nor a postgres:// URL.`);
  }
  const targetEnv: NodeJS.ProcessEnv = { ...env };
  if (to === 'local') delete targetEnv[STATE_URL_VARIABLE];
  else targetEnv[STATE_URL_VARIABLE] = to;
  if ((env[STATE_URL_VARIABLE] ?? '') === (targetEnv[STATE_URL_VARIABLE] ?? '')) {
    throw cliError('SCIMFORM_NOTHING_TO_MIGRATE', `the state is already in ${where(env, paths)}: nothing to move. Set ${STATE_URL_VARIABLE} to where it is now.`);
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-migrate-'));
  const sandbox = await openSandbox(paths, progress, opts.sandbox ?? 'auto');
  try {
    const side = async (name: string, sideEnv: NodeJS.ProcessEnv): Promise<Side> => {
      const sidePaths = { ...paths, outDir: path.join(tmp, name) };
      let stacks = (await synthesize(sidePaths, sideEnv)).stacks;
      if (opts.stacks?.length) stacks = stacks.filter((s) => opts.stacks!.includes(s.name));
      // The side's own environment (terraformEnv starts from process.env, which may name the other side).
      const tfEnv: NodeJS.ProcessEnv = { ...sideEnv, ...terraformEnv(sidePaths, {}), [STATE_URL_VARIABLE]: sideEnv[STATE_URL_VARIABLE] };
      if (!sideEnv[STATE_URL_VARIABLE]) delete tfEnv[STATE_URL_VARIABLE];
      return { env: tfEnv, stacks, describe: where(sideEnv, paths) };
    };
    const from = await side('from', env);
    const into = await side('to', targetEnv);
    progress.info(`moving the state of ${from.stacks.length} app(s) from ${from.describe} to ${into.describe}`);

    // 1. Read every source and check every target before anything moves.
    const moves: { src: SynthesizedStack; dst: SynthesizedStack; state: string; resources: number }[] = [];
    for (const src of from.stacks) {
      const dst = into.stacks.find((s) => s.name === src.name)!;
      const state = await pull(src, from.env, paths);
      const resources = resourceCount(state);
      if (resources === 0) {
        progress.stack(src.name, 'no state to move');
        continue;
      }
      const existing = resourceCount(await pull(dst, into.env, paths));
      if (existing > 0) {
        throw cliError(
          'SCIMFORM_TARGET_HAS_STATE',
          `${src.name}: ${into.describe} already holds state for this app (${existing} resource(s)); nothing was moved. ` +
            'Moving would overwrite it: find out which copy is current (plan against each), and remove the other before migrating.',
        );
      }
      moves.push({ src, dst, state, resources });
    }
    // 2. Move, prove with a plan that nothing changes, then retire the source.
    const out: MigratedApp[] = [];
    for (const m of moves) {
      const file = path.join(tmp, `${m.src.name}.tfstate`);
      fs.writeFileSync(file, m.state, { mode: 0o600 });
      // -force: the target may hold an empty state with another lineage (a new workspace); checked empty above.
      const pushed = await runTerraform(['state', 'push', '-force', file], { cwd: m.dst.dir, env: into.env });
      if (pushed.code !== 0) throw cliError('SCIMFORM_STATE_PUSH_FAILED', `${m.src.name}: terraform state push failed:\n${pushed.stderr.trim()}`);
      const plan = await planStack(m.dst, { ...into.env, ...credentialEnv(m.dst, env) });
      if (plan.changes) {
        throw cliError(
          'SCIMFORM_MIGRATION_NOT_NOOP',
          `${m.src.name}: after the move the plan is not empty (${plan.summary}); the source copy was kept. Check the plan with \`scimform plan\`.`,
        );
      }
      let source: string;
      if (sharedStateOf(m.src.dir)) {
        await deleteWorkspace(m.src, from.env);
        source = 'PostgreSQL workspace deleted';
      } else {
        const local = localStatePath(m.src);
        fs.renameSync(local, `${local}.migrated`);
        source = `local file kept as ${path.basename(local)}.migrated`;
      }
      progress.stack(m.src.name, `moved ${m.resources} resource(s); plan: no changes; ${source}`);
      out.push({ app: m.src.name, resources: m.resources, source });
    }
    return out;
  } finally {
    await sandbox.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
