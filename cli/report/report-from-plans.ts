// Assembles the multi-app plan report from per-stack plan results (the saved plans and the provider's
// warnings saved with them), evaluating the guard when asked.
import { evaluateGuard, GuardOptions } from '../guard/deactivation-guard';
import { buildAppReport, exclusionsFrom, failedAppReport } from './build-report';
import { adoptionsFromWarnings } from './plan-diagnostics';
import { assembleReport, PlanReport } from './report-model';
import type { StackPlanResult } from './stack-plans';

export function reportFromPlans(results: (Pick<StackPlanResult, 'stack' | 'plan' | 'error'> & Pick<Partial<StackPlanResult>, 'warnings'>)[], guard?: GuardOptions): PlanReport {
  const apps = results.map((r) =>
    r.plan && !r.error
      ? buildAppReport(r.stack.name, r.plan, {
          title: r.stack.meta?.title,
          exclusions: exclusionsFrom(r.stack.meta?.excluded),
          adoptions: adoptionsFromWarnings(r.warnings ?? []),
        })
      : failedAppReport(r.stack.name, r.error ?? 'no plan'),
  );
  return assembleReport(apps, guard ? evaluateGuard(apps, guard) : undefined);
}
