// Acceptance findings on scim_user, each with the real terraform binary against the sandbox's generic tenant:
// moving the primary flag leaves exactly one primary email, values "known after apply" (meta) are known right
// after create and update, and an https:// endpoint that speaks plain HTTP is named as such.
import { hcl, hclWithProvider, output, stateValues, startTestSandbox, workdir, type TestSandbox, type Workdir } from './tf-fixture';

const carol = (emails: string) => `resource "scim_user" "carol" {
  user_name = "carol@example.com"
  emails    = [${emails}]
}

output "carol_location" {
  value = scim_user.carol.meta.location
}
`;
const WORK_PRIMARY = '{ value = "carol@example.com", type = "work", primary = true }, { value = "carol@home.example", type = "home" }';
const HOME_PRIMARY = '{ value = "carol@example.com", type = "work" }, { value = "carol@home.example", type = "home", primary = true }';

let sb: TestSandbox;
let wd: Workdir;
let id: string;

beforeAll(async () => {
  sb = await startTestSandbox();
  wd = await workdir(hcl(sb, 'generic', carol(WORK_PRIMARY)));
  await wd.init();
});

afterAll(async () => {
  await wd?.cleanup();
  await sb?.stop();
});

const primaries = async () => ((await sb.admin.getUser('generic', id))?.emails ?? []).filter((e: { primary?: boolean }) => e.primary === true).map((e: { value: string }) => e.value);

test('meta is known right after create: an output reading it works in the same apply', async () => {
  const r = await wd.apply();
  id = (await sb.admin.listUsers('generic'))[0].id;
  expect(output(r)).not.toMatch(/Error/);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain(`carol_location = "${sb.credentials.generic.baseUrl}/Users/${id}"`);
  const meta = stateValues((await wd.run(['show', '-json'])).stdout, 'scim_user.carol').meta as Record<string, unknown>;
  expect(meta).toMatchObject({ resource_type: 'User', location: expect.stringContaining(id), created: expect.any(String), last_modified: expect.any(String) });
});

test('moving primary = true to another email leaves exactly one primary on the server', async () => {
  expect(await primaries()).toEqual(['carol@example.com']);
  wd.setHcl(hcl(sb, 'generic', carol(HOME_PRIMARY)));
  const plan = await wd.plan('-detailed-exitcode', '-out=primary.tfplan');
  expect(plan.code).toBe(2);
  expect(plan.stdout).toMatch(/\+ primary = false/);
  const r = await wd.apply('primary.tfplan');
  expect(output(r)).not.toMatch(/Error/);
  expect(await primaries()).toEqual(['carol@home.example']);
  expect((await wd.plan('-detailed-exitcode')).code).toBe(0);

  // ...and back again.
  wd.setHcl(hcl(sb, 'generic', carol(WORK_PRIMARY)));
  expect((await wd.apply()).code).toBe(0);
  expect(await primaries()).toEqual(['carol@example.com']);
  expect((await wd.plan('-detailed-exitcode')).code).toBe(0);
});

test('after an update the state holds the new meta.last_modified and version, not null', async () => {
  wd.setHcl(hcl(sb, 'generic', carol(WORK_PRIMARY).replace('user_name = "carol@example.com"', 'user_name = "carol@example.com"\n  title     = "Chef"')));
  expect((await wd.apply()).code).toBe(0);
  const server = await sb.admin.getUser('generic', id);
  const meta = stateValues((await wd.run(['show', '-json'])).stdout, 'scim_user.carol').meta as Record<string, unknown>;
  expect(meta.last_modified).toBe(server?.meta?.lastModified);
  expect(meta.version).toBe(server?.meta?.version);
});

test('an https:// endpoint served over plain HTTP is reported as "not TLS", not as an untrusted certificate', async () => {
  const c = sb.credentials.generic;
  const provider = `provider "scim" {\n  endpoint    = "${c.baseUrl.replace('http://', 'https://')}"\n  token       = "${c.token}"\n  max_retries = 0\n}`;
  const tls = await workdir(hclWithProvider(provider, 'resource "scim_user" "x" {\n  user_name = "x@example.com"\n}'));
  try {
    await tls.init();
    const r = await tls.plan();
    expect(r.code).not.toBe(0);
    expect(output(r)).toMatch(/did not answer with TLS .*use an http:\/\/ endpoint/);
    expect(output(r)).not.toContain('not trusted');
  } finally {
    await tls.cleanup();
  }
});
