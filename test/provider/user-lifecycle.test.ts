// scim_user lifecycle with the real terraform binary against the sandbox's generic tenant: create, no-op,
// in-place update, drift repair, import by id and by user_name, destroy = deactivate, re-declare = adopt and
// reactivate, on_destroy = "delete", and never a duplicate POST. A reviewed change is planned with -out and that
// saved plan applied (what users run; apply then does not plan a second time).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hcl, output, requests, startTestSandbox, workdir, type TestSandbox, type Workdir } from './tf-fixture';

const alice = (displayName: string, extra = '') => `resource "scim_user" "alice" {
  user_name    = "Alice@Example.com"
  external_id  = "E1001"
  display_name = "${displayName}"
  name         = { given_name = "Alice", family_name = "Martin" }
  emails       = [{ value = "Alice@Example.com", type = "work", primary = true }]
  department   = "R&D"
${extra}}
`;

let sb: TestSandbox;
let wd: Workdir;
let id: string;

beforeAll(async () => {
  sb = await startTestSandbox();
  wd = await workdir(hcl(sb, 'generic', alice('Alice Martin')));
});

afterAll(async () => {
  await wd?.cleanup();
  await sb?.stop();
});

const user = () => sb.admin.getUser('generic', id);

test('terraform init works offline from the filesystem mirror', async () => {
  const r = await wd.init();
  expect(output(r)).not.toMatch(/Error/);
  expect(r.code).toBe(0);
});

test('plan shows the creation, with no adoption', async () => {
  const r = await wd.plan('-out=create.tfplan');
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('scim_user.alice will be created');
  expect(r.stdout).toMatch(/\+ user_name\s+= "Alice@Example.com"/);
  expect(r.stdout).toContain('Plan: 1 to add, 0 to change, 0 to destroy.');
  // Known only at apply (an account may appear between plan and apply of a saved plan); no adoption announced.
  expect(r.stdout).toMatch(/\+ existing_id\s+= \(known after apply\)/);
  expect(output(r)).not.toContain('will adopt existing account');
});

test('apply creates the account: one filter query per key, then one POST', async () => {
  const before = (await sb.admin.requestLog('generic')).length;
  // The plan the previous case reviewed (a plain apply would plan a second time).
  const r = await wd.apply('create.tfplan');
  const log = (await sb.admin.requestLog('generic')).slice(before);
  // Absence is confirmed once at apply (by userName, then externalId), not again inside the create.
  const filters = requests(log, 'GET').filter((e) => e.path.includes('filter=')).map((e) => decodeURIComponent(e.path).replace(/&.*/, ''));
  expect(filters).toEqual(['/Users?filter=userName eq "Alice@Example.com"', '/Users?filter=externalId eq "E1001"']);
  expect(requests(log, 'POST')).toHaveLength(1);
  expect(output(r)).not.toMatch(/Error/);
  expect(r.code).toBe(0);
  const users = await sb.admin.listUsers('generic');
  expect(users).toHaveLength(1);
  id = users[0].id;
  expect(users[0]).toMatchObject({ userName: 'Alice@Example.com', displayName: 'Alice Martin', externalId: 'E1001', active: true });
});

test('a second plan has nothing to do (exit code 0)', async () => {
  const r = await wd.plan('-detailed-exitcode');
  expect(r.stdout).toContain('No changes.');
  expect(r.code).toBe(0);
});

test('changing display_name is an in-place update', async () => {
  wd.setHcl(hcl(sb, 'generic', alice('Alice M.')));
  const plan = await wd.plan('-detailed-exitcode', '-out=update.tfplan');
  expect(plan.code).toBe(2);
  expect(plan.stdout).toContain('scim_user.alice will be updated in-place');
  expect(plan.stdout).toMatch(/~ display_name\s+= "Alice Martin" -> "Alice M."/);
  const before = (await sb.admin.requestLog('generic')).length;
  expect((await wd.apply('update.tfplan')).code).toBe(0);
  expect((await user()).displayName).toBe('Alice M.');
  const log = (await sb.admin.requestLog('generic')).slice(before);
  expect(requests(log, 'PATCH', `/Users/${id}`)).toHaveLength(1);
  expect(requests(log, 'POST')).toHaveLength(0);
  expect((await wd.plan('-detailed-exitcode')).code).toBe(0);
});

test('values the server adds to attributes the configuration does not set are no diff', async () => {
  await sb.admin.patchUser('generic', id, { title: 'Engineer', userType: 'Employee', nickName: 'Ali' });
  expect((await wd.plan('-detailed-exitcode')).code).toBe(0);
});

test('an out-of-band change is drift (exit code 2) and apply repairs it', async () => {
  await sb.admin.patchUser('generic', id, { displayName: 'Mallory', emails: [{ value: 'mallory@evil.example', type: 'work', primary: true }] });
  const plan = await wd.plan('-detailed-exitcode', '-out=repair.tfplan');
  expect(plan.code).toBe(2);
  expect(plan.stdout).toMatch(/~ display_name\s+= "Mallory" -> "Alice M."/);
  expect(plan.stdout).toContain('mallory@evil.example');
  expect((await wd.apply('repair.tfplan')).code).toBe(0);
  const repaired = await user();
  expect(repaired.displayName).toBe('Alice M.');
  expect(repaired.emails).toEqual([expect.objectContaining({ value: 'Alice@Example.com' })]);
  expect((await wd.plan('-detailed-exitcode')).code).toBe(0);
});

test('import by id gives a clean plan; import by user_name finds any letter case and keeps the spelling typed', async () => {
  expect((await wd.run(['state', 'rm', 'scim_user.alice'])).code).toBe(0);
  const byId = await wd.run(['import', '-input=false', 'scim_user.alice', id]);
  expect(output(byId)).toContain('Import successful');
  expect((await wd.plan('-detailed-exitcode')).code).toBe(0);

  // An import cannot see the configuration: the state takes the spelling of the import id (typed as configured,
  // the plan is clean: import-case.test.ts), so a different spelling is the only change the plan shows.
  expect((await wd.run(['state', 'rm', 'scim_user.alice'])).code).toBe(0);
  const byName = await wd.run(['import', '-input=false', 'scim_user.alice', 'user_name=alice@EXAMPLE.com']);
  expect(output(byName)).toContain('Import successful');
  const plan = await wd.plan('-detailed-exitcode');
  expect(plan.code).toBe(2);
  expect(plan.stdout).toMatch(/~ user_name\s+= "alice@EXAMPLE.com" -> "Alice@Example.com"/);
  expect(plan.stdout).toContain('Plan: 0 to add, 1 to change, 0 to destroy.');
});

test('importing an unknown user names what was looked for', async () => {
  const stateFile = path.join(wd.dir, 'terraform.tfstate');
  const withAlice = fs.readFileSync(stateFile);
  expect((await wd.run(['state', 'rm', 'scim_user.alice'])).code).toBe(0);
  const r = await wd.run(['import', '-input=false', 'scim_user.alice', 'user_name=nobody@example.com']);
  expect(r.code).not.toBe(0);
  expect(output(r)).toContain('No SCIM user with userName "nobody@example.com"');
  expect((await wd.run(['state', 'list'])).stdout).not.toContain('scim_user.alice');
  // The state from before `state rm` holds alice again for the next cases, without a second import by id (the
  // previous case asserts that one).
  fs.writeFileSync(stateFile, withAlice);
});

test('an account deleted outside Terraform leaves the state and the plan re-creates it', async () => {
  await sb.admin.deleteUser('generic', id);
  const plan = await wd.plan('-detailed-exitcode', '-out=recreate.tfplan');
  expect(plan.code).toBe(2);
  expect(plan.stdout).toContain('scim_user.alice will be created');
  expect(output(plan)).not.toContain('will adopt existing account');
  expect((await wd.apply('recreate.tfplan')).code).toBe(0);
  const users = await sb.admin.listUsers('generic');
  expect(users).toHaveLength(1);
  expect(users[0].id).not.toBe(id);
  id = users[0].id;
  expect((await wd.plan('-detailed-exitcode')).code).toBe(0);
});

test('destroy deactivates the account and keeps it', async () => {
  const r = await wd.destroy();
  expect(r.code).toBe(0);
  const kept = await user();
  expect(kept).toBeDefined();
  expect(kept.active).toBe(false);
});

test('declaring it again adopts it, announced at plan time; the reactivation is a second, reviewed plan', async () => {
  const plan = await wd.plan('-out=adopt.tfplan');
  expect(plan.code).toBe(0);
  expect(plan.stdout).toContain('scim_user.alice will be created');
  expect(plan.stdout).toMatch(/\+ existing_id\s+= \(known after apply\)/);
  expect(output(plan)).toContain(`Warning: scim_user will adopt existing account ${id} (userName "Alice@Example.com")`);
  expect(output(plan)).toContain('reactivating it');
  const adopt = await wd.apply('adopt.tfplan');
  expect(adopt.code).toBe(0);
  expect(output(adopt)).toContain(`scim_user Alice@Example.com: adopted inactive account ${id} without reactivating it`);
  expect((await user()).active).toBe(false);
  const again = await wd.plan('-detailed-exitcode', '-out=reactivate.tfplan');
  expect(again.code).toBe(2);
  expect(again.stdout).toMatch(/~ active\s+= false -> true/);
  expect((await wd.apply('reactivate.tfplan')).code).toBe(0);
  expect((await user()).active).toBe(true);
  expect((await wd.plan('-detailed-exitcode')).code).toBe(0);
});

test('adopt_existing = false turns an existing account into a plan error at user_name', async () => {
  const dup = `resource "scim_user" "again" {
  user_name      = "ALICE@example.com"
  adopt_existing = false
}
`;
  wd.setHcl(hcl(sb, 'generic', alice('Alice M.') + dup));
  const r = await wd.plan();
  expect(r.code).toBe(1);
  expect(output(r)).toContain(`An account for ALICE@example.com already exists (id ${id})`);
  expect(output(r)).toContain('adopt_existing = false');
  wd.setHcl(hcl(sb, 'generic', alice('Alice M.')));
});

test('on_destroy = "delete" removes the account', async () => {
  wd.setHcl(hcl(sb, 'generic', alice('Alice M.', '  on_destroy   = "delete"\n')));
  const plan = await wd.plan('-out=delete.tfplan');
  expect(plan.stdout).toMatch(/~ on_destroy\s+= "deactivate" -> "delete"/);
  expect((await wd.apply('delete.tfplan')).code).toBe(0);
  expect((await wd.destroy()).code).toBe(0);
  expect(await user()).toBeUndefined();
});

test('the whole story made exactly two POST /Users (the creation and the re-creation): never a duplicate', async () => {
  const log = await sb.admin.requestLog('generic');
  expect(requests(log, 'POST')).toHaveLength(2);
  expect(await sb.admin.listUsers('generic')).toHaveLength(0);
});
