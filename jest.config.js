// Jest setup: TypeScript stripped by esbuild (test/support/esbuild-transform.js; type checking is `npm run build`).
const os = require('node:os');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': '<rootDir>/test/support/esbuild-transform.js' },
  testTimeout: 120000,
  // Builds the provider once per run (test/support/global-setup.ts); suites never rebuild it.
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  // Integration tests start real servers and the real terraform binary, and about an eighth of a run they
  // wait (loopback servers, rate budgets, retries): a third worker on 2 cores fills that time. Fresh clone,
  // same commit: 225 and 230 s with 2 workers, 218 s with 3 (docs/guides/test-speed.md).
  // (A number: jest reads a percentage above 100 % as that many workers.)
  maxWorkers: Math.max(2, Math.round(os.availableParallelism() * 1.5)),
};
