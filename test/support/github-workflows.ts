// Test helper: the GitHub Actions examples as data — their steps, the `scimform …` calls in each run
// script (shell words, quotes removed), and their env blocks with `${{ secrets.X }}` / `${{ vars.X }}`
// resolved from given maps — so a test can run exactly what a workflow runs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

export const WORKFLOW_DIR = path.join(__dirname, '..', '..', 'examples', 'github-actions');

export interface Step {
  name?: string;
  run?: string;
  uses?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
export interface Workflow {
  on: Record<string, unknown>;
  env?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress'?: boolean };
  jobs: Record<string, { steps: Step[] }>;
}

export const loadWorkflow = (file: string) => parse(fs.readFileSync(path.join(WORKFLOW_DIR, file), 'utf8')) as Workflow;
export const workflowSteps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps);

/** Shell words of one command line (quotes removed), stopping at a pipe, list or redirection. */
function words(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\|\||&&|[|;<>]|>>)|([^\s"'|;<>&]+)/g;
  for (const m of line.matchAll(re)) {
    if (m[3]) break;
    out.push(m[1] ?? m[2] ?? m[4]);
  }
  return out;
}

/** Every `scimform <command> …` (via npx, npm exec or node cli/scimform.js) in a run script. */
export function scimformCalls(run: string): string[][] {
  return run
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => /(?:^|\s)(?:npx |npm exec (?:-- )?|node \S*cli\/)?scimform(?:\.js)?\s+(.*)$/.exec(l)?.[1])
    .filter((x): x is string => x !== undefined)
    .map(words);
}

/** A workflow or step env block with `${{ secrets.X }}` / `${{ vars.X }}` replaced (unset = ''). */
export function resolveEnv(block: Record<string, string> | undefined, ctx: { secrets: Record<string, string>; vars: Record<string, string> }): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(block ?? {})) {
    out[k] = String(v).replace(/\$\{\{\s*(secrets|vars)\.(\w+)\s*\}\}/g, (_, kind: 'secrets' | 'vars', name: string) => ctx[kind][name] ?? '');
  }
  return out;
}
