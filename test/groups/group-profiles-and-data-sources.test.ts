// What the provider says before it changes anything: groups refused at plan time on users-only profiles
// (Proxyclick, Promapp), unknown member ids named, the "test connection" data source (capabilities, bad token,
// unreachable endpoint), the user/users/group data sources, and groups on the Proxy app (HTTP Basic).
// The cases refused at plan time are independent: they run as ONE `terraform apply` of one configuration (a
// provider alias per app or credential), and each test asserts the diagnostic that names its own address.
import * as net from 'node:net';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import type { TerraformWorkdir, TfResult } from '../support/terraform';
import { diagnosticsOf } from '../support/diagnostics';
import type { RequestLogEntry } from '../../sandbox';
import { config, initialised, memberIds, output, providerBlock, seedUsers, writes } from './group-fixture';

let sb: TestSandbox;
const open: TerraformWorkdir[] = [];

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

const BAD_TOKEN = 'wrong-token-5f1c2b7e9d';
const alias = (name: string) => `  alias = "${name}"\n`;

/** The one run of every case refused at plan time, and the writes each tenant saw during it. */
let refused: TfResult;
let refusedWrites: Record<'generic' | 'proxyclick' | 'promapp', RequestLogEntry[]>;
let known: string;
let unreachable: string;

/** The data sources' run (test connection and the user/users/group reads) and what the test reads back. */
let readsApply: TfResult;
let readsWd: TerraformWorkdir;
let seeded: { ivy: string; jon: string; kim: string; readers: string };

beforeAll(async () => {
  sb = await startTestSandbox();
  [known] = await seedUsers(sb, 'generic', ['known@example.com']);
  const [ivy, jon] = await seedUsers(sb, 'generic', ['ivy@example.com', 'jon@example.com']);
  const [kim] = await seedUsers(sb, 'generic', ['kim@other.org']);
  const readers = (await sb.admin.createGroup('generic', { displayName: 'Readers', externalId: 'r-1', members: [ivy, jon] })).id;
  seeded = { ivy, jon, kim, readers };
  unreachable = `http://127.0.0.1:${await closedPort()}/scim/v2`;

  const refusals = await workdir(
    [
      providerBlock(sb, 'generic'),
      providerBlock(sb, 'proxyclick', { extra: alias('proxyclick') }),
      providerBlock(sb, 'promapp', { extra: alias('promapp') }),
      providerBlock(sb, 'generic', { token: BAD_TOKEN, extra: alias('bad_token') }),
      providerBlock(sb, 'generic', { endpoint: unreachable, extra: `${alias('unreachable')}  max_retries = 0\n  timeout     = 5\n` }),
    ].join('\n'),
    `resource "scim_group" "eng_proxyclick" {
  provider     = scim.proxyclick
  display_name = "Engineering"
}

resource "scim_group" "eng_promapp" {
  provider     = scim.promapp
  display_name = "Engineering"
}

resource "scim_group_member" "m" {
  provider = scim.proxyclick
  group_id = "g"
  user_id  = "u"
}

resource "scim_group" "eng" {
  display_name = "Engineering"
  members      = ["${known}", "no-such-user"]
}

data "scim_service_provider_config" "bad_token" {
  provider = scim.bad_token
}

data "scim_service_provider_config" "unreachable" {
  provider = scim.unreachable
}

data "scim_user" "nobody" {
  user_name = "nobody@example.com"
}
`,
  );
  readsWd = await workdir(
    providerBlock(sb, 'generic'),
    `data "scim_service_provider_config" "app" {}

output "caps" {
  value = data.scim_service_provider_config.app
}

data "scim_user" "ivy" {
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
  id = "${readers}"
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
  for (const t of ['generic', 'proxyclick', 'promapp'] as const) await sb.admin.clearRequestLog(t);
  // Two working directories, two terraform commands at once (the data sources only read).
  [refused, readsApply] = await Promise.all([refusals.apply(), readsWd.apply()]);
  refusedWrites = {
    generic: writes(await sb.admin.requestLog('generic')),
    proxyclick: writes(await sb.admin.requestLog('proxyclick')),
    promapp: writes(await sb.admin.requestLog('promapp')),
  };
}, 180_000);

afterAll(async () => {
  for (const wd of open) await wd.cleanup();
  await sb?.stop();
});

test('the refused cases fail the plan: apply stops before creating anything', () => {
  expect(refused.code).toBe(1);
  expect(output(refused)).not.toMatch(/Creating\.\.\.|Creation complete/);
});

describe('users-only connector profiles', () => {
  test.each([
    ['proxyclick', 'Proxyclick'],
    ['promapp', 'Promapp'],
  ] as const)('a scim_group on the %s profile fails at plan time, naming the profile', (tenant, title) => {
    const text = diagnosticsOf(refused, `scim_group.eng_${tenant}`);
    expect(text).toContain(`scim_group is not supported by the "${tenant}" connector profile`);
    expect(text).toContain(`The ${title} app provisions users only`);
    expect(text).toContain(`with scim_group.eng_${tenant}`);
    expect(refusedWrites[tenant]).toEqual([]);
  });

  test('scim_group_member is refused the same way', () => {
    expect(diagnosticsOf(refused, 'scim_group_member.m')).toContain('scim_group_member is not supported by the "proxyclick" connector profile');
  });
});

test('an unknown member id fails the plan with a diagnostic naming the member; nothing is written', () => {
  const text = diagnosticsOf(refused, 'scim_group.eng');
  expect(text).toContain('Unknown group member no-such-user');
  expect(text).toContain('with scim_group.eng');
  expect(text).toContain('members');
  expect(output(refused)).not.toContain(`Unknown group member ${known}`);
  expect(refusedWrites.generic).toEqual([]);
});

describe('scim_service_provider_config (test connection)', () => {
  test('reports the server capabilities', async () => {
    expect(output(readsApply)).not.toMatch(/Error/);
    expect(readsApply.code).toBe(0);
    const out = await readsWd.run(['output', '-json', 'caps']);
    const caps = JSON.parse(out.stdout);
    expect(caps).toMatchObject({ profile: 'generic', discovered: true, patch_supported: true, filter_supported: true, bulk_supported: false });
    expect(typeof caps.filter_max_results).toBe('number');
    expect(caps.authentication_schemes.length).toBeGreaterThan(0);
    expect(caps.authentication_schemes[0].type).toMatch(/bearer/i);
  });

  test('fails cleanly on a refused credential, without printing it', () => {
    const text = diagnosticsOf(refused, 'data.scim_service_provider_config.bad_token');
    expect(text).toContain('Test connection failed: credential refused');
    expect(text).toContain('401');
    expect(output(refused)).not.toContain(BAD_TOKEN);
  });

  test('fails cleanly when the endpoint is unreachable', () => {
    const text = diagnosticsOf(refused, 'data.scim_service_provider_config.unreachable');
    expect(text).toContain('Test connection failed: endpoint unreachable');
    expect(text).toContain(unreachable);
  });
});

test('data sources read users and groups by id, name and filter', async () => {
  const { ivy, jon, kim, readers } = seeded;
  expect(output(readsApply)).not.toMatch(/Error/);
  expect(readsApply.code).toBe(0);
  const result = JSON.parse((await readsWd.run(['output', '-json', 'result'])).stdout);
  expect(result).toEqual({
    ivy_id: ivy,
    ivy_active: true,
    ivy_email: 'ivy@example.com',
    jon_name: 'jon@example.com',
    example_ids: expect.arrayContaining([ivy, jon]),
    by_name_id: readers,
    by_id_name: 'Readers',
    members: [ivy, jon].sort(),
    external_id: 'r-1',
  });
  expect(result.example_ids).not.toContain(kim);

  expect(diagnosticsOf(refused, 'data.scim_user.nobody')).toContain('no user with userName "nobody@example.com" exists');
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
