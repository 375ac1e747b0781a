// The HCL examples that the docs embed are real configurations: each resource and data source example
// applies against the sandbox's generic tenant (with only the provider block added) and then plans clean,
// and the provider example passes `terraform validate`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { TerraformWorkdir } from '../support/terraform';
import { EXAMPLES_DIR } from '../../scripts/gen-docs';

let sb: TestSandbox;
const open: TerraformWorkdir[] = [];

const header = `terraform {
  required_providers {
    scim = { source = "scimform/scim" }
  }
}
`;

beforeAll(async () => {
  sb = await startTestSandbox();
  // What the examples expect to exist already: a CEO account and a "Support" group owned elsewhere.
  const ceo = await sb.admin.createUser('generic', { userName: 'ceo@example.com' });
  await sb.admin.createGroup('generic', { displayName: 'Support', members: [ceo.id] });
});

afterAll(async () => {
  for (const wd of open) await wd.cleanup();
  await sb?.stop();
});

const text = (r: { stdout: string; stderr: string }) => `${r.stdout}\n${r.stderr}`;

const examples = [
  'resources/scim_user/resource.tf',
  'resources/scim_group/resource.tf',
  'resources/scim_group_member/resource.tf',
  'data-sources/scim_user/data-source.tf',
  'data-sources/scim_users/data-source.tf',
  'data-sources/scim_group/data-source.tf',
  'data-sources/scim_service_provider_config/data-source.tf',
];

test.each(examples)('examples/%s applies against the sandbox and then plans clean', async (rel) => {
  const body = fs.readFileSync(path.join(EXAMPLES_DIR, rel), 'utf8');
  const provider = `provider "scim" {\n  endpoint = "${sb.credentials.generic.baseUrl}"\n}\n`;
  const wd = await TerraformWorkdir.create(`${header}\n${provider}\n${body}`, { SCIM_TOKEN: sb.credentials.generic.token });
  open.push(wd);
  await wd.init();
  const apply = await wd.apply();
  if (apply.code !== 0) throw new Error(`apply of examples/${rel} failed:\n${text(apply)}`);
  const plan = await wd.plan(['-detailed-exitcode']);
  if (plan.code !== 0) throw new Error(`plan after applying examples/${rel} is not clean (exit ${plan.code}):\n${text(plan)}`);
});

test('examples/provider/provider.tf is a valid configuration', async () => {
  const wd = await TerraformWorkdir.create(fs.readFileSync(path.join(EXAMPLES_DIR, 'provider/provider.tf'), 'utf8'));
  open.push(wd);
  await wd.init();
  const r = await wd.run(['validate', '-no-color']);
  if (r.code !== 0) throw new Error(`terraform validate failed:\n${text(r)}`);
  expect(r.stdout).toContain('The configuration is valid.');
});
