// `scimform state migrate` round trip on a real PostgreSQL: local state → PostgreSQL → local, each move
// verified by a plan with no change from the side that now holds the state; a move into a target that
// already holds state for the app is refused and moves nothing. Only the wiki app, to keep it lean.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startTestPostgres, type TestPostgres } from '../support/postgres';
import { runScimform, tempCheckout, type CliResult } from '../support/scimform-cli';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { commandTerraformEnv, runTerraform } from '../../cli/terraform-runner';

jest.setTimeout(600_000);

let pg: TestPostgres;
let sandbox: TestSandbox;
let tmp: string;
let local: NodeJS.ProcessEnv;
let shared: NodeJS.ProcessEnv;

const scimform = (env: NodeJS.ProcessEnv, ...args: string[]): Promise<CliResult> => runScimform(env, args);
const ok = (r: { code: number; stdout: string; stderr: string }) => ({ code: r.code, out: r.code === 0 ? '' : `${r.stderr}\n${r.stdout}` });

/** `scimform plan --stack wiki` from a fresh out dir: the non-zero change counts of its JSON report. */
async function planChanges(env: NodeJS.ProcessEnv, name: string) {
  const file = path.join(tmp, `${name}.json`);
  const r = await scimform({ ...env, SCIMFORM_OUTDIR: path.join(tmp, `out-${name}`) }, 'plan', '--stack', 'wiki', '--json-file', file);
  expect(ok(r)).toEqual({ code: 0, out: '' });
  const report = JSON.parse(fs.readFileSync(file, 'utf8')) as { totals: Record<string, number>; apps: { managedUsers: number }[] };
  return { managed: report.apps[0].managedUsers, changes: Object.entries(report.totals).filter(([, n]) => n !== 0) };
}

const workspaces = async () => (await (await pg.connect()).query('SELECT name FROM scimform.states ORDER BY name').catch(() => ({ rows: [] }))).rows.map((r) => r.name);
const stateFile = () => path.join(tmp, 'state', 'wiki.tfstate');

beforeAll(async () => {
  // Plans print their summary line, not their full text (no `terraform show`): only exit codes matter here.
  ({ dir: tmp, env: local } = tempCheckout('scimform-migrate-test-', { NO_COLOR: '1', SCIMFORM_PLAN_OUTPUT: 'summary' }));
  [pg, sandbox] = await Promise.all([startTestPostgres(), startTestSandbox({ dataDir: local.SCIMFORM_SANDBOX_DIR })]);
  shared = { ...local, SCIMFORM_STATE_URL: pg.url };
});

afterAll(async () => {
  await Promise.all([pg?.stop(), sandbox?.stop()]);
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** The starting point, the wiki deployed with local state: synthesized by scimform, applied by terraform itself
 * (the moves below are what is tested; a deploy would plan, show and re-plan besides). */
async function deployLocally(): Promise<void> {
  expect(ok(await scimform(local, 'synth', '--stack', 'wiki'))).toEqual({ code: 0, out: '' });
  const cwd = path.join(local.SCIMFORM_OUTDIR!, 'stacks', 'wiki');
  const env = commandTerraformEnv({ ...local, TF_VAR_scim_token: sandbox.credentials.generic.token });
  for (const args of [['init', '-input=false', '-no-color'], ['apply', '-input=false', '-no-color', '-auto-approve']]) {
    const r = await runTerraform(args, { cwd, env });
    expect({ args, code: r.code, err: r.code ? r.stderr + r.stdout : '' }).toEqual({ args, code: 0, err: '' });
  }
}

test('local → PostgreSQL → local, a no-op plan after each move; a target holding state is refused', async () => {
  await deployLocally();
  expect(fs.existsSync(stateFile())).toBe(true);
  expect((await sandbox.admin.listUsers('generic')).length).toBe(7);

  // local → PostgreSQL
  const up = await scimform(local, 'state', 'migrate', '--to', pg.url, '--stack', 'wiki');
  expect(ok(up)).toEqual({ code: 0, out: '' });
  expect(up.stdout).toContain('Moved the state of 1 app(s): wiki (');
  expect(fs.existsSync(stateFile())).toBe(false);
  expect(fs.existsSync(`${stateFile()}.migrated`)).toBe(true);
  expect(await workspaces()).toEqual(['wiki']);
  expect(await planChanges(shared, 'on-pg')).toEqual({ managed: 7, changes: [] });

  // A second copy of the local state cannot be moved over the one now in PostgreSQL.
  fs.copyFileSync(`${stateFile()}.migrated`, stateFile());
  const refused = await scimform(local, 'state', 'migrate', '--to', pg.url, '--stack', 'wiki');
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain('wiki: PostgreSQL (SCIMFORM_STATE_URL) already holds state for this app');
  expect(refused.stderr).not.toContain(new URL(pg.url).password);
  expect(fs.existsSync(stateFile())).toBe(true);
  fs.rmSync(stateFile());

  // PostgreSQL → local
  const down = await scimform(shared, 'state', 'migrate', '--to', 'local', '--stack', 'wiki');
  expect(ok(down)).toEqual({ code: 0, out: '' });
  expect(fs.existsSync(stateFile())).toBe(true);
  expect(await workspaces()).toEqual([]);
  expect(await planChanges(local, 'local-again')).toEqual({ managed: 7, changes: [] });
  expect((await sandbox.admin.listUsers('generic')).length).toBe(7);
});
