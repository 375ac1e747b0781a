// A saved plan goes stale when another run changed the same state after it was made (two deploys of one
// change on shared state: the second waits for the lock, then Terraform refuses its plan). deploy then
// re-plans: nothing left means the other run already did the work; anything left is not applied unreviewed.
import { cliError } from '../cli-errors';

/** Terraform's refusal to apply a plan made against an older state. */
export const isStalePlan = (message: string): boolean => /Saved plan is stale/i.test(message);

/** The result line after the re-plan of a stale plan; throws when changes remain (they need a new run). */
export function afterStalePlan(replan: { changes: boolean; summary: string }): string {
  if (!replan.changes) return 'nothing left to do: another run applied this change first';
  throw cliError(
    'SCIMFORM_STATE_CHANGED',
    `another run changed this app's state while this run waited for the lock, and its plan is no longer the one made here ` +
      `(now: ${replan.summary}). Nothing was applied by this run: run the command again to plan and apply what is left.`,
  );
}

/**
 * `scimform apply` found a stack's saved plan stale: plans again (without saving). Nothing left → the other
 * run did this work and the stack is done (undefined). Otherwise, or whenever a reviewed fingerprint is
 * expected (the new plan cannot be the reviewed one), the message saying why nothing was applied.
 */
export async function staleApplyOutcome(
  replan: () => Promise<{ code: number }>,
  expectFingerprint: boolean,
): Promise<string | undefined> {
  const r = await replan();
  const nothingLeft = r.code === 0;
  if (nothingLeft && !expectFingerprint) return undefined;
  return (
    'Error: the saved plan is stale: another run changed this app\'s state after the plan was made ' +
    `(a plan now shows ${nothingLeft ? 'no changes: that run already applied it' : r.code === 2 ? 'other changes' : 'an error'}). ` +
    (expectFingerprint
      ? 'The reviewed plan can no longer be applied as reviewed, so nothing was applied: re-run the plan on the pull request and review it.'
      : 'Nothing was applied: run `scimform plan` again, review, then apply.')
  );
}
