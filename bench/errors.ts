// Errors raised by the benchmark: one class with stable codes, and factories whose messages say what failed,
// why, and how to fix it (naming the file, command or endpoint; never a credential).

export type BenchErrorCode =
  | 'BENCH_BAD_ARGUMENT'
  | 'BENCH_PROVIDER_NOT_INSTALLED'
  | 'BENCH_COMMAND_FAILED'
  | 'BENCH_UNEXPECTED_PLAN'
  | 'BENCH_UNEXPECTED_REQUESTS'
  | 'BENCH_HTTP_FAILED'
  | 'BENCH_HANDSHAKE_FAILED'
  | 'BENCH_SANDBOX_UNAVAILABLE'
  | 'BENCH_PROFILE_MISSING';

export class BenchError extends Error {
  constructor(
    readonly code: BenchErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BenchError';
  }
}

export const badArgument = (arg: string, why: string): BenchError =>
  new BenchError('BENCH_BAD_ARGUMENT', `bench: invalid argument ${arg}: ${why} (usage: npm run bench -- --users N [--groups G] [--parallelism P] [--skip phase,...])`);

export const providerNotInstalled = (what: string): BenchError =>
  new BenchError(
    'BENCH_PROVIDER_NOT_INSTALLED',
    `bench: the scimform/scim provider is not installed (${what}). Run \`npm ci\` (or the provider build and install scripts in scripts/) to create .scimform/mirror and .scimform/terraformrc, or pass --skip terraform to run only the HTTP floor and sandbox capacity.`,
  );

export const commandFailed = (command: string, cwd: string, code: number | null, tail: string): BenchError =>
  new BenchError('BENCH_COMMAND_FAILED', `bench: \`${command}\` in ${cwd} exited with ${code}; last output:\n${tail}`);

export const unexpectedPlan = (phase: string, expected: string, got: string): BenchError =>
  new BenchError('BENCH_UNEXPECTED_PLAN', `bench: the ${phase} plan should show ${expected} but showed ${got}; the measurement would be meaningless, so the run stops.`);

export const unexpectedRequests = (phase: string, problems: string[]): BenchError =>
  new BenchError(
    'BENCH_UNEXPECTED_REQUESTS',
    `bench: the ${phase} did not make the batched requests it must make, so its timings would be meaningless and the run stops:\n${problems.map((p) => `  - ${p}`).join('\n')}\nThe provider's group batching or its single-read plan has regressed: run \`npx jest test/groups/keyed-group.test.ts\` to see the same at a small size.`,
  );

export const httpFailed = (method: string, url: string, status: number, body: string): BenchError =>
  new BenchError('BENCH_HTTP_FAILED', `bench: ${method} ${url} failed with ${status}: ${body.slice(0, 300)}`);

export const handshakeFailed = (binary: string, why: string): BenchError =>
  new BenchError('BENCH_HANDSHAKE_FAILED', `bench: provider ${binary} did not print a go-plugin handshake line: ${why}`);

export const sandboxUnavailable = (why: string): BenchError =>
  new BenchError('BENCH_SANDBOX_UNAVAILABLE', `bench: cannot start the SCIM sandbox from sandbox/: ${why}`);

export const profileMissing = (dir: string): BenchError =>
  new BenchError('BENCH_PROFILE_MISSING', `bench: no CPU profile was written to ${dir}; the profiler hook loads through NODE_OPTIONS=--require, so check that nothing in the environment overrides NODE_OPTIONS.`);
