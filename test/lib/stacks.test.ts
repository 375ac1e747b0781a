// Each app is its own stack: local state under the state dir by default (or another backend), sensitive
// credential variables named by their source (never holding a value), and metadata for the scimform command.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { S3Backend, Testing } from 'cdktf';
import { ScimProvider } from '../../lib/generated/scim/provider';
import { appTarget, Credential, type ScimApp } from '../../lib';
import { directory, scimApp, synth, synthJson, testApp } from './fixtures';

Testing.setupJest();

/** What synth writes under `//.scimform` in cdk.tf.json (Testing.synth strips `//`). */
const metadata = (stack: ScimApp) => {
  synth(stack);
  return (stack.toTerraform() as { '//': { scimform: Record<string, unknown> } })['//'].scimform;
};

describe('stacks', () => {
  test('local state at <stateDir>/<app>.tfstate; provider wired to sensitive, ephemeral variables; Terraform ≥ 1.10', () => {
    const app = testApp();
    const wiki = scimApp(app, directory(app), { stateDir: '/srv/state', provider: { timeout: 10, logFile: false } });
    wiki.assignPerson('ada');
    const j = synthJson(wiki);
    expect(j.terraform?.backend).toEqual({ local: { path: '/srv/state/wiki.tfstate' } });
    expect(j.variable?.scim_token).toEqual({
      type: 'string',
      sensitive: true,
      ephemeral: true,
      description: 'wiki token; the scimform command sets TF_VAR_scim_token from environment variable SCIMFORM_TEST_TOKEN',
    });
    expect((j.terraform as { required_version?: string }).required_version).toBe('>= 1.10');
    expect(synth(wiki)).toHaveProviderWithProperties(ScimProvider, {
      endpoint: 'http://127.0.0.1:9/generic/scim/v2',
      profile: 'generic',
      token: '${var.scim_token}',
      timeout: 10,
    });
    expect(j.provider?.scim?.[0].log_file).toBeUndefined();
  });

  test('headers come from a sensitive, ephemeral map variable; their values are never written into the stack', () => {
    process.env.SCIMFORM_TEST_TENANT_HEADER = 'Tenant-Header-Secret-1';
    try {
      const app = testApp();
      const wiki = scimApp(app, directory(app), { provider: { headers: { 'X-Tenant': Credential.env('SCIMFORM_TEST_TENANT_HEADER') } } });
      wiki.assignPerson('ada');
      const text = synth(wiki);
      expect(text).not.toContain('Tenant-Header-Secret-1');
      const j = synthJson(wiki);
      expect(j.variable?.scim_headers).toMatchObject({ type: 'map(string)', sensitive: true, ephemeral: true });
      expect(j.provider?.scim?.[0].headers).toBe('${var.scim_headers}');
      expect(metadata(wiki).headers).toEqual({ 'X-Tenant': { env: 'SCIMFORM_TEST_TENANT_HEADER' } });
    } finally {
      delete process.env.SCIMFORM_TEST_TENANT_HEADER;
    }
  });

  test('a header value written literally is a synth error naming the header', () => {
    const app = testApp();
    const wiki = scimApp(app, directory(app), { provider: { headers: { 'X-Tenant': 'acme' as never } } });
    wiki.assignPerson('ada');
    expect(() => synth(wiki)).toThrow(/provider\.headers\["X-Tenant"\] is written literally/);
  });

  test('the rate budgets go to the provider block; unset, the provider block leaves them to the connector profile', () => {
    const app = testApp();
    const wiki = scimApp(app, directory(app), { provider: { requestsPerMinute: 1200, writesPerMinute: 180 } });
    expect(synthJson(wiki).provider?.scim?.[0]).toMatchObject({ requests_per_minute: 1200, writes_per_minute: 180 });
    const app2 = testApp();
    const plain = synthJson(scimApp(app2, directory(app2))).provider?.scim?.[0];
    expect(plain).toMatchObject({ profile: 'generic' });
    expect(plain?.requests_per_minute).toBeUndefined();
    expect(plain?.writes_per_minute).toBeUndefined();
  });

  test('state dir and log dir follow SCIMFORM_STATE_DIR / SCIMFORM_LOG_DIR', () => {
    const saved = { s: process.env.SCIMFORM_STATE_DIR, l: process.env.SCIMFORM_LOG_DIR };
    process.env.SCIMFORM_STATE_DIR = '/tmp/scimform-x/state';
    process.env.SCIMFORM_LOG_DIR = '/tmp/scimform-x/logs';
    try {
      const app = Testing.app();
      const wiki = scimApp(app, directory(app));
      const j = synthJson(wiki);
      expect(j.terraform?.backend?.local.path).toBe('/tmp/scimform-x/state/wiki.tfstate');
      expect(j.provider?.scim?.[0].log_file).toBe('/tmp/scimform-x/logs/wiki.jsonl');
    } finally {
      process.env.SCIMFORM_STATE_DIR = saved.s;
      process.env.SCIMFORM_LOG_DIR = saved.l;
    }
  });

  test('required_providers pins the provider version, so the cdktf CLI (diff/deploy) accepts the stack', () => {
    const app = testApp();
    const wiki = scimApp(app, directory(app));
    wiki.assignPerson('ada');
    const j = JSON.parse(synth(wiki)) as { terraform: { required_providers: Record<string, unknown> } };
    const version = (JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
    expect(j.terraform.required_providers.scim).toEqual({ source: 'scimform/scim', version });
    // The schema `cdktf diff` / `cdktf deploy` validate every synthesized stack with (it requires a version).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { terraformJsonSchema } = require('@cdktf/cli-core/src/lib/terraform-json') as {
      terraformJsonSchema: { safeParse(v: unknown): { success: boolean } };
    };
    expect(terraformJsonSchema.safeParse(j).success).toBe(true);
  });

  test('another backend replaces the local one', () => {
    const app = testApp();
    const wiki = scimApp(app, directory(app), { backend: (s) => new S3Backend(s, { bucket: 'b', key: `scimform/${s.node.id}.tfstate`, region: 'eu-west-1' }) });
    expect(synthJson(wiki).terraform?.backend).toEqual({ s3: { bucket: 'b', key: 'scimform/wiki.tfstate', region: 'eu-west-1' } });
  });

  test('one stack per app, each with metadata naming who is provisioned, who is not, and credential sources', () => {
    const app = testApp();
    const dir = directory(app);
    const a = scimApp(app, dir, { title: 'Wiki' }, 'wiki');
    a.assignTeam('eng', { role: 'Editor' });
    const b = scimApp(app, dir, { profile: 'promapp', credentials: { token: Credential.jsonFile('/x/credentials.json', 'promapp.token') } }, 'promapp');
    b.assignPerson('mary');
    expect(metadata(a)).toEqual({
      version: 1,
      app: 'wiki',
      title: 'Wiki',
      profile: 'generic',
      endpoint: 'http://127.0.0.1:9/generic/scim/v2',
      sandbox: true,
      onDestroy: 'deactivate',
      scope: 'everyone assigned',
      credentials: { scim_token: { env: 'SCIMFORM_TEST_TOKEN' } },
      accounts: 'users',
      users: {
        'scim_user.user_ada': { person: 'ada', userName: 'Ada.Lovelace@example.com', roles: ['Editor'], via: ['team:eng (Editor)'], declared: 'Org (people): people[1]' },
        'scim_user.user_grace': { person: 'grace', userName: 'grace@example.com', roles: ['Editor'], via: ['team:eng (Editor)'], declared: 'Org (people): people[0]' },
        'scim_user.user_linus': { person: 'linus', userName: 'linus@example.com', roles: ['Editor'], via: ['team:eng (Editor)'], declared: 'Org (people): people[2]' },
      },
      groups: {},
      excluded: [{ person: 'tim', reason: 'leaver', detail: 'left on 2020-01-31', existingAccount: 'deactivated', name: 'Tim Berners-Lee', email: 'tim@example.com' }],
    });
    const meta = metadata(b) as { credentials: unknown; users: object };
    expect(meta.credentials).toEqual({ scim_token: { file: '/x/credentials.json', key: 'promapp.token' } });
    expect(Object.keys(meta.users)).toEqual(['scim_user.user_mary']);
  });

  test('appTarget: real endpoint and credentials from SCIMFORM_<APP>_* variables, else the sandbox tenant', () => {
    const dirPath = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-sb-'));
    try {
      expect(() => appTarget({ envPrefix: 'SCIMFORM_PROXY', sandboxTenant: 'proxy', auth: 'basic', sandboxDir: dirPath, env: {} })).toThrow(
        /SCIMFORM_NO_SANDBOX: no sandbox credentials at .*credentials.json, and SCIMFORM_PROXY_ENDPOINT is not set/,
      );
      fs.writeFileSync(path.join(dirPath, 'credentials.json'), JSON.stringify({ proxy: { baseUrl: 'http://127.0.0.1:5/proxy/scim/v2', username: 'k', password: 's' } }));
      expect(appTarget({ envPrefix: 'SCIMFORM_PROXY', sandboxTenant: 'proxy', auth: 'basic', sandboxDir: dirPath, env: {} })).toEqual({
        endpoint: 'http://127.0.0.1:5/proxy/scim/v2',
        sandbox: true,
        credentials: {
          username: { file: path.join(dirPath, 'credentials.json'), key: 'proxy.username' },
          password: { file: path.join(dirPath, 'credentials.json'), key: 'proxy.password' },
        },
      });
      expect(
        appTarget({ envPrefix: 'SCIMFORM_PROXY', sandboxTenant: 'proxy', auth: 'basic', sandboxDir: dirPath, env: { SCIMFORM_PROXY_ENDPOINT: 'https://scim.proxy.com/v2' } }),
      ).toEqual({
        endpoint: 'https://scim.proxy.com/v2',
        sandbox: false,
        credentials: { username: { env: 'SCIMFORM_PROXY_USERNAME' }, password: { env: 'SCIMFORM_PROXY_PASSWORD' } },
      });
    } finally {
      fs.rmSync(dirPath, { recursive: true, force: true });
    }
  });
});
