// Adoption by user name (`terraform import scim_user.x user_name=…`) of an account whose server copy differs
// from the configuration only in letter case (Proxy stores emails lower-cased; accounts created by another tool
// often are): the import stores the import key's case for user_name and the emails equal to it, so the first
// plan after the import shows no case-only change (issue 15).
import { hcl, output, startTestSandbox, workdir, type TestSandbox, type Workdir } from './tf-fixture';

let sb: TestSandbox;
let wd: Workdir;

const ada = `resource "scim_user" "ada" {
  user_name    = "Ada.Lovelace@Example.com"
  display_name = "Ada Lovelace"
  emails       = [{ value = "Ada.Lovelace@Example.com", type = "work", primary = true }]
}
`;

beforeAll(async () => {
  sb = await startTestSandbox();
  wd = await workdir(hcl(sb, 'proxy', ada));
});
afterAll(async () => {
  await wd?.cleanup();
  await sb?.stop();
});

test('proxy: an account stored in lower case is imported by user_name in the configured case', async () => {
  await sb.admin.createUser('proxy', { userName: 'ada.lovelace@example.com', displayName: 'Ada Lovelace', emails: [{ value: 'ada.lovelace@example.com', type: 'work', primary: true }] });
  expect((await wd.init()).code).toBe(0);
  const imp = await wd.run(['import', '-input=false', 'scim_user.ada', 'user_name=Ada.Lovelace@Example.com']);
  expect(output(imp)).toContain('Import successful');
});

test('proxy: the plan after that import shows no case-only change', async () => {
  const plan = await wd.plan('-detailed-exitcode');
  expect(output(plan)).toContain('No changes.');
  expect(plan.code).toBe(0);
});
