// The provider executable as scripts/build-provider.ts writes it: one file with a shebang whose program
// sits in a comment at its end, restored exactly (comment delimiters inside the program included) and
// compiled with a V8 code cache that is written on the first clean exit, reused afterwards, rewritten
// when stale or corrupt, and never written with SCIMFORM_NO_CODE_CACHE=1. Stack traces name lines of the
// executable.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { bundleProvider, NODE_FLAGS, writeExecutable } from '../../scripts/build-provider';

let dir: string;
let bin: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-bundle-'));
  bin = path.join(dir, 'terraform-provider-probe');
  const bundle = await bundleProvider({ entry: path.join(__dirname, 'fixtures/bundle-probe-main.ts'), name: 'probe' });
  writeExecutable(bin, bundle.contents);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function run(cacheDir: string, env: NodeJS.ProcessEnv = {}): { text: string; stack: string } {
  const out = execFileSync(bin, { env: { PATH: process.env.PATH, SCIMFORM_CACHE_DIR: cacheDir, ...env }, encoding: 'utf8' });
  return JSON.parse(out);
}

const cacheFiles = (cacheDir: string) => (fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir).sort() : []);

test('is one executable file with a shebang, the program in a comment at its end', () => {
  const text = fs.readFileSync(bin, 'utf8');
  const [sh, launch] = text.split('\n');
  expect(sh).toBe('#!/bin/sh');
  // Line 2: a JavaScript string and comment, for the shell a launcher: from this build's start-up snapshot when there is one, else the file.
  expect(launch).toMatch(/^":" \/\/; .*exec "\$n" --use-openssl-ca --snapshot-blob "\$b" /);
  expect(launch!.endsWith(`; exec node ${NODE_FLAGS.join(' ')} "$0" "$@"`)).toBe(true);
  expect(fs.statSync(bin).mode & 0o111).toBe(0o111);
  expect(text.endsWith('\n*/}\n')).toBe(true);
});

test('runs the program exactly as bundled, comment delimiters in its strings included', () => {
  expect(run(path.join(dir, 'cache-text')).text).toBe('a */ b /* c */ d');
});

test('stack traces point at lines of the executable', () => {
  const { stack } = run(path.join(dir, 'cache-stack'));
  const frame = /\((.+):(\d+):(\d+)\)|at (.+):(\d+):(\d+)/.exec(stack.split('\n')[1] ?? '');
  expect(frame).not.toBeNull();
  const [file, line] = frame![1] ? [frame![1], frame![2]] : [frame![4], frame![5]];
  expect(file).toBe(bin);
  expect(fs.readFileSync(bin, 'utf8').split('\n')[Number(line) - 1]).toContain('bundle probe');
});

test('writes the code cache on the first clean exit and reuses it afterwards', () => {
  const cacheDir = path.join(dir, 'cache-reuse');
  run(cacheDir);
  const [file] = cacheFiles(cacheDir);
  expect(file).toMatch(new RegExp(`^terraform-provider-probe-[0-9a-f]{16}-${process.version.replace(/\./g, '\\.')}-${process.arch}\\.v8cache$`));
  const written = fs.statSync(path.join(cacheDir, file!));
  const past = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
  fs.utimesSync(path.join(cacheDir, file!), past, past);
  expect(run(cacheDir).text).toBe('a */ b /* c */ d');
  expect(cacheFiles(cacheDir)).toEqual([file]);
  // Accepted: not rewritten.
  expect(Math.abs(fs.statSync(path.join(cacheDir, file!)).mtimeMs - past.getTime())).toBeLessThan(1);
  expect(written.size).toBeGreaterThan(0);
});

test('replaces a corrupt cache and removes caches of other builds', () => {
  const cacheDir = path.join(dir, 'cache-stale');
  run(cacheDir);
  const [file] = cacheFiles(cacheDir);
  fs.writeFileSync(path.join(cacheDir, file!), Buffer.from('not a code cache'));
  const other = `terraform-provider-probe-0000000000000000-${process.version}-${process.arch}.v8cache`;
  fs.writeFileSync(path.join(cacheDir, other), 'old build');
  fs.writeFileSync(path.join(cacheDir, 'terraform-provider-other-0000000000000000.v8cache'), 'another provider');
  expect(run(cacheDir).text).toBe('a */ b /* c */ d');
  expect(cacheFiles(cacheDir)).toEqual(['terraform-provider-other-0000000000000000.v8cache', file].sort());
  expect(fs.readFileSync(path.join(cacheDir, file!), 'latin1')).not.toBe('not a code cache');
  expect(fs.statSync(path.join(cacheDir, file!)).size).toBeGreaterThan(100);
});

test('SCIMFORM_NO_CODE_CACHE=1 runs without reading or writing a cache', () => {
  const cacheDir = path.join(dir, 'cache-off');
  expect(run(cacheDir, { SCIMFORM_NO_CODE_CACHE: '1' }).text).toBe('a */ b /* c */ d');
  expect(cacheFiles(cacheDir)).toEqual([]);
});

test('the scim provider bundle carries the packages it runs and no devDependency (grpc-js serves only the tests)', async () => {
  const { program } = await bundleProvider({ minify: false, codeCache: false });
  // esbuild names each bundled module's file in a comment: `// node_modules/<package>/…`.
  const bundled = new Set([...program.matchAll(/^\/\/ node_modules\/((?:@[^/\n]+\/)?[^/\n]+)\//gm)].map((m) => m[1]!));
  expect(bundled).toContain('protobufjs');
  expect(bundled).toContain('@msgpack/msgpack');
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8')) as { devDependencies: Record<string, string> };
  expect(Object.keys(pkg.devDependencies)).toContain('@grpc/grpc-js');
  expect([...bundled].filter((p) => p in pkg.devDependencies)).toEqual([]);
});
