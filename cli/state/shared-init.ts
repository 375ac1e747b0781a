// `terraform init` of a stack on shared state, made safe for the first run of many apps at once. The `pg`
// backend refuses to init into a workspace that does not exist yet ("Currently selected workspace … does
// not exist") and creates its schema, table and workspaces without waiting for each other (a concurrent
// CREATE, or the creation lock, fails the other stack). So: init in the default workspace, create the app's
// workspace when missing, and retry a few times when another stack was creating at the same moment.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StateRun, TerraformOutcome } from './state-env';

type Spawn = (args: string[], env: NodeJS.ProcessEnv) => Promise<TerraformOutcome>;

/** Errors of two stacks creating shared-state objects at the same moment (retrying succeeds). */
const CREATION_RACE = /already locked for workspace creation|duplicate key value violates unique constraint|failed to lock state in Postgres|Workspace is already locked|already exists/i;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Workspace names from `terraform workspace list` (`* wiki` marks the selected one). */
export const listedWorkspaces = (stdout: string): string[] =>
  stdout
    .split('\n')
    .map((l) => l.replace(/^\s*\*?\s*/, '').trim())
    .filter((l) => l !== '');

/** Runs init (args) in the default workspace, then makes sure the app's workspace exists. */
export async function initSharedState(cwd: string, args: string[], run: StateRun, spawn: Spawn, attempts = 6): Promise<TerraformOutcome> {
  selectDefaultWorkspace(cwd);
  const env = { ...run.env };
  delete env.TF_WORKSPACE;
  const workspace = run.state!.workspace;
  let last: TerraformOutcome = { code: 1, stdout: '', stderr: '' };
  for (let attempt = 1; attempt <= attempts; attempt++) {
    last = await spawn(args, env);
    if (last.code === 0) {
      const list = await spawn(['workspace', 'list'], env);
      if (list.code !== 0) last = list;
      else if (listedWorkspaces(list.stdout).includes(workspace)) return last;
      else {
        const created = await spawn(['workspace', 'new', '-lock-timeout=30s', workspace], env);
        if (created.code === 0) return last;
        last = created;
      }
    }
    if (!CREATION_RACE.test(last.stderr + last.stdout)) return last;
    await sleep(250 * attempt + Math.floor(Math.random() * 250));
  }
  return last;
}

/**
 * Forgets the workspace an earlier init selected in `cwd` (`.terraform/environment`): shared-state runs
 * name theirs with TF_WORKSPACE, and a stack moved back to local state must use the default workspace
 * (a leftover name would point the local backend at an empty `terraform.tfstate.d/<app>`).
 */
export function selectDefaultWorkspace(cwd: string): void {
  fs.rmSync(path.join(cwd, '.terraform', 'environment'), { force: true });
}
