// The HCL examples that the docs embed are real configurations: each resource and data source example
// applies against the sandbox's generic tenant (with only the provider block added) and then plans clean,
// and the provider example passes `terraform validate`. The examples are applied as they would be one after
// the other, but in one working directory: each is a module of its own (its file as is, plus the
// required_providers header), depending on the ones before it, under one provider block: one init, one
// apply and one plan instead of seven of each. Each test then checks its module: applied, in state, no change.
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

/** `resources/scim_user/resource.tf` → `resources_scim_user` (its module's name and folder). */
const moduleOf = (rel: string) => path.dirname(rel).replace(/[^A-Za-z0-9]+/g, '_');

let applied: { code: number; stdout: string; stderr: string };
let planned: { code: number; stdout: string; stderr: string };
let stateAddresses: string[] = [];
let changes: { address: string; change: { actions: string[] } }[] = [];

/** Every resource and data source address of a `terraform show -json` module tree. */
const addressesOf = (m: any): string[] => [...(m?.resources ?? []).map((r: any) => r.address), ...(m?.child_modules ?? []).flatMap(addressesOf)];

beforeAll(async () => {
  const provider = `provider "scim" {\n  endpoint = "${sb.credentials.generic.baseUrl}"\n}\n`;
  const modules = examples.map((rel, i) => {
    const deps = examples.slice(0, i).map((r) => `module.${moduleOf(r)}`);
    return `module "${moduleOf(rel)}" {\n  source = "./${moduleOf(rel)}"\n${deps.length ? `  depends_on = [${deps.join(', ')}]\n` : ''}}\n`;
  });
  const wd = await TerraformWorkdir.create(`${header}\n${provider}\n${modules.join('\n')}`, { SCIM_TOKEN: sb.credentials.generic.token });
  open.push(wd);
  for (const rel of examples) {
    fs.mkdirSync(path.join(wd.dir, moduleOf(rel)));
    fs.writeFileSync(path.join(wd.dir, moduleOf(rel), 'main.tf'), `${header}\n${fs.readFileSync(path.join(EXAMPLES_DIR, rel), 'utf8')}`);
  }
  await wd.init();
  applied = await wd.apply();
  if (applied.code !== 0) return;
  stateAddresses = addressesOf((await wd.state()).values?.root_module);
  planned = await wd.plan(['-detailed-exitcode', '-out=clean.plan']);
  if (planned.code === 0 || planned.code === 2) changes = (await wd.showPlanJson('clean.plan')).resource_changes ?? [];
}, 300_000);

test.each(examples)('examples/%s applies against the sandbox and then plans clean', (rel) => {
  const mod = `module.${moduleOf(rel)}.`;
  if (applied.code !== 0) throw new Error(`apply of the examples failed (the error names the module.<example> it came from):\n${text(applied)}`);
  expect(stateAddresses.filter((a) => a.startsWith(mod)).length).toBeGreaterThan(0);
  const changed = changes.filter((c) => c.address.startsWith(mod) && !['no-op', 'read'].includes(c.change.actions.join())).map((c) => `${c.change.actions.join('+')} ${c.address}`);
  if (changed.length || planned.code !== 0) {
    throw new Error(`plan after applying examples/${rel} is not clean (exit ${planned.code}; this example: ${changed.join(', ') || 'none'}):\n${text(planned)}`);
  }
});

test('examples/provider/provider.tf is a valid configuration', async () => {
  const wd = await TerraformWorkdir.create(fs.readFileSync(path.join(EXAMPLES_DIR, 'provider/provider.tf'), 'utf8'));
  open.push(wd);
  await wd.init();
  const r = await wd.run(['validate', '-no-color']);
  if (r.code !== 0) throw new Error(`terraform validate failed:\n${text(r)}`);
  expect(r.stdout).toContain('The configuration is valid.');
});
