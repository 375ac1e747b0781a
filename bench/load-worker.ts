// Runs HTTP load (floor or capacity) on a worker thread so the client never shares an event loop with the
// in-process sandbox it measures; `runLoad` is the main-thread side.

import * as path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { BenchDirectory } from './fixture-data';
import { type CapacityResult, type Endpoint, type FloorResult, httpFloor, sandboxCapacity } from './http-load';

export type LoadJob =
  | { kind: 'floor'; endpoint: Endpoint; directory: BenchDirectory; concurrency: number; memberBatch: number }
  | { kind: 'capacity'; endpoint: Endpoint; userIds: string[]; concurrency: number; durationMs: number };

type LoadResult<J extends LoadJob> = J extends { kind: 'floor' } ? FloorResult : CapacityResult;

export function runLoad<J extends LoadJob>(job: J): Promise<LoadResult<J>> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, 'load-worker.ts'), {
      workerData: job,
      execArgv: ['--require', require.resolve('../scripts/ts-register.js')],
    });
    worker.once('message', (m: { ok: true; result: LoadResult<J> } | { ok: false; error: string }) => {
      if (m.ok) resolve(m.result);
      else reject(new Error(m.error));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`bench: load worker exited with ${code}`));
    });
  });
}

if (!isMainThread && parentPort) {
  const job = workerData as LoadJob;
  const work = job.kind === 'floor' ? httpFloor(job.endpoint, job.directory, job.concurrency, job.memberBatch) : sandboxCapacity(job.endpoint, job.userIds, job.concurrency, job.durationMs);
  work.then(
    (result) => parentPort!.postMessage({ ok: true, result }),
    (e: unknown) => parentPort!.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) }),
  );
}
