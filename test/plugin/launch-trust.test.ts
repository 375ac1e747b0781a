// The contract between the provider's launcher line and its entry (providers/scim/launch-trust.ts): what the
// shell hands on is what the entry reads back, with and without NODE_EXTRA_CA_CERTS.
import { execFileSync } from 'node:child_process';
import { DEFAULT_CA_VAR, LAUNCH_ENVIRONMENT, launcherTrust } from '../../providers/scim/launch-trust';

const launchedEnv = (extra: Record<string, string | undefined>): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  const out = execFileSync('/bin/sh', ['-c', `${LAUNCH_ENVIRONMENT} exec env`], { env, encoding: 'utf8' });
  return Object.fromEntries(out.trim().split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
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

test('a process not started by the launcher keeps Node\'s default store', () => {
  expect(launcherTrust({})).toBeUndefined();
  expect(launcherTrust({ [DEFAULT_CA_VAR]: 'something else' })).toBeUndefined();
});
