// The plugin layer under the real `terraform` binary, with the test-only provider scimform/testkit
// installed into a temporary filesystem mirror: offline init → plan → apply → no-op plan (exit 0) →
// in-place update → replacement → import → drift → diagnostics with attribute paths → destroy.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { installProviderInto, stateResources, TerraformWorkdir } from '../support/terraform';

let dir: string;
let store: string;
let cliConfigFile: string;
let installedH1: string;
let wd: TerraformWorkdir;

const hcl = (body: string) => `
terraform {
  required_providers {
    testkit = { source = "scimform/testkit" }
  }
}

provider "testkit" {
  store = ${JSON.stringify(store)}
}
${body}
`;

const thingA = (over: { color?: string; size?: number; extra?: string } = {}) => `
resource "testkit_thing" "a" {
  name    = "alpha"
  size    = ${over.size ?? 3}
  enabled = true
  tags    = ["x", "y"]
  labels  = { team = "blue" }
  secret  = "hunter2"
  spec    = { color = ${JSON.stringify(over.color ?? 'red')} }
  ports   = [{ number = 80 }, { number = 443, protocol = "tcp6" }]
  ${over.extra ?? ''}
}
`;

const thingB = `
resource "testkit_thing" "b" {
  name = "beta"
  ref  = testkit_thing.a.id
}

data "testkit_echo" "e" {
  input = "hello"
}

output "echo" {
  value = data.testkit_echo.e.output
}
`;

const thingC = `
resource "testkit_thing" "c" {
  name = "gamma"
}
`;

const readStore = () => JSON.parse(fs.readFileSync(store, 'utf8')) as Record<string, Record<string, unknown>>;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-testkit-'));
  store = path.join(dir, 'store.json');
  const installed = await installProviderInto(path.join(dir, 'install'), {
    entry: path.join(__dirname, 'fixtures/testkit-main.ts'),
    address: { hostname: 'registry.terraform.io', namespace: 'scimform', type: 'testkit' },
    version: '0.0.1',
  });
  cliConfigFile = installed.cliConfigFile;
  installedH1 = installed.h1;
  wd = await TerraformWorkdir.create(hcl(thingA() + thingB), {}, { cliConfigFile });
});

afterAll(async () => {
  await wd?.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('testkit provider under terraform', () => {
  test('init installs the provider offline from the filesystem mirror', async () => {
    const r = await wd.init();
    expect(r.stdout).toMatch(/Installed scimform\/testkit v0\.0\.1/);
    // Terraform records the same package checksum the installer computed.
    const lock = fs.readFileSync(path.join(wd.dir, '.terraform.lock.hcl'), 'utf8');
    expect(lock).toMatch(/provider "registry\.terraform\.io\/scimform\/testkit"/);
    expect(lock).toContain(`"${installedH1}"`);
  });

  test('plan shows two creates, unknowns from another resource, defaults, and hides the sensitive value', async () => {
    const r = await wd.plan(['-out=tfplan']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Plan: 2 to add, 0 to change, 0 to destroy/);
    expect(r.stdout).toMatch(/secret\s+= \(sensitive value\)/);
    expect(r.stdout).not.toMatch(/hunter2/);
    const plan = await wd.showPlanJson('tfplan');
    const changes = Object.fromEntries(plan.resource_changes.map((c: any) => [c.address, c.change]));
    expect(changes['testkit_thing.a'].actions).toEqual(['create']);
    expect(changes['testkit_thing.a'].after).toMatchObject({ name: 'alpha', mode: 'standard', spec: { color: 'red' } });
    expect(changes['testkit_thing.a'].after_unknown).toMatchObject({ id: true, created_at: true, spec: { shade: true } });
    expect(changes['testkit_thing.a'].after_sensitive).toMatchObject({ secret: true });
    expect(changes['testkit_thing.b'].after_unknown).toMatchObject({ ref: true, id: true });
  });

  test('apply creates both; state holds computed values and the resolved reference', async () => {
    const r = await wd.apply(['tfplan']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Apply complete! Resources: 2 added, 0 changed, 0 destroyed/);
    expect(r.stdout).toMatch(/echo = "HELLO"/);
    const res = stateResources(await wd.state());
    const a = res['testkit_thing.a'].values;
    expect(a).toMatchObject({ name: 'alpha', size: 3, mode: 'standard', spec: { color: 'red', shade: 'red-ish' }, tags: ['x', 'y'] });
    expect(a.ports).toEqual(expect.arrayContaining([{ number: 80, protocol: 'tcp' }, { number: 443, protocol: 'tcp6' }]));
    expect(res['testkit_thing.a'].sensitive_values).toMatchObject({ secret: true });
    expect(res['testkit_thing.b'].values.ref).toBe(a.id);
    expect(Object.keys(readStore()).sort()).toEqual([a.id, res['testkit_thing.b'].values.id].sort());
  });

  test('an unchanged configuration plans no changes: -detailed-exitcode exits 0', async () => {
    const r = await wd.plan(['-detailed-exitcode']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/No changes\./);
    expect(r.code).toBe(0);
  });

  test('a changed attribute is an in-place update with computed values known after apply', async () => {
    wd.setHcl(hcl(thingA({ color: 'blue', size: 4 }) + thingB));
    const plan = await wd.plan(['-detailed-exitcode']);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toMatch(/testkit_thing\.a will be updated in-place/);
    expect(plan.stdout).toMatch(/size\s+= 3 -> 4/);
    expect(plan.stdout).toMatch(/shade\s+= "red-ish" -> \(known after apply\)/);
    expect(plan.stdout).toMatch(/Plan: 0 to add, 1 to change, 0 to destroy/);
    const id = stateResources(await wd.state())['testkit_thing.a'].values.id;
    const apply = await wd.apply();
    expect(apply.code).toBe(0);
    const a = stateResources(await wd.state())['testkit_thing.a'].values;
    expect(a).toMatchObject({ id, size: 4, spec: { color: 'blue', shade: 'blue-ish' } });
    expect((await wd.plan(['-detailed-exitcode'])).code).toBe(0);
  });

  test('an attribute the provider marks as forcing replacement plans a replacement', async () => {
    wd.setHcl(hcl(thingA({ color: 'blue', size: 4, extra: 'replace_key = "k2"' }) + thingB));
    const plan = await wd.plan();
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/testkit_thing\.a must be replaced/);
    expect(plan.stdout).toMatch(/replace_key\s+= "k2" # forces replacement/);
    wd.setHcl(hcl(thingA({ color: 'blue', size: 4 }) + thingB));
  });

  test('import by id reads the object, after which the plan is clean', async () => {
    const s = readStore();
    s.imported1 = { id: 'imported1', name: 'gamma', size: null, enabled: null, tags: null, labels: null, secret: null, mode: 'standard', ref: null, replace_key: null, created_at: '2024-01-01T00:00:00Z', spec: null, ports: null };
    fs.writeFileSync(store, JSON.stringify(s));
    wd.setHcl(hcl(thingA({ color: 'blue', size: 4 }) + thingB + thingC));
    const r = await wd.import('testkit_thing.c', 'imported1');
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/Import successful!/);
    expect(stateResources(await wd.state())['testkit_thing.c'].values).toMatchObject({ id: 'imported1', name: 'gamma', mode: 'standard' });
    expect((await wd.plan(['-detailed-exitcode'])).code).toBe(0);
    const missing = await wd.import('testkit_thing.c', 'nope');
    expect(missing.code).toBe(1);
  });

  test('an object deleted outside Terraform is planned for re-creation', async () => {
    const s = readStore();
    delete s.imported1;
    fs.writeFileSync(store, JSON.stringify(s));
    const plan = await wd.plan(['-detailed-exitcode']);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toMatch(/testkit_thing\.c will be created/);
    expect(plan.stdout).toMatch(/Plan: 1 to add, 0 to change, 0 to destroy/);
  });

  test('validation errors point at the attribute in the configuration', async () => {
    wd.setHcl(
      hcl(`
resource "testkit_thing" "bad" {
  name   = ""
  labels = { bad = "1" }
  size   = 13
}

resource "testkit_thing" "uv" {
  name = "uv"
  spec = { color = "ultraviolet" }
}
`),
    );
    const r = await wd.plan();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Error: Empty name\n\n\s+with testkit_thing\.bad,\n\s+on main\.tf line \d+, in resource "testkit_thing" "bad":\n\s*\d+:\s+name\s+= ""/);
    expect(r.stderr).toMatch(/Error: Forbidden label\n\n\s+with testkit_thing\.bad,\n\s+on main\.tf line \d+, in resource "testkit_thing" "bad":\n\s*\d+:\s+labels = \{ bad = "1" \}/);
    // A path into a nested attribute points at the attribute and names the full path in the detail.
    expect(r.stderr).toMatch(/Error: Invisible color\n\n\s+with testkit_thing\.uv,\n\s+on main\.tf line \d+, in resource "testkit_thing" "uv":\n\s*\d+:\s+spec = \{ color = "ultraviolet" \}\n\nNobody can see ultraviolet; pick another color\. \(at spec\.color\)/);
    expect(r.stdout + r.stderr).toMatch(/Warning: Unlucky size/);
    expect(r.stderr).not.toMatch(/plugin (crashed|exited)/i);
  });

  test('a handler failure during apply is an error diagnostic, not a crash', async () => {
    wd.setHcl(hcl(thingA({ color: 'blue', size: 4 }) + thingB + thingC + 'resource "testkit_thing" "boom" {\n  name = "explode"\n}\n'));
    const r = await wd.apply();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Error: Creating testkit_thing failed/);
    expect(r.stderr).toMatch(/the store refused to create "explode"/);
    expect(r.stderr).not.toMatch(/plugin (crashed|exited)|unexpected EOF/i);
    expect(stateResources(await wd.state())['testkit_thing.boom']).toBeUndefined();
    expect(stateResources(await wd.state())['testkit_thing.c']).toBeDefined(); // other resources went ahead
  });

  test('destroy removes everything', async () => {
    wd.setHcl(hcl(thingA({ color: 'blue', size: 4 }) + thingB + thingC));
    const r = await wd.destroy();
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Destroy complete! Resources: 3 destroyed/);
    expect(readStore()).toEqual({});
  });
});
