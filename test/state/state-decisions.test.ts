// The decisions behind shared state, without Terraform or PostgreSQL: which backend a stack gets and what
// synth writes (never the connection string), what a terraform run is given (PG_CONN_STR tagged with
// application_name, TF_WORKSPACE, the lock wait), and the message naming a lock's holder.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chooseStateBackend } from '../../lib/state-backend';
import { describeHolder, lockMessage } from '../../cli/state/lock-holder';
import { afterStalePlan } from '../../cli/state/stale-plan';
import { applicationName, lockTimeout, taggedUrl, withSharedState } from '../../cli/state/state-env';
import { listedWorkspaces } from '../../cli/state/shared-init';
import { takeStateUrlOption } from '../../cli/state/state-url-option';
import { describeDatabase, explainStateFailure } from '../../cli/state/state-failure';
import { directory, scimApp, synth, testApp } from '../lib/fixtures';

const URL_ = 'postgres://scimform:s3cret-pw@db.example.com:5432/state?sslmode=require';

describe('backend choice', () => {
  test('no URL: the local state file; a URL: pg with the organisation schema and the app as workspace', () => {
    expect(chooseStateBackend('wiki', { stateDir: '/s' }, {})).toEqual({ kind: 'local', path: '/s/wiki.tfstate' });
    expect(chooseStateBackend('wiki', { stateDir: '/s' }, { SCIMFORM_STATE_URL: ' ' })).toEqual({ kind: 'local', path: '/s/wiki.tfstate' });
    expect(chooseStateBackend('wiki', { stateDir: '/s' }, { SCIMFORM_STATE_URL: URL_ })).toEqual({ kind: 'pg', schema: 'scimform', workspace: 'wiki' });
    expect(chooseStateBackend('wiki', { stateDir: '/s', stateSchema: 'acme' }, { SCIMFORM_STATE_URL: URL_ })).toMatchObject({ schema: 'acme' });
    expect(chooseStateBackend('wiki', { stateDir: '/s' }, { SCIMFORM_STATE_URL: URL_, SCIMFORM_STATE_SCHEMA: 'acme_eu' })).toMatchObject({ schema: 'acme_eu' });
  });

  test('a URL that is not PostgreSQL, or a schema that is not a plain name, is refused naming the setting', () => {
    expect(() => chooseStateBackend('wiki', { stateDir: '/s' }, { SCIMFORM_STATE_URL: 's3://bucket' })).toThrow(/SCIMFORM_STATE_URL is not a PostgreSQL URL/);
    expect(() => chooseStateBackend('wiki', { stateDir: '/s', stateSchema: 'Acme; DROP' }, { SCIMFORM_STATE_URL: URL_ })).toThrow(
      /state schema "Acme; DROP" \(stateSchema option\) is not a plain PostgreSQL name/,
    );
  });

  test('synth writes the pg backend with the schema only — the connection string never reaches cdk.tf.json', () => {
    const app = testApp();
    const wiki = scimApp(app, directory(app), { stateUrl: URL_, stateSchema: 'acme' });
    wiki.assignPerson('ada');
    const text = synth(wiki);
    const doc = wiki.toTerraform() as { terraform: { backend: unknown }; '//': Record<string, unknown> };
    expect(doc.terraform.backend).toEqual({ pg: { schema_name: 'acme' } });
    expect(doc['//'].scimform_state).toEqual({ backend: 'pg', schema: 'acme', workspace: 'wiki' });
    expect(text).not.toContain('db.example.com');
    expect(text).not.toContain('s3cret-pw');
  });
});

describe('terraform runs on shared state', () => {
  let dir: string;
  const stack = (backend: object, meta?: object) => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-state-env-'));
    const d = path.join(dir, 'wiki');
    fs.mkdirSync(d);
    fs.writeFileSync(path.join(d, 'cdk.tf.json'), JSON.stringify({ '//': meta ? { scimform_state: meta } : {}, terraform: { backend } }));
    return d;
  };
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a local-state stack runs unchanged', () => {
    const d = stack({ local: { path: '/s/wiki.tfstate' } });
    const env = { SCIMFORM_STATE_URL: URL_ };
    expect(withSharedState(['plan', '-lock-timeout=60s'], d, env)).toEqual({ args: ['plan', '-lock-timeout=60s'], env });
  });

  test('a pg stack gets PG_CONN_STR tagged with who runs it, its workspace, and the configured lock wait', () => {
    const d = stack({ pg: { schema_name: 'acme' } }, { backend: 'pg', schema: 'acme', workspace: 'wiki' });
    const run = withSharedState(['apply', '-input=false', '-lock-timeout=60s', 'x.tfplan'], d, { SCIMFORM_STATE_URL: URL_, SCIMFORM_LOCK_TIMEOUT: '5m' });
    expect(run.args).toEqual(['apply', '-lock-timeout=5m', '-input=false', 'x.tfplan']);
    expect(run.env.TF_WORKSPACE).toBe('wiki');
    const conn = new URL(run.env.PG_CONN_STR!);
    expect(conn.searchParams.get('sslmode')).toBe('require');
    expect(conn.searchParams.get('application_name')).toBe(applicationName());
    expect(applicationName('deploy')).toMatch(/^scimform\/deploy\/.+@.+$/);
    expect(run.state).toEqual({ backend: 'pg', schema: 'acme', workspace: 'wiki' });
    // terraform state pull takes no lock wait.
    expect(withSharedState(['state', 'pull'], d, { SCIMFORM_STATE_URL: URL_ }).args).toEqual(['state', 'pull']);
  });

  test('a pg stack without SCIMFORM_STATE_URL stops, saying which stack and what to export', () => {
    const d = stack({ pg: { schema_name: 'acme' } }, { backend: 'pg', schema: 'acme', workspace: 'wiki' });
    expect(() => withSharedState(['plan'], d, {})).toThrow(/wiki keeps its state in PostgreSQL \(schema "acme", workspace "wiki"\), but SCIMFORM_STATE_URL is not set: export SCIMFORM_STATE_URL=/);
  });

  test('the lock wait must be a duration', () => {
    expect(lockTimeout({})).toBe('60s');
    expect(lockTimeout({ SCIMFORM_LOCK_TIMEOUT: '90s' })).toBe('90s');
    expect(() => lockTimeout({ SCIMFORM_LOCK_TIMEOUT: 'ten minutes' })).toThrow('SCIMFORM_LOCK_TIMEOUT="ten minutes" is not a duration: use e.g. 30s, 5m or 1h.');
    expect(taggedUrl('postgres://h/db?application_name=x&sslmode=disable', 'scimform/plan/a@b')).toBe(
      'postgres://h/db?application_name=scimform%2Fplan%2Fa%40b&sslmode=disable',
    );
  });
});

describe('lock holder message', () => {
  const holder = { pid: 4242, applicationName: 'scimform/deploy/alice@laptop-7', user: 'scimform', clientAddr: '10.0.0.5', since: new Date('2026-12-04T05:00:00Z'), state: 'active' };
  const state = { backend: 'pg' as const, schema: 'acme', workspace: 'wiki' };

  test('names who holds it, since when, how to wait and how to end a stuck holder', () => {
    const text = lockMessage('app wiki', state, [holder], '60s', new Date('2026-12-04T05:03:00Z'));
    expect(text).toContain('Error: the state of app wiki is locked by another run (waited 60s)');
    expect(text).toContain('held by scimform deploy by alice on laptop-7 (PostgreSQL session 4242, database user scimform, from 10.0.0.5), connected since 2026-12-04T05:00:00.000Z (3 min ago), now active');
    expect(text).toContain(`psql "$SCIMFORM_STATE_URL" -c 'SELECT pg_terminate_backend(4242)'`);
    expect(text).toContain('SCIMFORM_LOCK_TIMEOUT=10m');
    expect(text).toContain('`terraform force-unlock` cannot release this lock');
  });

  test('a holder that is not scimform is named by its application name; a vanished one says to retry', () => {
    expect(describeHolder({ ...holder, applicationName: '', clientAddr: null })).toBe('a client that did not name itself (PostgreSQL session 4242, database user scimform)');
    expect(lockMessage('app wiki', state, [], '1s')).toContain('the holder released it just now: run the command again');
  });

  test('a stale plan re-planned: nothing left is done; anything left stops the run', () => {
    expect(afterStalePlan({ changes: false, summary: 'No changes.' })).toBe('nothing left to do: another run applied this change first');
    expect(() => afterStalePlan({ changes: true, summary: 'Plan: 1 to add, 0 to change, 0 to destroy.' })).toThrow(/Nothing was applied by this run/);
  });
});

describe('command line', () => {
  test('--state-url sets SCIMFORM_STATE_URL for the run and is taken out of the command\'s arguments', () => {
    const env: NodeJS.ProcessEnv = {};
    expect(takeStateUrlOption(['plan', '--state-url', URL_, '--stack', 'wiki'], env)).toEqual(['plan', '--stack', 'wiki']);
    expect(env.SCIMFORM_STATE_URL).toBe(URL_);
    expect(takeStateUrlOption([`--state-url=${URL_}`], {})).toEqual([]);
    expect(() => takeStateUrlOption(['--state-url'], {})).toThrow('--state-url needs a PostgreSQL URL');
    expect(() => takeStateUrlOption(['--state-url', 'mysql://x'], {})).toThrow(/got something else/);
  });

  test('workspace names from terraform workspace list', () => {
    expect(listedWorkspaces('  default\n* wiki\n  proxy\n\n')).toEqual(['default', 'wiki', 'proxy']);
  });
});

describe('state database failures', () => {
  const run = { args: ['init'], env: { PG_CONN_STR: URL_ }, state: { backend: 'pg' as const, schema: 'acme', workspace: 'wiki' } };

  test('a database that refuses the login is named as the state database, without user or password', async () => {
    const r = await explainStateFailure({ code: 1, stdout: '', stderr: '\nError: pq: password authentication failed for user "scimform"\n' }, run);
    expect(r.stderr).toContain(
      'Error: the shared state database of app wiki (PostgreSQL db.example.com:5432/state, schema "acme", from SCIMFORM_STATE_URL) failed: pq: password authentication failed for user "scimform"',
    );
    expect(r.stderr).toContain('the user and password (PGPASSWORD or the URL)');
    expect(r.stderr).not.toContain('s3cret-pw');
    expect(describeDatabase('postgres://u:p@h/db')).toBe('h:5432/db');
  });

  test('a -json run (saved plan): the error diagnostic on stdout is explained, and not printed again raw', async () => {
    const diag = { '@level': 'error', '@message': 'Error: Failed to get existing workspaces: dial tcp 10.0.0.9:5432: connect: connection refused', type: 'diagnostic' };
    const info = { '@level': 'info', '@message': 'user pq: someone', type: 'version' };
    const r = await explainStateFailure({ code: 1, stdout: `${JSON.stringify(info)}\n${JSON.stringify(diag)}\n`, stderr: '' }, { ...run, args: ['plan', '-json'] });
    expect(r.stderr).toContain('the shared state database of app wiki (PostgreSQL db.example.com:5432/state, schema "acme", from SCIMFORM_STATE_URL) failed: Failed to get existing workspaces: dial tcp');
    expect(r.stdout).toBe('');
    const scimJson = { code: 1, stdout: `${JSON.stringify({ ...diag, '@message': 'Error: GET http://127.0.0.1:9/scim/v2/Users failed' })}\n${JSON.stringify(info)}\n`, stderr: '' };
    expect(await explainStateFailure(scimJson, run)).toBe(scimJson);
  });

  test('other failures, and stacks on local state, pass through unchanged', async () => {
    const other = { code: 1, stdout: '', stderr: 'Error: Invalid provider configuration' };
    expect(await explainStateFailure(other, run)).toBe(other);
    const scim = { code: 1, stdout: '', stderr: 'Error: GET http://127.0.0.1:9/scim/v2/Users failed: connect ECONNREFUSED 127.0.0.1:9 (connection refused)' };
    expect(await explainStateFailure(scim, run)).toBe(scim);
    const local = { code: 1, stdout: '', stderr: 'Error: dial tcp 10.0.0.1:443: connection refused' };
    expect(await explainStateFailure(local, { args: ['plan'], env: {} })).toBe(local);
  });
});
