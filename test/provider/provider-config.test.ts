// Parsing of the provider block: one auth scheme, environment fallbacks, unknowns tolerated, no secret in messages.
import { parseProviderConfig, validateProviderConfig } from '../../providers/scim/provider-config';
import { Unknown, type ObjectValue } from '../../providers/scim/plugin/provider-definition';

const TOKEN = 'tok-SECRET-123';
const PASSWORD = 'pw-SECRET-456';

function block(values: ObjectValue): ObjectValue {
  const base: ObjectValue = {
    endpoint: null, token: null, username: null, password: null, profile: null, headers: null, timeout: null,
    max_retries: null, requests_per_second: null, ca_file: null, log_file: null, on_destroy: null, member_batch_size: null,
  };
  return { ...base, ...values };
}

const noSecret = (x: unknown) => {
  const s = JSON.stringify(x);
  expect(s).not.toContain(TOKEN);
  expect(s).not.toContain(PASSWORD);
};

test('bearer token from the block, defaults applied', () => {
  const { parsed, diagnostics } = parseProviderConfig(block({ endpoint: 'http://127.0.0.1:9/scim/v2/', token: TOKEN }), {});
  expect(diagnostics).toEqual([]);
  expect(parsed).toMatchObject({ endpoint: 'http://127.0.0.1:9/scim/v2', auth: { kind: 'bearer', token: TOKEN }, timeoutMs: 30000, maxRetries: 5, onDestroy: 'deactivate' });
  expect(parsed!.profile.name).toBe('generic');
});

test('both schemes in the block is an error at token, without echoing secrets', () => {
  const cfg = block({ endpoint: 'https://x.example/scim', token: TOKEN, username: 'key', password: PASSWORD });
  const v = validateProviderConfig(cfg);
  expect(v).toEqual([expect.objectContaining({ severity: 'error', summary: 'Conflicting SCIM authentication' })]);
  expect(v[0].detail).toMatch(/`token`.*`username`\/`password`/);
  const { parsed, diagnostics } = parseProviderConfig(cfg, {});
  expect(parsed).toBeUndefined();
  expect(diagnostics.map((d) => d.summary)).toContain('Conflicting SCIM authentication');
  // Never a path to a secret attribute: Terraform would print its source line.
  expect([...v, ...diagnostics].some((d) => d.path?.[0] === 'token' || d.path?.[0] === 'password')).toBe(false);
  noSecret(v);
  noSecret(diagnostics);
});

test('credentials from the environment; the profile decides when both are set', () => {
  const env = { SCIM_TOKEN: TOKEN, SCIM_USERNAME: 'key', SCIM_PASSWORD: PASSWORD };
  expect(parseProviderConfig(block({ endpoint: 'https://x.example/scim' }), env).parsed!.auth.kind).toBe('bearer');
  expect(parseProviderConfig(block({ endpoint: 'https://x.example/scim', profile: 'proxy' }), env).parsed!.auth).toEqual({ kind: 'basic', username: 'key', password: PASSWORD });
  expect(parseProviderConfig(block({ endpoint: 'https://x.example/scim', username: 'other' }), env).parsed!.auth).toEqual({ kind: 'basic', username: 'other', password: PASSWORD });
});

test('missing credentials and half of Basic are named', () => {
  const none = parseProviderConfig(block({ endpoint: 'https://x.example/scim' }), {});
  expect(none.diagnostics).toEqual([expect.objectContaining({ summary: 'Missing SCIM credentials' })]);
  const half = parseProviderConfig(block({ endpoint: 'https://x.example/scim', username: 'key' }), {});
  expect(half.diagnostics).toEqual([expect.objectContaining({ summary: 'Missing SCIM password' })]);
});

test('unknown values at plan time: no provider data and no error', () => {
  expect(parseProviderConfig(block({ endpoint: Unknown, token: TOKEN }), {})).toEqual({ diagnostics: [] });
  expect(validateProviderConfig(block({ endpoint: Unknown, token: Unknown, profile: Unknown }))).toEqual([]);
});

test('bad values name their attribute', () => {
  const d = validateProviderConfig(block({ endpoint: 'ftp://x', profile: 'okta', timeout: -1, on_destroy: 'purge', max_retries: 1.5 }));
  expect(d.map((x) => x.path?.[0]).sort()).toEqual(['endpoint', 'max_retries', 'on_destroy', 'profile', 'timeout']);
  expect(d.find((x) => x.path?.[0] === 'profile')!.detail).toContain('proxyclick');
});

test('credentials in the URL are refused without echoing them', () => {
  const d = validateProviderConfig(block({ endpoint: `https://key:${PASSWORD}@x.example/scim` }));
  expect(d).toEqual([expect.objectContaining({ summary: 'Credentials in the SCIM endpoint URL' })]);
  expect(d[0].path).toBeUndefined();
  noSecret(d);
});

test('a bearer token for a Basic-only app is a warning', () => {
  const { parsed, diagnostics } = parseProviderConfig(block({ endpoint: 'https://x.example/scim', profile: 'proxy', token: TOKEN }), {});
  expect(parsed).toBeDefined();
  expect(diagnostics).toEqual([expect.objectContaining({ severity: 'warning', summary: 'Unexpected authentication for Proxy' })]);
  expect(diagnostics[0].path).toBeUndefined();
});
