// Drift detection: refresh and plan every stack with `terraform plan -detailed-exitcode` into a
// throw-away plan file (the reviewed plan file is left alone), then read the plan to explain the drift.
import { removeSavedPlan } from '../workflow/saved-plan';
import { inPool as mapPool } from '../workflow/pool';
import { StackDir } from '../report/stack-dirs';
import { planStack, Progress } from '../report/stack-plans';
import { buildAppDrift } from './build-drift';
import { assembleDriftReport, DriftReport } from './drift-model';

export const DRIFT_PLAN_FILE = 'scimform-drift.tfplan';

export interface DriftOptions {
  env: NodeJS.ProcessEnv;
  parallelism: number;
  progress: Progress;
}

export async function detectDrift(stacks: StackDir[], options: DriftOptions): Promise<DriftReport> {
  const apps = await mapPool(stacks, options.parallelism, async (stack) => {
    const r = await planStack(stack, { env: options.env, planFile: DRIFT_PLAN_FILE, progress: options.progress }, ['-refresh=true']);
    // The plan file holds variable values (credentials): do not leave it behind.
    removeSavedPlan(stack.dir, DRIFT_PLAN_FILE);
    return buildAppDrift(stack.name, r.plan, r.changes, r.error);
  });
  return assembleDriftReport(apps);
}
