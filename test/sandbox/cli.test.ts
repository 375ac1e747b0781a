// `npm run sandbox` as a user runs it (the real sandbox/cli.ts in a child process): --help, and every
// start-up failure — bad flags, port in use, unusable data dir, corrupted store — is one `sandbox: …`
// line on stderr with no stack trace and a non-zero exit; a corrupted store is never overwritten and
// a backup copy of it is kept.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSandbox } from '../../sandbox';
import { parseArgs } from '../../sandbox/cli';

const ROOT = path.resolve(__dirname, '..', '..');
const dirs: string[] = [];
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-sandbox-cli-'));
  dirs.push(d);
  return d;
};
afterAll(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

interface Run { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

/** Runs the sandbox CLI; if it starts (prints its banner), stops it with SIGTERM. */
function runCli(args: string[]): Promise<Run> {
  const child = spawn(process.execPath, ['-r', require.resolve('../../scripts/ts-register.js'), 'sandbox/cli.ts', ...args], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
  });
  let stdout = '';
  let stderr = '';
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  child.stdout!.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (/Stop with Ctrl-C/.test(stdout)) child.kill('SIGTERM');
  });
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  return new Promise((resolve) => child.on('close', (code, signal) => { clearTimeout(timer); resolve({ code, signal, stdout, stderr }); }));
}

/** The one-line error contract: exactly one line on stderr, prefixed, no stack frames, nothing on stdout. */
function expectOneLineError(run: Run, code: number, pattern: RegExp): void {
  expect(run.code).toBe(code);
  expect(run.stdout).toBe('');
  const lines = run.stderr.split('\n').filter((l) => l.trim());
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^sandbox: /);
  expect(lines[0]).toMatch(pattern);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

const STORE = (body: string) => `{"format":"scimform-sandbox-store","version":1,"seq":3,"savedAt":"2025-01-01T00:00:00Z","tenants":${body}}`;

test('--help prints the options on stdout and exits 0', async () => {
  const run = await runCli(['--help']);
  expect(run.code).toBe(0);
  expect(run.stderr).toBe('');
  for (const flag of ['--port', '--host', '--data-dir', '--faults', '--seed', '--request-log', '--quiet', '--help']) expect(run.stdout).toContain(flag);
});

test('bad command lines: one line naming the problem, exit 2', async () => {
  expectOneLineError(await runCli(['--bogus']), 2, /Unknown option '--bogus'.*--help/);
  expectOneLineError(await runCli(['--port', '70000']), 2, /--port must be an integer from 0 to 65535, got '70000'/);
  // The same parser, without a process per case:
  const cases: [string[], RegExp][] = [
    [['stray'], /Unexpected argument 'stray'/],
    [['--port', 'abc'], /--port must be an integer from 0 to 65535, got 'abc'/],
    [['--data-dir'], /--data-dir needs a value/],
    [['--seed='], /--seed needs a value/],
    [['--faults', path.join(tempDir(), 'missing.json')], /--faults .*missing\.json: cannot read JSON/],
  ];
  for (const [args, pattern] of cases) expect(() => parseArgs(args)).toThrow(pattern);
});

test('port in use: one line saying so and what to do, exit 1, the data dir left unlocked', async () => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as net.AddressInfo).port;
  const dataDir = tempDir();
  try {
    const run = await runCli(['--port', String(port), '--data-dir', dataDir]);
    expectOneLineError(run, 1, new RegExp(`Cannot listen on 127\\.0\\.0\\.1:${port}: the port is already in use .*--port`));
  } finally {
    await new Promise((resolve) => blocker.close(resolve));
  }
  expect(fs.existsSync(path.join(dataDir, 'sandbox.lock'))).toBe(false);
});

test('unusable data dir or request log: one line naming the path and the reason, exit 1', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'a-file');
  fs.writeFileSync(file, 'not a directory');
  const underFile = await runCli(['--port', '0', '--data-dir', path.join(file, 'sub')]);
  expectOneLineError(underFile, 1, /Data dir .*a-file\/sub cannot be used: a part of the path is a file, not a directory \(ENOTDIR\)\. Pass a writable directory with --data-dir/);
  await expect(startSandbox({ port: 0, quiet: true, dataDir: file })).rejects.toThrow(/Data dir .*a-file cannot be used: it exists and is not a directory/);
  await expect(startSandbox({ port: 0, quiet: true, dataDir: path.join(dir, 'ok'), requestLogFile: path.join(file, 'log.jsonl') }))
    .rejects.toThrow(/Cannot open the request log .*log\.jsonl: a part of the path is a file/);
  expect(fs.readFileSync(file, 'utf8')).toBe('not a directory');
});

test('corrupted store.json: exit 1 with one line naming the file and its backup; the store is never overwritten', async () => {
  const dataDir = tempDir();
  const store = path.join(dataDir, 'store.json');
  const torn = STORE('{"generic":{"users":[{"id":"u1","data":{"userName":"ada@example.com"},"created":"x","lastMo');
  fs.writeFileSync(store, torn);
  const first = await runCli(['--port', '0', '--data-dir', dataDir]);
  expectOneLineError(first, 1, /Sandbox store .*store\.json cannot be loaded: not valid JSON .*left untouched and a copy is kept as .*store\.json\.corrupt-/);
  const backup = /a copy is kept as (\S+?)\. /.exec(first.stderr)![1];
  expect(fs.readFileSync(backup, 'utf8')).toBe(torn);
  expect(fs.readFileSync(store, 'utf8')).toBe(torn);
  expect(fs.existsSync(path.join(dataDir, 'sandbox.lock'))).toBe(false);

  // A second attempt changes nothing and reuses the identical backup instead of piling up copies.
  const second = await runCli(['--port', '0', '--data-dir', dataDir]);
  expectOneLineError(second, 1, /cannot be loaded/);
  expect(fs.readFileSync(store, 'utf8')).toBe(torn);
  expect(fs.readdirSync(dataDir).filter((f) => f.includes('.corrupt-'))).toEqual([path.basename(backup)]);
});

test('valid JSON with broken records, or a journal corrupt before its last line: refused, backed up, untouched', async () => {
  const badRecords = tempDir();
  const recordsStore = STORE('{"generic":{"users":[{"id":"u1"}]}}');
  fs.writeFileSync(path.join(badRecords, 'store.json'), recordsStore);

  const badJournal = tempDir();
  const journal = [
    '{"seq":1,"tenant":"generic","op":"put","kind":"user","record":{"id":"u1","data":{"userName":"a@x"},"created":"t","lastModified":"t","version":1}}',
    '{"seq":2,"tenant":"generic","op":"pu###',
    '{"seq":3,"tenant":"generic","op":"put","kind":"user","record":{"id":"u2","data":{"userName":"b@x"},"created":"t","lastModified":"t","version":1}}',
    '',
  ].join('\n');
  fs.writeFileSync(path.join(badJournal, 'journal.jsonl'), journal);

  await expect(startSandbox({ port: 0, quiet: true, dataDir: badRecords })).rejects.toThrow(/store\.json cannot be loaded: tenants\.generic\.users\[0\] \(id u1\) has no 'data' object\. .*copy is kept as/);
  const journalRun = await runCli(['--port', '0', '--data-dir', badJournal]);
  expect(fs.readFileSync(path.join(badRecords, 'store.json'), 'utf8')).toBe(recordsStore);
  expectOneLineError(journalRun, 1, /journal .*journal\.jsonl cannot be loaded: line 2 is not valid JSON .*followed by more lines.*copy is kept as .*journal\.jsonl\.corrupt-/);
  expect(fs.readFileSync(path.join(badJournal, 'journal.jsonl'), 'utf8')).toBe(journal);
  expect(fs.existsSync(path.join(badJournal, 'store.json'))).toBe(false);
});

test('a good start prints the URLs and the credentials path, and SIGTERM stops it with exit 0', async () => {
  const dataDir = tempDir();
  const run = await runCli(['--port', '0', '--data-dir', dataDir]);
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+ \(port \d+\)/);
  expect(run.stdout).toContain(path.join(dataDir, 'credentials.json'));
  expect(run.stderr).toBe('');
});

test('without --port it comes back on the port its data dir last served on; if that is taken it moves and says so', async () => {
  const dataDir = tempDir();
  const first = await runCli(['--port', '0', '--data-dir', dataDir]);
  const port = Number(/\(port (\d+)\)/.exec(first.stdout)![1]);
  const again = await runCli(['--data-dir', dataDir]);
  expect(again.stdout).toContain(`listening on http://127.0.0.1:${port} (port ${port})`);
  expect(again.stdout).not.toContain('Note:');

  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
  try {
    const moved = await runCli(['--data-dir', dataDir]);
    expect(moved.code).toBe(0);
    const now = Number(/\(port (\d+)\)/.exec(moved.stdout)![1]);
    expect(now).not.toBe(port);
    expect(moved.stdout).toContain(
      `Note: port ${port} (where this data dir last served) is in use by another program, so the sandbox listens on port ${now} instead; ` +
        `it keeps port ${now} from now on, and the scimform commands (npm start, plan, deploy, drift, access) find it there.`,
    );
  } finally {
    await new Promise((resolve) => blocker.close(resolve));
  }
});
