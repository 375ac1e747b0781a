// Assembles the multi-app plan report from per-stack plan results (the saved plans and the provider's
// warnings saved with them), evaluating the guard when asked.
import { evaluateGuard, GuardOptions } from '../guard/deactivation-guard';
import { buildAppReport, exclusionsFrom, failedAppReport } from './build-report';
import { adoptionsFromWarnings } from './plan-diagnostics';
import { assembleReport, PlanReport } from './report-model';
import type { StackPlanResult } from './stack-plans';

/** One stack's plan; `managedUsers` given (a plan without changes, noop-plans.ts) replaces the count from the plan. */
export type PlanForReport = Pick<StackPlanResult, 'stack' | 'plan' | 'error'> & Pick<Partial<StackPlanResult>, 'warnings'> & { managedUsers?: number };

export function reportFromPlans(results: PlanForReport[], guard?: GuardOptions): PlanReport {
  const apps = results.map((r) => {
    if (!r.plan || r.error) return failedAppReport(r.stack.name, r.error ?? 'no plan');
    const app = buildAppReport(r.stack.name, r.plan, {
      title: r.stack.meta?.title,
      exclusions: exclusionsFrom(r.stack.meta?.excluded),
      adoptions: adoptionsFromWarnings(r.warnings ?? []),
    });
    return r.managedUsers === undefined ? app : { ...app, managedUsers: r.managedUsers };
  });
  return assembleReport(apps, guard ? evaluateGuard(apps, guard) : undefined);
}
