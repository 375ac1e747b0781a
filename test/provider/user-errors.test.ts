// Bad input and failing endpoints through the real terraform binary: every diagnostic names the attribute or
// the endpoint, and no secret shows in plan output, state (`terraform show -json`), TF_LOG=debug logs or the
// provisioning log.
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { hcl, hclWithProvider, output, startTestSandbox, workdir, type TestSandbox, type TfResult, type Workdir } from './tf-fixture';
import { diagnosticsOf } from '../support/diagnostics';

let sb: TestSandbox;
const dirs: Workdir[] = [];

beforeAll(async () => {
  sb = await startTestSandbox();
});

afterAll(async () => {
  for (const d of dirs) await d.cleanup();
  await sb?.stop();
});

async function initDir(text: string, env: Record<string, string> = {}): Promise<Workdir> {
  const wd = await workdir(text, env);
  dirs.push(wd);
  expect((await wd.init()).code).toBe(0);
  return wd;
}

const bob = `resource "scim_user" "bob" {
  user_name = "bob@example.com"
}
`;

/** A port on 127.0.0.1 where nothing listens. */
async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

/** bob, created through the provider alias `name`. */
const bobOf = (name: string) => `resource "scim_user" "bob_${name}" {
  provider  = scim.${name}
  user_name = "bob@example.com"
}
`;

// Cases Terraform rejects while validating the configuration run as ONE plan; so do the cases that fail when
// the provider first calls the app (a provider alias each). Each test asserts the diagnostic naming its address.
let invalid: TfResult;
let unreachable: { result: TfResult; endpoint: string };
let refused: TfResult;

beforeAll(async () => {
  const c = sb.credentials;
  const port = await closedPort();
  const endpoint = `http://127.0.0.1:${port}/scim/v2`;
  const validation = await initDir(
    hclWithProvider(
      `provider "scim" {
  endpoint = "${c.generic.baseUrl}"
  token    = "${c.generic.token}"
}

provider "scim" {
  alias    = "both"
  endpoint = "${c.proxy.baseUrl}"
  token    = "${c.generic.token}"
  username = "${c.proxy.username}"
  password = "${c.proxy.password}"
}`,
      `resource "scim_user" "x" {
  user_name = ""
  emails    = [{ value = "not-an-email" }]
}

${bobOf('both')}`,
    ),
  );
  const calls = await initDir(
    hclWithProvider(
      `provider "scim" {
  alias       = "unreachable"
  endpoint    = "${endpoint}"
  token       = "${c.generic.token}"
  max_retries = 1
}

provider "scim" {
  alias    = "refused"
  endpoint = "${c.generic.baseUrl}"
  token    = "wrong-token-do-not-print"
}`,
      `${bobOf('unreachable')}\n${bobOf('refused')}`,
    ),
  );
  const [v, r] = await Promise.all([validation.plan(), calls.plan()]);
  invalid = v;
  unreachable = { result: r, endpoint };
  refused = r;
});

test('empty user_name and an invalid email are errors at those attributes', () => {
  expect(invalid.code).toBe(1);
  const out = diagnosticsOf(invalid, 'scim_user.x');
  expect(out).toContain('Error: Empty user_name');
  expect(out).toMatch(/user_name = ""/);
  expect(out).toContain('Error: Invalid email address');
  expect(out).toMatch(/emails\s+= \[\{ value = "not-an-email" \}\]/);
  expect(out).toContain('"not-an-email", which is not an email address');
});

test('both auth schemes is an error that does not print the secrets', () => {
  const c = sb.credentials;
  expect(invalid.code).toBe(1);
  const out = diagnosticsOf(invalid, 'provider["registry.terraform.io/scimform/scim"].both');
  expect(out).toContain('Error: Conflicting SCIM authentication');
  expect(out).toContain('`token` (bearer) and `username`/`password` (HTTP Basic)');
  expect(output(invalid)).not.toContain(c.generic.token);
  expect(output(invalid)).not.toContain(c.proxy.password);
});

test('an unreachable endpoint is named in the error', () => {
  const { result: r, endpoint } = unreachable;
  expect(r.code).toBe(1);
  const out = diagnosticsOf(r, 'scim_user.bob_unreachable');
  expect(out).toContain(`${endpoint}/Users`);
  expect(out).toContain('endpoint unreachable');
  expect(out).toContain('Check the provider `endpoint`');
  expect(output(r)).not.toContain(sb.credentials.generic.token);
});

test('a refused token (401) names the endpoint and what to check, not the token', () => {
  expect(refused.code).toBe(1);
  const out = diagnosticsOf(refused, 'scim_user.bob_refused');
  expect(out).toContain(`${sb.credentials.generic.baseUrl}/Users`);
  expect(out).toContain('401');
  expect(out).toContain('SCIM_TOKEN');
  expect(output(refused)).not.toContain('wrong-token-do-not-print');
});

test('server errors through every retry name the endpoint and the last status', async () => {
  const wd = await initDir(hcl(sb, 'generic', bob, '  max_retries = 1\n'));
  await sb.admin.setFaults('generic', { errorRate: 1, errorStatuses: [500] });
  try {
    const r = await wd.plan();
    expect(r.code).toBe(1);
    const out = output(r);
    expect(out).toContain(`${sb.credentials.generic.baseUrl}/Users`);
    expect(out).toMatch(/failed after 2 attempts/);
    expect(out).toContain('500');
    expect(out).toContain('max_retries');
  } finally {
    await sb.admin.setFaults('generic', {});
  }
});

test('no secret in plan output, state, TF_LOG=debug logs or the provisioning log', async () => {
  const c = sb.credentials;
  // Bearer token from the environment (SCIM_TOKEN), Basic credentials inline for the Proxy alias.
  const text = hclWithProvider(
    `provider "scim" {
  endpoint = "${c.generic.baseUrl}"
  log_file = "provisioning.jsonl"
}

provider "scim" {
  alias    = "proxy"
  endpoint = "${c.proxy.baseUrl}"
  profile  = "proxy"
  username = "${c.proxy.username}"
  password = "${c.proxy.password}"
  log_file = "provisioning-proxy.jsonl"
}`,
    `${bob}
resource "scim_user" "pia" {
  provider  = scim.proxy
  user_name = "pia@example.com"
}
`,
  );
  const wd = await initDir(text, { SCIM_TOKEN: c.generic.token });
  const env = { TF_LOG: 'debug', SCIM_TOKEN: c.generic.token };
  const plan = await wd.run(['plan', '-input=false', '-no-color'], env);
  const apply = await wd.run(['apply', '-auto-approve', '-input=false', '-no-color'], env);
  expect(apply.code).toBe(0);
  const show = await wd.run(['show', '-json']);
  expect(show.code).toBe(0);
  expect(apply.stderr).toContain('scim request'); // the provider's debug log reached Terraform's log
  const provisioning = fs.readFileSync(path.join(wd.dir, 'provisioning.jsonl'), 'utf8') + fs.readFileSync(path.join(wd.dir, 'provisioning-proxy.jsonl'), 'utf8');
  expect(provisioning).toContain('"method":"POST"');
  const state = fs.readFileSync(path.join(wd.dir, 'terraform.tfstate'), 'utf8');
  const basic = Buffer.from(`${c.proxy.username}:${c.proxy.password}`).toString('base64');
  for (const [what, text] of Object.entries({ plan: output(plan), apply: output(apply), show: show.stdout, state, provisioning })) {
    for (const secret of [c.generic.token, c.proxy.password, basic]) {
      if (text.includes(secret)) throw new Error(`a secret appears in ${what}`);
    }
  }
});
