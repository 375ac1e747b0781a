// Mistakes in the org files or the app fail `scimform synth` (what every npm script runs first) with the file
// and line or the construct path and how to fix it — never a stack trace, and never cdktf's advice to skip
// validation. Every app points at a (never contacted) real endpoint, so no sandbox is needed.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO, scimform } from './stack-fixture';

jest.setTimeout(120_000);

let tmp: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-synth-errors-'));
  env = {
    SCIMFORM_ORG_DIR: path.join(tmp, 'org'),
    SCIMFORM_SANDBOX_DIR: path.join(tmp, 'sandbox'),
    SCIMFORM_STATE_DIR: path.join(tmp, 'state'),
    SCIMFORM_LOG_DIR: path.join(tmp, 'logs'),
    SCIMFORM_OUTDIR: path.join(tmp, 'cdktf.out'),
  };
  for (const app of ['PROXYCLICK', 'PROMAPP', 'WIKI']) {
    env[`SCIMFORM_${app}_ENDPOINT`] = `https://${app.toLowerCase()}.invalid/scim/v2`;
    env[`SCIMFORM_${app}_TOKEN`] = 'not-a-real-token';
  }
  env.SCIMFORM_PROXY_ENDPOINT = 'https://proxy.invalid/scim/v2';
  env.SCIMFORM_PROXY_USERNAME = 'key';
  env.SCIMFORM_PROXY_PASSWORD = 'not-a-real-secret';
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The example org with `edit` applied to people.yaml. */
function org(edit: (yaml: string) => string): void {
  fs.rmSync(path.join(tmp, 'org'), { recursive: true, force: true });
  fs.cpSync(path.join(REPO, 'org'), path.join(tmp, 'org'), { recursive: true });
  const file = path.join(tmp, 'org', 'people.yaml');
  fs.writeFileSync(file, edit(fs.readFileSync(file, 'utf8')));
}

const noTrace = (text: string) => expect(text).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);

test('a validation error names the app and the fix, without a stack trace or advice to skip validation', async () => {
  org((y) => y.replace('email: alan.turing@example.com', 'email: Ada.Lovelace@example.com'));
  const r = await scimform(['synth', '--no-sandbox'], env);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('[proxyclick] SCIMFORM_DUPLICATE_USERNAME: userName "ada.lovelace@example.com" would be given to ada and alan');
  expect(r.stderr).not.toMatch(/skipValidation/);
  noTrace(r.stderr);
});

test('a YAML syntax error names file, line and the fix', async () => {
  org((y) => y.replace('    familyName: Turing', '\tfamilyName: Turing'));
  const r = await scimform(['synth', '--no-sandbox'], env);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/people\.yaml:\d+:1: invalid YAML: Tabs are not allowed as indentation \(`familyName: Turing`\) — indent with spaces, not tabs/);
  noTrace(r.stderr);
});

test('a mistyped org-file field is answered with the field meant and its line', async () => {
  org((y) => y.replace('    familyName: Turing', '    familyname: Turing'));
  const r = await scimform(['synth', '--no-sandbox'], env);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/people\.yaml: people\[\d+\]: unknown field "familyname" — did you mean "familyName"\? \(line \d+\)/);
  expect(r.stderr).toMatch(/people\.yaml: people\[\d+\]\.familyName: is missing — add `familyName: Lovelace` to this entry \(line \d+\)/);
  noTrace(r.stderr);
});
