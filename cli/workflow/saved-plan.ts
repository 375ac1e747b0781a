// The files of one saved plan in a stack folder: the plan itself (created 0600 before Terraform writes
// into it, so it is never readable by others even for a moment), its companion files (the provider's
// warnings, the inputs the plan was made from) and their removal once the plan was applied.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Companion files of `<plan>`: `<plan>.warnings.json`, `<plan>.inputs.json`. */
export const companionFiles = (planPath: string): string[] => [`${planPath}.warnings.json`, `${planPath}.inputs.json`];

/** Removes any previous plan and its companions, then creates the empty plan file with mode 0600. */
export function prepareSavedPlan(dir: string, planFile: string): string {
  const planPath = path.join(dir, planFile);
  removeSavedPlan(dir, planFile);
  // Terraform truncates and rewrites an existing plan file, keeping its mode.
  fs.writeFileSync(planPath, '', { mode: 0o600 });
  fs.chmodSync(planPath, 0o600);
  return planPath;
}

/** Writes a companion file (owner-only, like the plan). */
export function writeCompanion(file: string, doc: unknown): void {
  fs.writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
}

/** Removes the plan file and its companions (after apply, or before a new plan). */
export function removeSavedPlan(dir: string, planFile: string): void {
  const planPath = path.join(dir, planFile);
  for (const f of [planPath, ...companionFiles(planPath)]) fs.rmSync(f, { force: true });
}
