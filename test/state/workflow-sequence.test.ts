// The GitHub workflows end to end on shared state, as separate CI runners run them: each job in a fresh
// directory (own out, state and log dirs: nothing survives a job but PostgreSQL and the apps), running the
// `scimform` calls read from the workflow files, with the workflow's env block resolved from secrets and
// variables. Pull-request plan and Markdown comment → apply of the reviewed fingerprint on merge → nightly
// drift 0 → an out-of-band change → drift 2 → the fix (plan, review, apply) → drift 0. Real PostgreSQL,
// real terraform, the sandbox as the live app; `--stack wiki` keeps it to one app.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPORT_MARKER } from '../../cli/report/render-markdown';
import { FINGERPRINT_PATTERN } from '../../cli/report/report-fingerprint';
import { loadWorkflow, resolveEnv, scimformCalls, workflowSteps, type Step } from '../support/github-workflows';
import { startTestPostgres, type TestPostgres } from '../support/postgres';
import { runScimform, tempCheckout } from '../support/scimform-cli';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';

jest.setTimeout(900_000);

let pg: TestPostgres;
let sandbox: TestSandbox;
let tmp: string;
let runners = 0;

interface Call {
  args: string[];
  code: number;
  stdout: string;
  stderr: string;
}

/** One job of `file` on a fresh runner: every step's scimform calls in order (steps chosen by `pick`). */
async function runJob(file: string, stepEnv: Record<string, string> = {}, pick: (s: Step) => boolean = () => true): Promise<{ dir: string; calls: Call[] }> {
  const dir = path.join(tmp, `runner-${++runners}`);
  fs.mkdirSync(dir);
  const wf = loadWorkflow(file);
  const ctx = {
    secrets: { SCIMFORM_STATE_URL: pg.url, SCIMFORM_WIKI_TOKEN: sandbox.credentials.generic.token },
    vars: { SCIMFORM_WIKI_ENDPOINT: sandbox.credentials.generic.baseUrl },
  };
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(base)) if (/^SCIMFORM_/.test(k)) delete base[k];
  const env: NodeJS.ProcessEnv = {
    ...base,
    NO_COLOR: '1',
    ...resolveEnv(wf.env, ctx),
    // The runner's checkout: same org files; the other apps target sandbox tenants (their vars are unset).
    SCIMFORM_ORG_DIR: path.join(tmp, 'org'),
    SCIMFORM_SANDBOX_DIR: sandbox.dataDir,
    SCIMFORM_OUTDIR: path.join(dir, 'cdktf.out'),
    SCIMFORM_STATE_DIR: path.join(dir, 'state'),
    SCIMFORM_LOG_DIR: path.join(dir, 'logs'),
    GITHUB_STEP_SUMMARY: path.join(dir, 'step-summary.md'),
    ...stepEnv,
  };
  const calls: Call[] = [];
  for (const step of workflowSteps(wf).filter((s) => s.run && pick(s))) {
    for (const words of scimformCalls(step.run!)) {
      const args = words.map((w, i) => {
        const v = w.replace(/^\$(\w+)$/, (_, n: string) => env[n] ?? '');
        // Output files are written in the runner's working directory.
        return i > 0 && /^--[\w-]+-file$/.test(words[i - 1]) && !path.isAbsolute(v) ? path.join(dir, v) : v;
      });
      args.push('--stack', 'wiki');
      const r = await runScimform(env, args);
      calls.push({ args, ...r });
      if (r.code !== 0) return { dir, calls }; // a failing step ends the job
    }
  }
  return { dir, calls };
}

const codes = (job: { calls: Call[] }) => job.calls.map((c) => `${c.args[0]}=${c.code}${c.code === 0 || c.code === 2 ? '' : `\n${c.stderr}\n${c.stdout}`}`);

/** The pull-request job: plan + the Markdown comment; returns the fingerprint the apply job will read. */
async function pullRequest(): Promise<{ fingerprint: string; markdown: string }> {
  const job = await runJob('scimform-plan.yml');
  expect(codes(job)).toEqual(['plan=0']);
  const markdown = fs.readFileSync(path.join(job.dir, 'scimform-report.md'), 'utf8');
  expect(markdown).toContain(REPORT_MARKER);
  const fingerprint = new RegExp(FINGERPRINT_PATTERN.source).exec(markdown)?.[1];
  expect(fingerprint).toMatch(/^[0-9a-f]{32}$/);
  return { fingerprint: fingerprint!, markdown };
}

/** The merge job: plan main, then apply the reviewed fingerprint (the step without the mass-deactivation label). */
const merge = (fingerprint: string) =>
  runJob('scimform-apply.yml', { REVIEWED: fingerprint }, (s) => !/--allow-mass-deactivation/.test(s.run ?? ''));

const drift = () => runJob('scimform-drift.yml');

beforeAll(async () => {
  tmp = tempCheckout('scimform-gitops-').dir;
  [pg, sandbox] = await Promise.all([startTestPostgres(), startTestSandbox({ dataDir: path.join(tmp, 'sandbox') })]);
});

afterAll(async () => {
  await Promise.all([pg?.stop(), sandbox?.stop()]);
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('GitHub workflows on shared state, each job on a fresh runner', () => {
  test('the workflows take the state from a secret and never run apply and drift at the same time', () => {
    const apply = loadWorkflow('scimform-apply.yml');
    const driftWf = loadWorkflow('scimform-drift.yml');
    for (const f of ['scimform-plan.yml', 'scimform-apply.yml', 'scimform-drift.yml']) {
      const wf = loadWorkflow(f);
      expect(wf.env?.SCIMFORM_STATE_URL).toBe('${{ secrets.SCIMFORM_STATE_URL }}');
      expect(wf.concurrency?.group).toContain('${{ github.repository }}');
    }
    expect(apply.concurrency).toEqual(driftWf.concurrency);
    expect(apply.concurrency?.['cancel-in-progress']).toBe(false);
  });

  test('plan on the pull request → apply on merge → drift 0 → out-of-band change → drift 2 → fix → drift 0', async () => {
    const first = await pullRequest();
    expect(first.markdown).toMatch(/7 to create|create.*7|7.*create/i);

    const applied = await merge(first.fingerprint);
    expect(codes(applied)).toEqual(['plan=0', 'apply=0']);
    const users = await sandbox.admin.listUsers('generic');
    expect(users).toHaveLength(7);

    expect(codes(await drift())).toEqual(['synth=0', 'drift=0']);

    // Someone edits an account in the app itself.
    const ada = users.find((u: { userName: string }) => u.userName === 'ada.lovelace@example.com');
    await sandbox.admin.patchUser('generic', ada.id, { title: 'Changed in the app' });
    const drifted = await drift();
    expect(codes(drifted)).toEqual(['synth=0', 'drift=2']);
    expect(fs.readFileSync(path.join(drifted.dir, 'step-summary.md'), 'utf8')).toContain('ada');

    // The fix: a pull request re-plans (1 update), is reviewed, merged and applied.
    const fix = await pullRequest();
    expect(fix.fingerprint).not.toBe(first.fingerprint);
    expect(codes(await merge(fix.fingerprint))).toEqual(['plan=0', 'apply=0']);
    expect((await sandbox.admin.getUser('generic', ada.id)).title).not.toBe('Changed in the app');
    expect(codes(await drift())).toEqual(['synth=0', 'drift=0']);
  });
});
