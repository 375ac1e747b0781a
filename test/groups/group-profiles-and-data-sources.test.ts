// What the provider says before it changes anything: groups refused at plan time on users-only profiles
// (Proxyclick, Promapp), unknown member ids named, the "test connection" data source (capabilities, bad token,
// unreachable endpoint), the user/users/group data sources, and groups on the Proxy app (HTTP Basic).
import * as net from 'node:net';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import type { TerraformWorkdir } from '../support/terraform';
import { config, initialised, memberIds, output, providerBlock, seedUsers, writes } from './group-fixture';

let sb: TestSandbox;
const open: TerraformWorkdir[] = [];

beforeAll(async () => {
  sb = await startTestSandbox();
});

afterAll(async () => {
  for (const wd of open) await wd.cleanup();
  await sb?.stop();
});

async function workdir(provider: string, body: string): Promise<TerraformWorkdir> {
  const wd = await initialised(config(provider, body));
  open.push(wd);
  return wd;
}

/** A 127.0.0.1 port nothing listens on. */
async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('users-only connector profiles', () => {
  test.each([
    ['proxyclick', 'Proxyclick'],
    ['promapp', 'Promapp'],
  ] as const)('a scim_group on the %s profile fails at plan time, naming the profile', async (tenant, title) => {
    const wd = await workdir(providerBlock(sb, tenant), `resource "scim_group" "eng" {\n  display_name = "Engineering"\n}\n`);
    await sb.admin.clearRequestLog(tenant);
    const r = await wd.plan(['-detailed-exitcode']);
    expect(r.code).toBe(1);
    const text = output(r);
    expect(text).toContain(`scim_group is not supported by the "${tenant}" connector profile`);
    expect(text).toContain(`The ${title} app provisions users only`);
    expect(text).toContain('with scim_group.eng');
    expect(writes(await sb.admin.requestLog(tenant))).toEqual([]);
  });

  test('scim_group_member is refused the same way', async () => {
    const wd = await workdir(providerBlock(sb, 'proxyclick'), `resource "scim_group_member" "m" {\n  group_id = "g"\n  user_id  = "u"\n}\n`);
    const r = await wd.plan();
    expect(r.code).toBe(1);
    expect(output(r)).toContain('scim_group_member is not supported by the "proxyclick" connector profile');
  });
});

test('an unknown member id fails the plan with a diagnostic naming the member; nothing is written', async () => {
  const [known] = await seedUsers(sb, 'generic', ['known@example.com']);
  const wd = await workdir(
    providerBlock(sb, 'generic'),
    `resource "scim_group" "eng" {\n  display_name = "Engineering"\n  members      = ["${known}", "no-such-user"]\n}\n`,
  );
  await sb.admin.clearRequestLog('generic');
  const r = await wd.apply();
  expect(r.code).toBe(1);
  const text = output(r);
  expect(text).toContain('Unknown group member no-such-user');
  expect(text).toContain('with scim_group.eng');
  expect(text).toContain('members');
  expect(text).not.toContain(`Unknown group member ${known}`);
  expect(writes(await sb.admin.requestLog('generic'))).toEqual([]);
});

describe('scim_service_provider_config (test connection)', () => {
  const body = `data "scim_service_provider_config" "app" {}

output "caps" {
  value = data.scim_service_provider_config.app
}
`;

  test('reports the server capabilities', async () => {
    const wd = await workdir(providerBlock(sb, 'generic'), body);
    const r = await wd.apply();
    expect(output(r)).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    const out = await wd.run(['output', '-json', 'caps']);
    const caps = JSON.parse(out.stdout);
    expect(caps).toMatchObject({ profile: 'generic', discovered: true, patch_supported: true, filter_supported: true, bulk_supported: false });
    expect(typeof caps.filter_max_results).toBe('number');
    expect(caps.authentication_schemes.length).toBeGreaterThan(0);
    expect(caps.authentication_schemes[0].type).toMatch(/bearer/i);
  });

  test('fails cleanly on a refused credential, without printing it', async () => {
    const bad = 'wrong-token-5f1c2b7e9d';
    const wd = await workdir(providerBlock(sb, 'generic', { token: bad }), body);
    const r = await wd.plan();
    expect(r.code).toBe(1);
    const text = output(r);
    expect(text).toContain('Test connection failed: credential refused');
    expect(text).toContain('401');
    expect(text).not.toContain(bad);
  });

  test('fails cleanly when the endpoint is unreachable', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}/scim/v2`;
    const wd = await workdir(providerBlock(sb, 'generic', { endpoint, extra: '  max_retries = 0\n  timeout     = 5\n' }), body);
    const r = await wd.plan();
    expect(r.code).toBe(1);
    const text = output(r);
    expect(text).toContain('Test connection failed: endpoint unreachable');
    expect(text).toContain(endpoint);
  });
});

test('data sources read users and groups by id, name and filter', async () => {
  const [ivy, jon] = await seedUsers(sb, 'generic', ['ivy@example.com', 'jon@example.com']);
  const [kim] = await seedUsers(sb, 'generic', ['kim@other.org']);
  const grp = await sb.admin.createGroup('generic', { displayName: 'Readers', externalId: 'r-1', members: [ivy, jon] });
  const wd = await workdir(
    providerBlock(sb, 'generic'),
    `data "scim_user" "ivy" {
  user_name = "IVY@example.com"
}

data "scim_user" "jon" {
  id = "${jon}"
}

data "scim_users" "example" {
  filter = "userName ew \\"@example.com\\""
}

data "scim_group" "by_name" {
  display_name = "readers"
}

data "scim_group" "by_id" {
  id = "${grp.id}"
}

output "result" {
  value = {
    ivy_id      = data.scim_user.ivy.id
    ivy_active  = data.scim_user.ivy.active
    ivy_email   = one(data.scim_user.ivy.emails).value
    jon_name    = data.scim_user.jon.user_name
    example_ids = sort(data.scim_users.example.ids)
    by_name_id  = data.scim_group.by_name.id
    by_id_name  = data.scim_group.by_id.display_name
    members     = sort(data.scim_group.by_id.members)
    external_id = data.scim_group.by_name.external_id
  }
}
`,
  );
  const r = await wd.apply();
  expect(output(r)).not.toMatch(/Error/);
  expect(r.code).toBe(0);
  const result = JSON.parse((await wd.run(['output', '-json', 'result'])).stdout);
  expect(result).toEqual({
    ivy_id: ivy,
    ivy_active: true,
    ivy_email: 'ivy@example.com',
    jon_name: 'jon@example.com',
    example_ids: expect.arrayContaining([ivy, jon]),
    by_name_id: grp.id,
    by_id_name: 'Readers',
    members: [ivy, jon].sort(),
    external_id: 'r-1',
  });
  expect(result.example_ids).not.toContain(kim);

  const missing = await workdir(providerBlock(sb, 'generic'), `data "scim_user" "nobody" {\n  user_name = "nobody@example.com"\n}\n`);
  const m = await missing.plan();
  expect(m.code).toBe(1);
  expect(output(m)).toContain('no user with userName "nobody@example.com" exists');
  const both = await workdir(providerBlock(sb, 'generic'), `data "scim_group" "g" {\n  id           = "x"\n  display_name = "y"\n}\n`);
  const b = await both.plan();
  expect(b.code).toBe(1);
  expect(output(b)).toContain('set only one of `id` or `display_name`');
});

test('groups on the Proxy app (HTTP Basic, 204 answers to PATCH) apply and then plan clean', async () => {
  const [a, b, c] = await seedUsers(sb, 'proxy', ['pa@example.com', 'pb@example.com', 'pc@example.com']);
  const group = (m: string[]) => `resource "scim_group" "team" {\n  display_name = "Team"\n  members      = [${m.map((x) => `"${x}"`).join(', ')}]\n}\n`;
  const wd = await workdir(providerBlock(sb, 'proxy'), group([a, b]));
  expect((await wd.apply()).code).toBe(0);
  const team = (await sb.admin.listGroups('proxy'))[0];
  expect(await memberIds(sb, 'proxy', team.id)).toEqual([a, b].sort());
  expect((await wd.plan(['-detailed-exitcode'])).code).toBe(0);
  wd.setHcl(config(providerBlock(sb, 'proxy'), group([a, c])));
  expect((await wd.apply()).code).toBe(0);
  expect(await memberIds(sb, 'proxy', team.id)).toEqual([a, c].sort());
  expect((await wd.plan(['-detailed-exitcode'])).code).toBe(0);
});
