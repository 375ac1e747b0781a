// The seed apps' quirks through the real terraform binary: Proxyclick (userName is the primary email), Promapp
// (userName changes go by PUT; DELETE only deactivates), Proxy (lower-cased emails without drift; a pending
// account cannot be deactivated, and the run says so and keeps the resource for a later retry).
import { hcl, output, requests, startTestSandbox, workdir, type TestSandbox, type TfResult, type Workdir } from './tf-fixture';

let sb: TestSandbox;
const dirs: Workdir[] = [];

beforeAll(async () => {
  sb = await startTestSandbox();
});

afterAll(async () => {
  for (const d of dirs) await d.cleanup();
  await sb?.stop();
});

async function initDir(text: string): Promise<Workdir> {
  const wd = await workdir(text);
  dirs.push(wd);
  expect((await wd.init()).code).toBe(0);
  return wd;
}

describe('Proxyclick: userName and the primary email are one value', () => {
  const carol = (userName: string) => `resource "scim_user" "carol" {
  user_name    = "${userName}"
  display_name = "Carol"
}
`;
  let wd: Workdir;

  test('with emails unset, the plan shows user_name as the email', async () => {
    wd = await initDir(hcl(sb, 'proxyclick', carol('Carol@Example.com')));
    const plan = await wd.plan('-out=create.tfplan');
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/\+ emails\s+= \[\s+\+ \{\s+\+ value = "Carol@Example.com"/);
    expect((await wd.apply('create.tfplan')).code).toBe(0);
    const [u] = await sb.admin.listUsers('proxyclick');
    expect(u.emails[0].value.toLowerCase()).toBe('carol@example.com');
    expect((await wd.plan('-detailed-exitcode')).code).toBe(0);
  });

  test('changing user_name changes the email too, visibly, with no drift afterwards', async () => {
    wd.setHcl(hcl(sb, 'proxyclick', carol('carol.new@example.com')));
    const plan = await wd.plan('-detailed-exitcode', '-out=rename.tfplan');
    expect(plan.code).toBe(2);
    expect(plan.stdout).toMatch(/~ user_name\s+= "Carol@Example.com" -> "carol.new@example.com"/);
    expect(plan.stdout).toContain('+ value = "carol.new@example.com"');
    expect((await wd.apply('rename.tfplan')).code).toBe(0);
    const [u] = await sb.admin.listUsers('proxyclick');
    expect(u.userName).toBe('carol.new@example.com');
    expect(u.emails[0].value).toBe('carol.new@example.com');
    expect((await wd.plan('-detailed-exitcode')).code).toBe(0);
  });

  test('a primary email different from user_name, or a user_name that is no email, fails the plan at the attribute', async () => {
    const bad = `resource "scim_user" "dave" {
  user_name = "dave@example.com"
  emails    = [{ value = "other@example.com", primary = true }]
}
resource "scim_user" "eve" {
  user_name = "eve"
}
`;
    const d = await initDir(hcl(sb, 'proxyclick', bad));
    const r = await d.plan();
    expect(r.code).toBe(1);
    const out = output(r);
    expect(out).toContain('Error: Proxyclick keeps user_name and email equal');
    expect(out).toMatch(/emails\s+= \[\{ value = "other@example.com", primary = true \}\]/); // the source line of `emails`
    expect(out).toContain('Error: Proxyclick needs an email address as user_name');
    expect(out).toMatch(/user_name = "eve"/);
  });
});

describe('Promapp: userName changes go by PUT', () => {
  const erin = (userName: string, extra = '') => `resource "scim_user" "erin" {
  user_name = "${userName}"
  name      = { given_name = "Erin", family_name = "Lee" }
  emails    = [{ value = "erin@example.com", type = "work", primary = true }]
${extra}}
`;

  test('a user_name change is sent as one PUT, and plans stay clean', async () => {
    const wd = await initDir(hcl(sb, 'promapp', erin('erin@example.com')));
    expect((await wd.apply()).code).toBe(0);
    const [created] = await sb.admin.listUsers('promapp');
    const before = (await sb.admin.requestLog('promapp')).length;
    wd.setHcl(hcl(sb, 'promapp', erin('erin.lee@example.com')));
    const r = await wd.apply();
    expect(r.code).toBe(0);
    const log = (await sb.admin.requestLog('promapp')).slice(before);
    expect(requests(log, 'PUT', `/Users/${created.id}`)).toEqual([expect.objectContaining({ status: 200 })]);
    expect(requests(log, 'PATCH')).toHaveLength(0);
    expect((await sb.admin.getUser('promapp', created.id)).userName).toBe('erin.lee@example.com');
    expect((await wd.plan('-detailed-exitcode')).code).toBe(0);

    // on_destroy = "delete" on Promapp: the plan warns that DELETE only deactivates, and so it does.
    wd.setHcl(hcl(sb, 'promapp', erin('erin.lee@example.com', '  on_destroy = "delete"\n')));
    const plan = await wd.plan('-out=delete.tfplan');
    expect(output(plan)).toContain('Warning: Promapp cannot delete accounts');
    expect((await wd.apply('delete.tfplan')).code).toBe(0);
    expect((await wd.destroy()).code).toBe(0);
    expect((await sb.admin.getUser('promapp', created.id)).active).toBe(false);
  });
});

describe('Proxy: lower-cased emails and pending accounts', () => {
  // frank and gina are independent accounts of one tenant: one working directory, one apply, one no-op plan.
  const frank = `resource "scim_user" "frank" {
  user_name = "Frank@Example.com"
  emails    = [{ value = "Frank.Stone@Example.com", primary = true }, { value = "F.Stone@Home.Example", type = "home" }]
}
`;
  const gina = `resource "scim_user" "gina" {
  user_name = "gina@example.com"
  active    = false
}
`;
  let wd: Workdir;
  let created: TfResult;
  let noop: TfResult;

  beforeAll(async () => {
    wd = await initDir(hcl(sb, 'proxy', `${frank}\n${gina}`));
    created = await wd.apply();
    noop = await wd.plan('-detailed-exitcode');
  });

  test('mixed-case emails stored lower-cased never show as drift', async () => {
    expect(created.code).toBe(0);
    const [u] = (await sb.admin.listUsers('proxy')).filter((x: { userName: string }) => x.userName.toLowerCase() === 'frank@example.com');
    expect(u.emails.map((e: { value: string }) => e.value).sort()).toEqual(['f.stone@home.example', 'frank.stone@example.com']);
    expect(noop.code).toBe(0);
  });

  test('a pending account cannot be deactivated: destroy says so, keeps the resource, and a later run succeeds', async () => {
    expect(created.code).toBe(0);
    const [u] = (await sb.admin.listUsers('proxy')).filter((x: { userName: string }) => x.userName === 'gina@example.com');
    expect(u.sandboxStatus).toBe('pending');
    expect(noop.code).toBe(0);

    const refused = await wd.destroy();
    expect(refused.code).toBe(1);
    const out = output(refused);
    expect(out).toContain('Error: Cannot deactivate gina@example.com yet: the account is pending');
    expect(out).toContain('the next terraform destroy (or apply) retries the deactivation');
    expect((await wd.run(['state', 'list'])).stdout).toContain('scim_user.gina');

    // The person activates the account in the app; the next run deactivates it.
    await sb.admin.patchUser('proxy', u.id, { active: true });
    expect((await wd.destroy()).code).toBe(0);
    expect((await sb.admin.getUser('proxy', u.id)).sandboxStatus).toBe('inactive');
  });
});
