// Synthesized stacks name the local sandbox's URL, so the sandbox the commands start keeps a stable port,
// and a sandbox of the same data dir running at another URL (e.g. `npm run sandbox` on its default port)
// is reported with the fix instead of one unreachable-endpoint error per account.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { openSandbox, preferredSandboxPort, DEFAULT_SANDBOX_PORT, runningSandboxOrigin } from '../../cli/workflow/sandbox-session';
import { scimformPaths } from '../../lib/paths';
import { startSandbox } from '../../sandbox';
import { REPO, scimform } from './stack-fixture';

jest.setTimeout(180_000);

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-sandbox-port-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('the sandbox starts where it served last (else 8890, like `npm run sandbox`); SCIMFORM_SANDBOX_PORT wins', () => {
  const dir = path.join(tmp, 'prefs');
  fs.mkdirSync(dir);
  expect(preferredSandboxPort(dir, {})).toEqual({ port: DEFAULT_SANDBOX_PORT, fixed: false });
  fs.writeFileSync(path.join(dir, 'credentials.json'), JSON.stringify({ admin: { baseUrl: 'http://127.0.0.1:41234/admin', token: 'x' } }));
  expect(preferredSandboxPort(dir, {})).toEqual({ port: 41234, fixed: false });
  expect(preferredSandboxPort(dir, { SCIMFORM_SANDBOX_PORT: '0' })).toEqual({ port: 0, fixed: true });
});

test('another server on the recorded port is not taken for the sandbox', async () => {
  const dir = path.join(tmp, 'impostor');
  fs.mkdirSync(dir);
  const other = http.createServer((_req, res) => res.end('hello'));
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    fs.writeFileSync(path.join(dir, 'credentials.json'), JSON.stringify({ admin: { baseUrl: `${url}/admin`, token: 't' } }));
    expect(await runningSandboxOrigin(dir)).toBeUndefined();
  } finally {
    await new Promise((r) => other.close(r));
  }
  const real = await startSandbox({ dataDir: path.join(tmp, 'real'), port: 0, quiet: true });
  try {
    expect(await runningSandboxOrigin(path.join(tmp, 'real'))).toBe(new URL(real.url).origin);
  } finally {
    await real.close();
  }
});

test('a command whose sandbox port is taken by another program moves the sandbox and says so', async () => {
  const dir = path.join(tmp, 'taken');
  const first = await startSandbox({ dataDir: dir, port: 0, quiet: true });
  const port = Number(new URL(first.url).port);
  await first.close();
  const other = http.createServer((_req, res) => res.end('hello'));
  await new Promise<void>((r) => other.listen(port, '127.0.0.1', r));
  const saved = process.env.SCIMFORM_SANDBOX_PORT;
  delete process.env.SCIMFORM_SANDBOX_PORT;
  const lines: string[] = [];
  try {
    const session = await openSandbox(scimformPaths({ SCIMFORM_SANDBOX_DIR: dir }, tmp), { stack: () => undefined, info: (m) => lines.push(m) });
    try {
      const now = Number(new URL(session.url!).port);
      expect(now).not.toBe(port);
      expect(lines[0]).toBe(
        `port ${port} (where this data dir last served) is in use by another program, so the sandbox listens on port ${now} instead; ` +
          `it keeps port ${now} from now on, and the scimform commands (npm start, plan, deploy, drift, access) find it there. ` +
          `Free port ${port} and run \`npm run sandbox -- --port ${port}\` to go back.`,
      );
      // The next command finds it where it moved.
      expect(preferredSandboxPort(dir, {}).port).toBe(now);
      expect(await runningSandboxOrigin(dir)).toBe(new URL(session.url!).origin);
    } finally {
      await session.close();
    }
  } finally {
    if (saved !== undefined) process.env.SCIMFORM_SANDBOX_PORT = saved;
    await new Promise((r) => other.close(r));
  }
});

test('drift against a sandbox that moved to another port says so and how to fix it', async () => {
  const env: NodeJS.ProcessEnv = {
    SCIMFORM_ORG_DIR: path.join(REPO, 'org'),
    SCIMFORM_SANDBOX_DIR: path.join(tmp, 'sandbox'),
    SCIMFORM_STATE_DIR: path.join(tmp, 'state'),
    SCIMFORM_LOG_DIR: path.join(tmp, 'logs'),
    SCIMFORM_OUTDIR: path.join(tmp, 'cdktf.out'),
    SCIMFORM_PROXYCLICK_ENDPOINT: '',
    SCIMFORM_PROMAPP_ENDPOINT: '',
    SCIMFORM_PROXY_ENDPOINT: '',
    SCIMFORM_WIKI_ENDPOINT: '',
  };
  const synth = await scimform(['synth', '--stack', 'wiki'], { ...env, SCIMFORM_SANDBOX_PORT: '0' });
  expect({ code: synth.code, err: synth.code ? synth.stderr : '' }).toEqual({ code: 0, err: '' });
  const cdkTf = JSON.parse(fs.readFileSync(path.join(tmp, 'cdktf.out', 'stacks', 'wiki', 'cdk.tf.json'), 'utf8'));
  const synthesizedFor = new URL(cdkTf.provider.scim[0].endpoint as string).origin;

  const moved = await startSandbox({ dataDir: path.join(tmp, 'sandbox'), port: 0, quiet: true });
  try {
    expect(moved.url).not.toBe(synthesizedFor);
    const r = await scimform(['drift', '--stack', 'wiki'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`the stacks were synthesized for the sandbox at ${synthesizedFor}, but the sandbox of`);
    expect(r.stderr).toContain(`is running at ${new URL(moved.url).origin}`);
    expect(r.stderr).toContain('[CLI_SANDBOX_MOVED]');
    expect(r.stderr).not.toMatch(/ECONNREFUSED/);
    // access reads state written against the stacks' sandbox: it stops too rather than show another one's.
    const access = await scimform(['access', '--stack', 'wiki'], env);
    expect(access.code).toBe(1);
    expect(access.stderr).toContain('[CLI_SANDBOX_MOVED]');
    expect(access.stdout).toBe('');
  } finally {
    await moved.close();
  }

  // With that sandbox stopped, drift starts it again where the stacks expect it.
  const again = await scimform(['drift', '--stack', 'wiki'], env);
  expect(again.stderr).toContain(`sandbox started at ${synthesizedFor}`);
  expect(again.code).toBe(2); // nothing was deployed: every declared account is missing
});
