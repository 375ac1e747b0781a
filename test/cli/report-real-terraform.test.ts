// `scimform plan` / `report` / `apply` / `access` on real Terraform plans against a sandbox tenant:
// every kind of change (create, adopt, update before → after, deactivate, reactivate, delete, member
// add and remove) in the terminal, Markdown and JSON reports; no credential or sensitive value in any
// output; the deactivation guard trips and is overridden; apply refuses a plan that is not the
// reviewed one; the access matrix shows active, deactivated and pending accounts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TestSandbox } from '../support/sandbox';
import { CliResult, scimform, StackFixture, useSandboxAndStacks, user } from './stack-fixture';
import type { PlanReport } from '../../cli/report/report-model';

const SECRET_BEFORE = 'Classified-Title-One';
const SECRET_AFTER = 'Classified-Title-Two';

let sb: TestSandbox;
let fx: StackFixture;
const outputs: string[] = [];
const run = async (args: string[]): Promise<CliResult> => {
  const r = await scimform(args);
  outputs.push(r.stdout, r.stderr);
  return r;
};
const read = (file: string) => {
  const text = fs.readFileSync(file, 'utf8');
  outputs.push(text);
  return text;
};
const byName = async (userName: string) => (await sb.admin.listUsers('generic')).find((u) => u.userName === userName);

function writeStack(resources: Record<string, Record<string, Record<string, unknown>>>, secretTitle: string) {
  fx.write('generic', {
    endpoint: sb.credentials.generic.baseUrl,
    credentials: { scim_token: { file: path.join(sb.dataDir, 'credentials.json'), key: 'generic.token' } },
    variables: { secret_title: { type: 'string', sensitive: true, default: secretTitle } },
    resources,
  });
}

useSandboxAndStacks((s, f) => ((sb = s), (fx = f)));

describe('plan report on real plans', () => {
  let report: PlanReport;
  let markdown: string;
  let terminal: string;

  test('baseline: plan creates users, a group and its members; apply provisions them', async () => {
    writeStack(
      {
        scim_user: {
          ada: user('ada@example.com', { title: '${var.secret_title}' }),
          bob: user('bob@example.com'),
          carol: user('carol@example.com', { title: 'Engineer' }),
          dave: user('dave@example.com'),
          erin: user('erin@example.com', { active: false }),
          grace: user('grace@example.com', { on_destroy: 'delete' }),
        },
        scim_group: { eng: { display_name: 'Engineering', members: ['${scim_user.ada.id}', '${scim_user.bob.id}'] } },
      },
      SECRET_BEFORE,
    );
    const plan = await run(['plan', '--no-synth', '--stacks-dir', fx.stacksDir, '--format', 'json']);
    expect(plan.code).toBe(0);
    const first = JSON.parse(plan.stdout) as PlanReport;
    expect(first.totals).toMatchObject({ create: 6, groupsCreate: 1, membersAdded: 2, deactivate: 0 });
    expect(first.apps[0].members.added.map((m) => `${m.user} → ${m.group}`)).toEqual([
      'ada@example.com → Engineering',
      'bob@example.com → Engineering',
    ]);
    const apply = await run(['apply', '--stacks-dir', fx.stacksDir]);
    expect(apply.code).toBe(0);
    expect(await byName('dave@example.com')).toMatchObject({ active: true });

    // An account made in the app itself, which the next plan adopts.
    await sb.admin.createUser('generic', { userName: 'frank@example.com', displayName: 'frank', active: true });
    // A deactivated account (a leaver's, say) that the next plan adopts and reactivates.
    await sb.admin.createUser('generic', { userName: 'judy@example.com', displayName: 'judy', active: false });
  });

  test('the next plan reports every kind of change, in JSON, Markdown and the terminal', async () => {
    writeStack(
      {
        scim_user: {
          ada: user('ada@example.com', { title: '${var.secret_title}' }),
          carol: user('carol@example.com', { title: 'Senior Engineer' }),
          dave: user('dave@example.com', { active: false }),
          erin: user('erin@example.com', { active: true }),
          frank: user('frank@example.com', { title: 'Adopted' }),
          heidi: user('heidi@example.com'),
          judy: user('judy@example.com'),
        },
        scim_group: {
          eng: { display_name: 'Engineering', members: ['${scim_user.ada.id}', '${scim_user.carol.id}', '${scim_user.heidi.id}'] },
        },
      },
      SECRET_AFTER,
    );
    const jsonFile = path.join(fx.root, 'report.json');
    const mdFile = path.join(fx.root, 'report.md');
    const plan = await run(['plan', '--no-synth', '--stacks-dir', fx.stacksDir, '-o', jsonFile, '--format', 'json', '--markdown-file', mdFile]);
    expect(plan.code).toBe(0);
    expect(plan.stderr).toContain('[generic] terraform plan');
    report = JSON.parse(read(jsonFile)) as PlanReport;
    markdown = read(mdFile);
    const term = await run(['report', '--stacks-dir', fx.stacksDir]);
    expect(term.code).toBe(0);
    terminal = term.stdout;

    const app = report.apps[0];
    const names = (list: { userName: string }[]) => list.map((u) => u.userName);
    expect(names(app.users.create)).toEqual(['heidi@example.com']);
    const frank = await byName('frank@example.com');
    expect(app.users.adopt).toEqual([expect.objectContaining({ userName: 'frank@example.com', id: frank.id })]);
    expect(names(app.users.update)).toEqual(['ada@example.com', 'carol@example.com']);
    expect(app.users.update[1].changes).toEqual([{ path: 'title', before: { value: 'Engineer' }, after: { value: 'Senior Engineer' } }]);
    expect(app.users.update[0].changes).toEqual([{ path: 'title', before: { sensitive: true }, after: { sensitive: true } }]);
    expect(names(app.users.deactivate)).toEqual(['bob@example.com', 'dave@example.com']);
    expect(app.users.deactivate[0].note).toBe('removed from configuration');
    expect(app.users.deactivate[1].changes).toContainEqual({ path: 'active', before: { value: true }, after: { value: false } });
    expect(names(app.users.reactivate)).toEqual(['erin@example.com', 'judy@example.com']);
    expect(app.users.reactivate[1].note).toBe('deactivated account adopted and reactivated');
    expect(names(app.users.delete)).toEqual(['grace@example.com']);
    expect(app.members.added.map((m) => `${m.user} → ${m.group}`)).toEqual([
      'carol@example.com → Engineering',
      'heidi@example.com → Engineering',
    ]);
    expect(app.members.removed.map((m) => `${m.user} ✕ ${m.group}`)).toEqual(['bob@example.com ✕ Engineering']);
    expect(app.managedUsers).toBe(6);
    expect(report.totals).toMatchObject({ create: 1, adopt: 1, update: 2, deactivate: 2, reactivate: 2, delete: 1, membersAdded: 2, membersRemoved: 1 });
    expect(report.guard).toMatchObject({ tripped: true, blocks: true });

    expect(markdown).toContain('| generic | 1 | 1 | 2 | 2 | 2 | 1 | 0 | +2 / −1 |');
    expect(markdown).toContain('<details><summary><strong>generic</strong>:');
    for (const line of [
      '**Create (1)**\n- `heidi@example.com`',
      `- \`frank@example.com\` — existing id \`${frank.id}\``,
      '- `carol@example.com`\n  - `title: "Engineer" → "Senior Engineer"`',
      '- `ada@example.com`\n  - `title: (sensitive value changed)`',
      '**Deactivate (2)**\n- `bob@example.com` — removed from configuration',
      '**Reactivate (2)**\n- `erin@example.com`',
      '- `judy@example.com` — deactivated account adopted and reactivated',
      '**Delete (1)**\n- `grace@example.com`',
      '- `heidi@example.com` → `Engineering`',
      '- `bob@example.com` ✕ `Engineering`',
      '> [!CAUTION]',
    ]) {
      expect(markdown).toContain(line);
    }

    for (const line of [
      '+ create       heidi@example.com',
      `+ adopt        frank@example.com  (existing id ${frank.id}; existing account taken over)`,
      '~ update       carol@example.com',
      'title: "Engineer" → "Senior Engineer"',
      'title: (sensitive value changed)',
      '- deactivate   bob@example.com  (removed from configuration)',
      '- deactivate   dave@example.com',
      'active: true → false',
      '+ reactivate   erin@example.com',
      '+ reactivate   judy@example.com',
      '- delete       grace@example.com',
      '+ member       heidi@example.com → Engineering',
      '- member       bob@example.com ✕ Engineering',
      'deactivation guard tripped',
    ]) {
      expect(terminal).toContain(line);
    }
    expect(terminal).not.toMatch(/\u001b\[/);
  });

  test('the guard refuses the plan (exit 3, counts per app) and nothing changes', async () => {
    const r = await run(['apply', '--stacks-dir', fx.stacksDir]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('generic: 3 account(s) lose access — 3 of 6 managed users (50%) > --max-deactivation-percent 20');
    expect(r.stderr).toContain('--allow-mass-deactivation');
    expect(await byName('dave@example.com')).toMatchObject({ active: true });
    expect(await byName('heidi@example.com')).toBeUndefined();
  });

  test('apply refuses a plan that is not the reviewed one, then applies the reviewed one when overridden', async () => {
    const wrong = await run(['apply', '--stacks-dir', fx.stacksDir, '--allow-mass-deactivation', '--expect-fingerprint', '0'.repeat(32)]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('differ from the reviewed plan');
    expect(await byName('heidi@example.com')).toBeUndefined();

    const ok = await run(['apply', '--stacks-dir', fx.stacksDir, '--allow-mass-deactivation', '--expect-fingerprint', report.fingerprint]);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toContain('overridden by --allow-mass-deactivation');
    expect(await byName('dave@example.com')).toMatchObject({ active: false });
    expect(await byName('bob@example.com')).toMatchObject({ active: false });
    expect(await byName('erin@example.com')).toMatchObject({ active: true });
    expect(await byName('grace@example.com')).toBeUndefined();
    expect(await byName('heidi@example.com')).toMatchObject({ active: true });
    const frank = await byName('frank@example.com');
    expect(frank.title).toBe('Adopted');
    const eng = (await sb.admin.listGroups('generic')).find((g) => g.displayName === 'Engineering');
    const members = await Promise.all((eng.members as { value: string }[]).map(async (m) => (await sb.admin.getUser('generic', m.value)).userName));
    expect(members.sort()).toEqual(['ada@example.com', 'carol@example.com', 'heidi@example.com']);
  });

  test('access matrix: active, deactivated and pending, as Markdown, CSV and HTML', async () => {
    // Declared but not applied yet: pending.
    const doc = JSON.parse(fs.readFileSync(path.join(fx.stacksDir, 'generic', 'cdk.tf.json'), 'utf8'));
    doc.resource.scim_user.ivan = user('ivan@example.com', { roles: ['Editor'] });
    fs.writeFileSync(path.join(fx.stacksDir, 'generic', 'cdk.tf.json'), JSON.stringify(doc));

    const md = await run(['access', '--stacks-dir', fx.stacksDir]);
    expect(md.code).toBe(0);
    expect(md.stdout).toContain('| Person | generic |');
    expect(md.stdout).toMatch(/\| heidi .*\| ✅ active/);
    expect(md.stdout).toMatch(/\| dave .*\| ⛔ deactivated/);
    expect(md.stdout).toMatch(/\| ivan .*\| ⏳ pending \(Editor\)/);

    const csvFile = path.join(fx.root, 'access.csv');
    expect((await run(['access', '--stacks-dir', fx.stacksDir, '--format', 'csv', '-o', csvFile])).code).toBe(0);
    const csv = read(csvFile).trim().split('\r\n');
    expect(csv[0]).toBe('person,key,email,generic status,generic role,generic userName');
    expect(csv).toContain('ivan,ivan,ivan@example.com,pending,Editor,ivan@example.com');
    expect(csv).toContain('dave,dave,dave@example.com,deactivated,,dave@example.com');
    // Removed from the configuration: deactivated by the last apply and no longer managed.
    expect(csv.some((l) => l.startsWith('bob,'))).toBe(false);

    const htmlFile = path.join(fx.root, 'access.html');
    expect((await run(['access', '--stacks-dir', fx.stacksDir, '--format', 'html', '-o', htmlFile])).code).toBe(0);
    const html = read(htmlFile);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<td class="pending">⏳ pending (Editor)<small>ivan@example.com</small>');
    expect(html).not.toMatch(/<(script|link|img)\b/);
  });

  test('no token, password or sensitive value appears in any output', () => {
    const secrets = [sb.credentials.generic.token, sb.credentials.admin.token, SECRET_BEFORE, SECRET_AFTER];
    expect(outputs.length).toBeGreaterThan(10);
    for (const text of outputs) for (const s of secrets) expect(text).not.toContain(s);
  });
});
