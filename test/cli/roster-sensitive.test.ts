// A sensitive attribute of a roster entry, on real Terraform plans against the sandbox: the report says it
// changed and never shows it, in JSON and on the terminal, as for scim_user.
import * as path from 'node:path';
import type { TestSandbox } from '../support/sandbox';
import { scimform, StackFixture, useSandboxAndStacks } from './stack-fixture';
import type { PlanReport } from '../../cli/report/report-model';

let sb: TestSandbox;
let fx: StackFixture;

useSandboxAndStacks((s, f) => ((sb = s), (fx = f)));

const entry = (k: string, extra: Record<string, unknown> = {}) => ({ user_name: `${k}@example.com`, external_id: k, ...extra });
const run = scimform;

test('a sensitive entry attribute is reported as changed, never shown', async () => {
  const writeVault = (secret: string) =>
    fx.write('vault', {
      endpoint: sb.credentials.generic.baseUrl,
      credentials: { scim_token: { file: path.join(sb.dataDir, 'credentials.json'), key: 'generic.token' } },
      variables: { secret_title: { type: 'string', sensitive: true, default: secret } },
      resources: { scim_roster: { accounts_00: { entries: { vera: entry('vera', { title: '${var.secret_title}' }), walt: entry('walt') } } } },
      imports: [{ to: 'scim_roster.accounts_00', id: 'roster' }],
      meta: { accounts: 'roster', users: {} },
    });
  const outputs: string[] = [];
  const vault = async (args: string[]) => {
    const r = await run([...args, '--stacks-dir', fx.stacksDir, '--stack', 'vault']);
    outputs.push(r.stdout, r.stderr);
    return r;
  };
  writeVault('Classified-Title-One');
  expect((await vault(['plan', '--no-synth', '--format', 'json'])).code).toBe(0);
  expect((await vault(['apply'])).code).toBe(0);
  writeVault('Classified-Title-Two');
  const plan = await vault(['plan', '--no-synth', '--format', 'json']);
  expect(plan.code).toBe(0);
  const app = (JSON.parse(plan.stdout) as PlanReport).apps[0];
  expect(app.users.update).toEqual([
    expect.objectContaining({ userName: 'vera@example.com', changes: [{ path: 'title', before: { sensitive: true }, after: { sensitive: true } }] }),
  ]);
  expect((await vault(['report'])).stdout).toContain('title: (sensitive value changed)');
  expect(outputs.join('\n')).not.toMatch(/Classified-Title/);
});
