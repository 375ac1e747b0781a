// Turns Terraform's "Error acquiring the state lock" on shared state — which for the `pg` backend says
// nothing about the holder — into scimform's message naming the holder and what to do (lock-holder.ts).
import type { TerraformResult } from '../terraform-runner';
import { findLockHolders, isLockError, lockMessage } from './lock-holder';
import { lockTimeout, type StateRun } from './state-env';

/** `result`, with its stderr replaced by the lock message when the run failed on a held lock. */
export async function explainLockFailure(result: TerraformResult, run: StateRun): Promise<TerraformResult> {
  if (!run.state || result.code === 0 || !isLockError(result.stderr)) return result;
  const url = run.env.PG_CONN_STR!;
  try {
    const holders = await findLockHolders(url, run.state);
    return { ...result, stderr: `${lockMessage(`app ${run.state.workspace}`, run.state, holders, lockTimeout(run.env))}\n` };
  } catch (e) {
    // The lock error stands; say why the holder could not be named.
    return { ...result, stderr: `${result.stderr}\n(scimform could not read the lock holder from pg_locks: ${(e as Error).message})\n` };
  }
}
