// Runs the real `terraform` binary for a bench phase: wall time, exit code, the summary lines it printed, and
// the peak RSS of the provider processes it spawned. Output is streamed, keeping only a tail, so a
// 10,000-resource apply does not hold megabytes of log in memory.
// The variables it runs with come from cli/terraform-runner.ts (offlineTerraformEnv), as for every command.

import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { commandFailed, unexpectedPlan } from './errors';
import { type ProcessPeak, ProcessTreeMonitor } from './process-tree-monitor';

export interface TerraformRun {
  seconds: number;
  exitCode: number;
  /** Lines such as "Plan: 0 to add, 100 to change, 0 to destroy." or "No changes." */
  summary: string[];
  tail: string;
  providerPeaks: ProcessPeak[];
  /** CPU seconds of the terraform process itself (its provider processes are in providerPeaks). */
  terraformCpuS: number;
}

const SUMMARY = /^(Plan: .*|No changes\..*|Apply complete!.*|Changes to Outputs:.*)$/;
const TAIL_LINES = 60;

export function runTerraform(args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; okExitCodes?: number[] }): Promise<TerraformRun> {
  const ok = opts.okExitCodes ?? [0];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('terraform', args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const monitor = new ProcessTreeMonitor(child.pid!).start();
    const summary: string[] = [];
    const tail: string[] = [];
    const onText = (() => {
      let partial = '';
      return (chunk: Buffer): void => {
        const lines = (partial + chunk.toString('utf8')).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) {
          const trimmed = line.trim();
          if (SUMMARY.test(trimmed)) summary.push(trimmed);
          tail.push(line);
          if (tail.length > TAIL_LINES) tail.shift();
        }
      };
    })();
    child.stdout.on('data', onText);
    child.stderr.on('data', onText);
    child.once('error', (e) => {
      monitor.stop();
      reject(e);
    });
    child.once('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      const providerPeaks = monitor.stop();
      const run: TerraformRun = { seconds, exitCode: code ?? -1, summary, tail: tail.join('\n'), providerPeaks, terraformCpuS: monitor.rootCpuS() };
      if (!ok.includes(run.exitCode)) reject(commandFailed(`terraform ${args.join(' ')}`, opts.cwd, code, run.tail));
      else resolve(run);
    });
  });
}

/** Parses "Plan: A to add, C to change, D to destroy." ("No changes." → zeros); no parsable summary is an error. */
export function planCounts(run: Pick<TerraformRun, 'summary' | 'tail'>): { add: number; change: number; destroy: number } {
  for (const line of run.summary) {
    if (line.startsWith('No changes.')) return { add: 0, change: 0, destroy: 0 };
    const m = /^Plan: (\d+) to add, (\d+) to change, (\d+) to destroy/.exec(line);
    if (m) return { add: Number(m[1]), change: Number(m[2]), destroy: Number(m[3]) };
  }
  throw unexpectedPlan('terraform plan', 'a "Plan: …" or "No changes." summary line', `no summary line was parsed\n${run.tail}`);
}
