// Reviewed reactivations, finished after apply. For a new resource the provider adopts an existing account,
// but at apply time it cannot tell an account that was already inactive when the plan was made (the plan
// warned "reactivating it" and the reviewer approved a REACTIVATE) from one an admin deactivated since (an
// incident response that must stay). So it adopts without reactivating. The scimform command knows what was
// reviewed — the warnings saved beside the plan — and after apply plans exactly those resources again: when
// that plan changes nothing but `active` from false to true on them, it applies it; anything else is left
// for a new plan and said so. A roster entry (`scim_roster.NAME.entries["KEY"]`) is planned by targeting its
// roster, and the plan is read per entry (roster-changes.ts): every other entry of that roster must be a no-op.
import type { TerraformResult } from '../terraform-runner';
import { adoptionsFromWarnings, type PlanDiagnostic } from '../report/plan-diagnostics';
import { parseEntryAddress, readPlanJson } from '../report/roster-changes';
import { jsonEqual } from '../report/attribute-diff';
import type { JsonValue } from '../report/plan-json';
import { prepareSavedPlan, removeSavedPlan } from './saved-plan';

/** Runs one terraform command in the stack folder with the stack's environment. */
export type StackTerraform = (args: string[]) => Promise<TerraformResult>;

/** Resource change of `terraform show -json` (the parts read here). */
interface ResourceChange {
  address: string;
  change: { actions: string[]; before: Record<string, unknown> | null; after: Record<string, unknown> | null; after_unknown?: Record<string, unknown> };
}

export interface ReactivationOutcome {
  /** Addresses reactivated now. */
  reactivated: string[];
  /** Why the reviewed reactivations were not finished (nothing applied), when they were not. */
  notDone?: string;
}

const FOLLOW_UP_PLAN = 'scimform-reactivate.tfplan';
/** Attributes an update may change besides `active`: the server's modification stamp. */
const BOOKKEEPING = new Set(['active', 'meta']);

/** The addresses whose saved-plan warning said apply adopts an inactive account and reactivates it. */
export function reviewedReactivations(warnings: readonly PlanDiagnostic[]): string[] {
  return [...adoptionsFromWarnings(warnings)].filter(([, a]) => a.kind === 'user' && a.reactivates).map(([address]) => address);
}

/** `after_unknown` mirrors the value with `true` where a part is unknown (false, {} or [] elsewhere). */
const hasUnknown = (u: unknown): boolean => u === true || (typeof u === 'object' && u !== null && Object.values(u).some(hasUnknown));

/** Whether a planned change is exactly "reactivate this reviewed account": active false → true, nothing else. */
export function isOnlyReactivation(rc: ResourceChange, reviewed: ReadonlySet<string>): boolean {
  return otherChanges(rc, reviewed).length === 0;
}

/** What a planned change does besides reactivating a reviewed account (attribute names, or the action). */
export function otherChanges(rc: ResourceChange, reviewed: ReadonlySet<string>): string[] {
  const { actions, before, after, after_unknown: unknown = {} } = rc.change;
  if (!reviewed.has(rc.address)) return ['not a reviewed reactivation'];
  if (actions.length !== 1 || actions[0] !== 'update' || !before || !after) return [actions.join('/')];
  const out = before.active === false && after.active === true ? [] : ['active'];
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const k of keys) {
    if (BOOKKEEPING.has(k)) continue;
    if (hasUnknown(unknown[k]) || !jsonEqual(before[k] as JsonValue, after[k] as JsonValue)) out.push(k);
  }
  return out;
}

/** The `-target` addresses that plan these resources: a roster entry is planned through its roster. */
export const reactivationTargets = (addresses: readonly string[]): string[] => [
  ...new Set(addresses.map((a) => parseEntryAddress(a)?.roster ?? a)),
];

/** After a successful apply: plans the reviewed reactivations alone and applies them when that is all they do
 * (`planArgs`: more arguments of that plan, e.g. `-refresh=false` for one person's plan). */
export async function finishReviewedReactivations(
  dir: string,
  addresses: readonly string[],
  terraform: StackTerraform,
  planArgs: readonly string[] = [],
): Promise<ReactivationOutcome> {
  if (!addresses.length) return { reactivated: [] };
  prepareSavedPlan(dir, FOLLOW_UP_PLAN);
  try {
    const plan = await terraform(['plan', '-input=false', '-no-color', '-detailed-exitcode', `-out=${FOLLOW_UP_PLAN}`, ...planArgs, ...reactivationTargets(addresses).map((a) => `-target=${a}`)]);
    if (plan.code === 0) return { reactivated: [] };
    if (plan.code !== 2) return { reactivated: [], notDone: `the follow-up plan failed: ${plan.stderr.trim() || plan.stdout.trim()}` };
    const shown = await terraform(['show', '-json', FOLLOW_UP_PLAN]);
    if (shown.code !== 0) return { reactivated: [], notDone: `terraform show failed: ${shown.stderr.trim()}` };
    const changes = ((readPlanJson(shown.stdout, FOLLOW_UP_PLAN).resource_changes ?? []) as unknown as ResourceChange[]).filter(
      (rc) => !rc.change.actions.every((a) => a === 'no-op' || a === 'read'),
    );
    const reviewed = new Set(addresses);
    const other = changes.filter((rc) => !isOnlyReactivation(rc, reviewed));
    if (other.length) {
      return {
        reactivated: [],
        notDone: `${other.map((rc) => `${rc.address} (${otherChanges(rc, reviewed).join(', ')})`).join('; ')} changed in the app since the plan; run \`scimform plan\` again to review it`,
      };
    }
    const applied = await terraform(['apply', '-input=false', '-no-color', '-auto-approve', FOLLOW_UP_PLAN]);
    if (applied.code !== 0) return { reactivated: [], notDone: `the follow-up apply failed: ${applied.stderr.trim() || applied.stdout.trim()}` };
    return { reactivated: changes.map((rc) => rc.address) };
  } finally {
    removeSavedPlan(dir, FOLLOW_UP_PLAN);
  }
}
