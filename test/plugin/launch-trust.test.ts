// The contract between the provider's launcher line and its entry (providers/scim/launch-trust.ts): what the
// shell hands on is what the entry reads back, with and without NODE_EXTRA_CA_CERTS; and the launcher empties
// OpenSSL's store only for a node that trusts its bundled roots by default (the marker next to the snapshot).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { launcher, snapshotBlobPath } from '../../scripts/build-provider';
import { BUNDLED_CA_MARKER_SUFFIX, DEFAULT_CA_VAR, defaultsToBundledRoots, LAUNCH_ENVIRONMENT, launcherTrust } from '../../providers/scim/launch-trust';

const parseEnv = (out: string): NodeJS.ProcessEnv =>
  Object.fromEntries(out.trim().split('\n').filter((l) => l.includes('=')).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));

const launchedEnv = (extra: Record<string, string | undefined>): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return parseEnv(execFileSync('/bin/sh', ['-c', `${LAUNCH_ENVIRONMENT} exec env`], { env, encoding: 'utf8' }));
};

test('NODE_EXTRA_CA_CERTS is emptied for node and handed on to the entry', () => {
  const env = launchedEnv({ NODE_EXTRA_CA_CERTS: '/etc/corp/ca bundle.pem' });
  expect(env.NODE_EXTRA_CA_CERTS).toBe('');
  expect(env.SSL_CERT_FILE).toBe('/dev/null');
  expect(launcherTrust(env)).toEqual({ extraCaFile: '/etc/corp/ca bundle.pem' });
});

test('without NODE_EXTRA_CA_CERTS the entry trusts the bundled roots alone', () => {
  expect(launcherTrust(launchedEnv({}))).toEqual({});
});

test("a process not started by the launcher keeps Node's default store", () => {
  expect(launcherTrust({})).toBeUndefined();
  expect(launcherTrust({ [DEFAULT_CA_VAR]: 'something else' })).toBeUndefined();
});

test('a node built to use the system store (--openssl-use-def-ca-store) is not one that trusts its bundled roots', () => {
  expect(defaultsToBundledRoots({ target_defaults: { defines: ['NODE_OPENSSL_CONF_NAME=nodejs_conf'] } })).toBe(true);
  expect(defaultsToBundledRoots({ target_defaults: { defines: ['NODE_OPENSSL_CERT_STORE'] } })).toBe(false);
  expect(defaultsToBundledRoots(process.config as never)).toBe(true); // the node of this machine (nodesource build)
});

describe('the launcher line, with a stand-in node that prints its arguments and environment', () => {
  let dir: string;
  let exe: string;
  let blob: string;
  const run = (env: Record<string, string> = {}) =>
    execFileSync(exe, ['arg1'], { env: { PATH: `${path.join(dir, 'bin')}:/usr/bin:/bin`, SCIMFORM_CACHE_DIR: path.join(dir, 'cache'), NODE_EXTRA_CA_CERTS: '/corp/ca.pem', ...env }, encoding: 'utf8' });

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-launcher-'));
    const node = path.join(dir, 'bin', 'node');
    fs.mkdirSync(path.dirname(node), { recursive: true });
    fs.writeFileSync(node, '#!/bin/sh\necho "ARGS $*"\nenv\n', { mode: 0o755 });
    exe = path.join(dir, 'terraform-provider-probe');
    fs.writeFileSync(exe, `${launcher('probe', '0123456789abcdef')}\n`, { mode: 0o755 });
    blob = snapshotBlobPath(path.join(dir, 'cache'), 'probe', '0123456789abcdef', node);
    fs.mkdirSync(path.dirname(blob), { recursive: true });
    fs.writeFileSync(blob, '');
    execFileSync('touch', ['-r', node, blob]); // the launcher compares modification times to the nanosecond
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('with the marker: OpenSSL store emptied, NODE_EXTRA_CA_CERTS handed on', () => {
    fs.writeFileSync(blob + BUNDLED_CA_MARKER_SUFFIX, '');
    const out = run();
    expect(out).toMatch(/^ARGS --use-openssl-ca --snapshot-blob \S+ --max-semi-space-size=2 \S+terraform-provider-probe arg1$/m);
    const env = parseEnv(out);
    expect(env.NODE_EXTRA_CA_CERTS).toBe('');
    expect(launcherTrust(env)).toEqual({ extraCaFile: '/corp/ca.pem' });
  });

  test('without it (a node that trusts the system store): the snapshot, and the certificates left to Node', () => {
    fs.rmSync(blob + BUNDLED_CA_MARKER_SUFFIX, { force: true });
    const out = run();
    expect(out).toMatch(/^ARGS --snapshot-blob \S+ --max-semi-space-size=2 \S+terraform-provider-probe arg1$/m);
    const env = parseEnv(out);
    expect(env.NODE_EXTRA_CA_CERTS).toBe('/corp/ca.pem');
    expect(env.SSL_CERT_FILE).toBeUndefined();
    expect(launcherTrust(env)).toBeUndefined();
  });

  test('with NODE_OPTIONS set: no snapshot and nothing changed', () => {
    fs.writeFileSync(blob + BUNDLED_CA_MARKER_SUFFIX, '');
    const out = run({ NODE_OPTIONS: '--use-system-ca' });
    expect(out).toMatch(/^ARGS --max-semi-space-size=2 \S+terraform-provider-probe arg1$/m);
    expect(parseEnv(out).NODE_EXTRA_CA_CERTS).toBe('/corp/ca.pem');
  });
});
