// Runs `node cli/scimform.js <command>` exactly as a user does (paths from SCIMFORM_* variables, full plans
// on stdout), and observes it from outside: wall time, exit code, each app's outcome parsed from its output,
// the time line of its progress lines (stderr), and CPU per process kind sampled from /proc — the scimform
// process, synth (the app it spawns), terraform, and the provider plugins terraform starts.
// The outcome checks are strict: a run counts only when it exits 0 and every app's outcome line is parsed.

import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { BenchError, commandFailed } from './errors';
import { type ProcessPeak, ProcessTreeMonitor } from './process-tree-monitor';

export interface ScimformRun {
  command: string;
  seconds: number;
  exitCode: number;
  /** Per app (stack name): the line printed under its `=== Title (name, profile p) ===` header. */
  planLines: Record<string, string>;
  /** The `Summary:` table as printed. */
  summary: string[];
  /** stderr progress lines with seconds since start. */
  timeline: { t: number; line: string }[];
  /** CPU seconds by process kind. */
  cpuS: { scimform: number; synth: number; terraform: number; provider: number };
  providerPeakRssMb: number;
  terraformProcesses: number;
  providerProcesses: number;
  tail: string;
}

const HEADER = /^=== .* \(([^,]+), profile [^)]+\) ===$/;

/** Sorts sampled processes into terraform, provider (a descendant of a terraform process) and synth (the rest). */
export function classifyProcesses(procs: ProcessPeak[]): { synth: number; terraform: number; provider: number; providerPeakRssMb: number; terraformN: number; providerN: number } {
  const byPid = new Map(procs.map((p) => [p.pid, p]));
  const isTerraform = (p: ProcessPeak): boolean => path.basename(p.command.split(' ')[0] ?? '') === 'terraform';
  const underTerraform = (p: ProcessPeak): boolean => {
    for (let q = p.ppid !== undefined ? byPid.get(p.ppid) : undefined; q; q = q.ppid !== undefined ? byPid.get(q.ppid) : undefined) if (isTerraform(q)) return true;
    return false;
  };
  const out = { synth: 0, terraform: 0, provider: 0, providerPeakRssMb: 0, terraformN: 0, providerN: 0 };
  for (const p of procs) {
    if (isTerraform(p)) {
      out.terraform += p.cpuS;
      out.terraformN++;
    } else if (underTerraform(p)) {
      out.provider += p.cpuS;
      out.providerN++;
      out.providerPeakRssMb = Math.max(out.providerPeakRssMb, p.peakRssMb);
    } else out.synth += p.cpuS;
  }
  return out;
}

/** Reads `scimform plan|deploy` stdout: each app's outcome line and the summary table. */
export function parseScimformOutput(stdout: string): { planLines: Record<string, string>; summary: string[] } {
  const lines = stdout.split('\n');
  const planLines: Record<string, string> = {};
  const summary: string[] = [];
  let inSummary = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\x1b\[[0-9;]*m/g, '');
    const m = HEADER.exec(line.trim());
    if (m) planLines[m[1]!] = (lines[i + 1] ?? '').trim();
    if (line.startsWith('Summary:')) inSummary = true;
    else if (inSummary && line.trim() === '') inSummary = false;
    else if (inSummary) summary.push(line);
  }
  return { planLines, summary };
}

/**
 * A no-op plan is accepted only when the command exited 0 and every app's outcome line says `No changes.`;
 * anything else — a missing app, an unparsed or absent line, a change — is an error, never a result.
 */
export function checkNoopPlan(run: Pick<ScimformRun, 'command' | 'exitCode' | 'planLines' | 'tail'>, apps: string[]): void {
  const problems: string[] = [];
  if (run.exitCode !== 0) problems.push(`exit code ${run.exitCode}`);
  for (const app of apps) {
    const line = run.planLines[app];
    if (line === undefined) problems.push(`${app}: no "=== … (${app}, profile …) ===" section was parsed`);
    else if (line !== 'No changes.') problems.push(`${app}: "${line}"`);
  }
  if (problems.length) {
    throw new BenchError('BENCH_UNEXPECTED_PLAN', `bench: \`${run.command}\` is not a no-op plan (${problems.join('; ')}); a no-op needs exit 0 and "No changes." for every app. Last output:\n${run.tail}`);
  }
}

/** A deploy is accepted only with exit 0 and, for every app, a summary row saying its re-plan found no changes. */
export function checkDeploy(run: Pick<ScimformRun, 'command' | 'exitCode' | 'summary' | 'tail'>, apps: string[]): void {
  const problems: string[] = [];
  if (run.exitCode !== 0) problems.push(`exit code ${run.exitCode}`);
  for (const app of apps) {
    const row = run.summary.find((r) => r.includes(`Apply complete!`) && r.includes('re-plan: no changes') && rowIsApp(r, app));
    if (!row) problems.push(`${app}: no summary row with "Apply complete! … — re-plan: no changes"`);
  }
  if (problems.length) throw new BenchError('BENCH_UNEXPECTED_PLAN', `bench: \`${run.command}\` did not deploy every app (${problems.join('; ')}). Last output:\n${run.tail}`);
}

// Summary rows start with the app's title; the profile column follows. Titles are the example's app titles.
const rowIsApp = (row: string, app: string): boolean => row.trim().toLowerCase().startsWith(app.toLowerCase());

export function runScimform(repoRoot: string, command: string[], env: NodeJS.ProcessEnv): Promise<ScimformRun> {
  const shown = `scimform ${command.join(' ')}`;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [path.join(repoRoot, 'cli', 'scimform.js'), ...command], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const monitor = new ProcessTreeMonitor(child.pid!, 100).start();
    const out: string[] = [];
    const err: string[] = [];
    const timeline: ScimformRun['timeline'] = [];
    const tail: string[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c.toString('utf8')));
    let pending = '';
    child.stderr.on('data', (c: Buffer) => {
      err.push(c.toString('utf8'));
      const lines = (pending + c.toString('utf8')).split('\n');
      pending = lines.pop() ?? '';
      const t = Math.round(performance.now() - started) / 1000;
      for (const line of lines) {
        timeline.push({ t, line: line.slice(0, 300) });
        tail.push(line);
        if (tail.length > 40) tail.shift();
      }
    });
    child.once('error', reject);
    child.once('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      const procs = monitor.stop();
      const stdout = out.join('');
      // `scimform plan` (cli/commands/plan.ts) prints the workflow's plans on stderr and its report on stdout.
      const { planLines, summary } = parseScimformOutput(`${err.join('')}\n${stdout}`);
      const kinds = classifyProcesses(procs);
      const lastOut = stdout.split('\n').slice(-40).join('\n');
      const run: ScimformRun = {
        command: shown,
        seconds,
        exitCode: code ?? -1,
        planLines,
        summary,
        timeline,
        cpuS: { scimform: monitor.rootCpuS(), synth: kinds.synth, terraform: kinds.terraform, provider: kinds.provider },
        providerPeakRssMb: Math.round(kinds.providerPeakRssMb),
        terraformProcesses: kinds.terraformN,
        providerProcesses: kinds.providerN,
        tail: `${lastOut}\n--- stderr ---\n${tail.join('\n')}`,
      };
      if (code !== 0) return reject(commandFailed(`node cli/scimform.js ${command.join(' ')}`, repoRoot, code, run.tail));
      resolve(run);
    });
  });
}
