// Test fixture: a temporary stacks folder holding one Terraform JSON stack per app (cdk.tf.json, the
// shape synth writes, including the `//.scimform` metadata naming the credential source), aimed at a
// sandbox tenant, plus a runner for the real `scimform` executable.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { ensureProviderInstalled } from '../support/terraform';

export const REPO = path.resolve(__dirname, '..', '..');
const CLI = path.join(REPO, 'cli', 'scimform.js');

export interface StackSpec {
  endpoint: string;
  profile?: string;
  /** Credential variable → source, as synth records it (e.g. { scim_token: { file, key } }). */
  credentials: Record<string, { env: string } | { file: string; key: string }>;
  /** Extra (non-credential) variables, e.g. sensitive ones fed into attributes. */
  variables?: Record<string, { type: string; sensitive?: boolean; default?: unknown }>;
  onDestroy?: 'deactivate' | 'delete';
  /** `resource` block: { scim_user: { name: {...} }, scim_group: {...} }. */
  resources: Record<string, Record<string, Record<string, unknown>>>;
  /** Top-level `import` blocks (as CDKTF's importFrom writes them), e.g. [{ to: 'scim_roster.accounts_00', id: 'roster' }]. */
  imports?: { to: string; id: string }[];
  /** More `//.scimform` metadata (e.g. `accounts`, `users`, `excluded`). */
  meta?: Record<string, unknown>;
  /** Top-level `removed` blocks, e.g. [{ from: 'scim_roster.accounts_00', lifecycle: { destroy: false } }]. */
  removed?: { from: string; lifecycle: { destroy: boolean } }[];
}

export class StackFixture {
  readonly root: string;
  readonly stacksDir: string;
  readonly stateDir: string;

  constructor() {
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-cli-'));
    this.stacksDir = path.join(this.root, 'stacks');
    this.stateDir = path.join(this.root, 'state');
    fs.mkdirSync(this.stacksDir);
    fs.mkdirSync(this.stateDir);
  }

  write(app: string, spec: StackSpec): void {
    const dir = path.join(this.stacksDir, app);
    fs.mkdirSync(dir, { recursive: true });
    const credVars = Object.fromEntries(Object.keys(spec.credentials).map((v) => [v, { type: 'string', sensitive: true }]));
    const provider: Record<string, unknown> = { endpoint: spec.endpoint, profile: spec.profile ?? 'generic', on_destroy: spec.onDestroy ?? 'deactivate' };
    for (const v of Object.keys(spec.credentials)) provider[v.replace(/^scim_/, '')] = `\${var.${v}}`;
    const doc = {
      '//': { scimform: { version: 1, app, title: app, profile: spec.profile ?? 'generic', endpoint: spec.endpoint, sandbox: false, credentials: spec.credentials, ...(spec.meta ?? {}) } },
      terraform: {
        required_providers: { scim: { source: 'scimform/scim' } },
        backend: { local: { path: path.join(this.stateDir, `${app}.tfstate`) } },
      },
      variable: { ...credVars, ...(spec.variables ?? {}) },
      provider: { scim: [provider] },
      resource: spec.resources,
      ...(spec.imports ? { import: spec.imports } : {}),
      ...(spec.removed ? { removed: spec.removed } : {}),
    };
    fs.writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify(doc, null, 2));
  }

  cleanup(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `scimform <args>` as a user would (the package's executable), in the repository. */
export function scimform(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: REPO,
      env: { ...process.env, NO_COLOR: '1', SCIMFORM_QUIET: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** A SCIM user resource body with the attribute names of the provider schema. */
export const user = (userName: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  user_name: userName,
  external_id: userName.split('@')[0],
  display_name: userName.split('@')[0],
  emails: [{ value: userName, type: 'work', primary: true }],
  ...extra,
});

/**
 * One sandbox and one stacks folder for the whole suite: started in beforeAll (after the provider is
 * installed), stopped and removed in afterAll; `set` receives them for the suite's own variables.
 */
export function useSandboxAndStacks(set: (sb: TestSandbox, fx: StackFixture) => void): void {
  let sb: TestSandbox | undefined;
  let fx: StackFixture | undefined;
  beforeAll(async () => {
    await ensureProviderInstalled();
    sb = await startTestSandbox();
    fx = new StackFixture();
    set(sb, fx);
  });
  afterAll(async () => {
    await sb?.stop();
    fx?.cleanup();
  });
}
