// JSON rendering of the plan report (the model as is: it holds no sensitive value).
import type { PlanReport } from './report-model';

export const renderJson = (report: PlanReport): string => `${JSON.stringify(report, null, 2)}\n`;
