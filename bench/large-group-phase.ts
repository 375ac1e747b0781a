// The group-at-size phase (issue 18, "a pushed group of 7,000 members plans and applies in batched PATCHes,
// one read"): one scim_group whose membership is keyed by person (`member_ids`) with M members, against a
// fresh sandbox whose accounts exist before terraform runs. It times the first apply, a no-op plan and a
// change of 10 members, counts the sandbox's requests of each, and stops the run (BENCH_UNEXPECTED_REQUESTS)
// when the counts are not the batched ones: apply = 1 POST + ceil(M / batch) PATCH, the no-op plan = one
// GET /Groups and nothing else, the change = one PATCH. The jest suite test/groups/keyed-group.test.ts proves
// the same mechanism at a small size; this phase measures the large one.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { offlineTerraformEnv } from '../cli/terraform-runner';
import { startBenchSandbox } from './bench-sandbox';
import { unexpectedRequests } from './errors';
import type { StateBackend } from './state-backend';
import { runTerraform, type TerraformRun } from './terraform-runner';

/** The generic profile's member batch: one PATCH carries up to this many member operations. */
export const GROUP_MEMBER_BATCH = 100;

/** Requests of one terraform command, as "METHOD /Resource[/id]" (query dropped), in order. */
export type RequestShape = string[];

export interface LargeGroupResult {
  members: number;
  apply_s: number;
  noop_plan_s: number;
  change_apply_s: number;
  /** Requests by method of each measured command. */
  requests: { apply: Record<string, number>; noop_plan: Record<string, number>; change_apply: Record<string, number> };
}

const countBy = (shape: RequestShape): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const r of shape) {
    const m = r.split(' ')[0]!;
    out[m] = (out[m] ?? 0) + 1;
  }
  return out;
};
const writesOf = (shape: RequestShape): RequestShape => shape.filter((r) => !r.startsWith('GET '));

/**
 * Checks the request shapes of the three commands against the batched ones; returns the problems found
 * (empty = as expected). Pure, so the rule is unit-tested without Terraform.
 */
export function largeGroupProblems(members: number, batch: number, got: { apply: RequestShape; noopPlan: RequestShape; changeApply: RequestShape }): string[] {
  const problems: string[] = [];
  const patches = Math.ceil(members / batch);
  const applyWrites = writesOf(got.apply);
  const posts = applyWrites.filter((r) => r === 'POST /Groups').length;
  const patchCount = applyWrites.filter((r) => /^PATCH \/Groups\/[^/]+$/.test(r)).length;
  if (posts !== 1 || patchCount !== patches || applyWrites.length !== 1 + patches) {
    problems.push(`first apply: expected 1 POST /Groups and ${patches} PATCH /Groups/{id} (batches of ${batch}), got ${summarize(applyWrites)}`);
  }
  if (got.noopPlan.length !== 1 || got.noopPlan[0] !== 'GET /Groups') {
    problems.push(`no-op plan: expected exactly one read (GET /Groups), got ${summarize(got.noopPlan)}`);
  }
  const changeWrites = writesOf(got.changeApply);
  if (changeWrites.length !== 1 || !/^PATCH \/Groups\/[^/]+$/.test(changeWrites[0]!)) {
    problems.push(`change of 10 members: expected one PATCH /Groups/{id}, got ${summarize(changeWrites)}`);
  }
  if (got.changeApply.some((r) => /^GET \/Users\/[^/]+$/.test(r))) {
    problems.push('change of 10 members: the new members were read one GET /Users/{id} each instead of through listings');
  }
  return problems;
}

function summarize(shape: RequestShape): string {
  if (shape.length === 0) return 'no request';
  const counts = Object.entries(countBy(shape)).map(([m, n]) => `${n} ${m}`);
  return `${shape.length} request(s): ${counts.join(', ')} (first: ${shape.slice(0, 3).join(', ')})`;
}

const key = (i: number): string => `P${String(i).padStart(5, '0')}`;

function groupConfig(endpoint: string, backend: { address: string }, memberIds: Record<string, string>): Record<string, unknown> {
  return {
    terraform: { required_providers: { scim: { source: 'scimform/scim' } }, backend: { http: backend } },
    // The token comes from SCIM_TOKEN in the environment, never from a file.
    provider: { scim: { endpoint, profile: 'generic' } },
    resource: { scim_group: { everyone: { display_name: 'Everyone', member_ids: memberIds } } },
  };
}

export interface LargeGroupOptions {
  members: number;
  cliConfigFile: string;
  stateBackend: StateBackend;
  log: (line: string) => void;
}

/** Runs the phase in `workDir/large-group` against a sandbox of its own; throws a BenchError on a wrong count. */
export async function largeGroupPhase(workDir: string, opts: LargeGroupOptions): Promise<LargeGroupResult> {
  const m = opts.members;
  const sandbox = await startBenchSandbox(path.join(workDir, 'sandbox-large-group'));
  try {
    // The accounts exist before terraform runs (out of band, 16 at a time); 10 more for the change.
    const ids: string[] = new Array(m + 10);
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < ids.length) {
          const i = next++;
          ids[i] = (await sandbox.admin.createUser('generic', { userName: `member-${i}@example.com` })).id;
        }
      }),
    );
    const env: NodeJS.ProcessEnv = { ...offlineTerraformEnv(process.env, opts.cliConfigFile), SCIM_TOKEN: sandbox.endpoint.token };
    delete env.TF_LOG;
    const cwd = path.join(workDir, 'large-group');
    fs.mkdirSync(cwd, { recursive: true });
    const write = (indexes: number[]): void => {
      const memberIds = Object.fromEntries(indexes.map((i) => [key(i), ids[i]!]));
      fs.writeFileSync(path.join(cwd, 'main.tf.json'), JSON.stringify(groupConfig(sandbox.endpoint.baseUrl, opts.stateBackend.backendConfig('large-group'), memberIds)));
    };
    const shapeOf = async (): Promise<RequestShape> => (await sandbox.admin.requestLog('generic')).map((e) => `${e.method} ${e.path.split('?')[0]}`);
    const measured = async (args: string[], okExitCodes = [0]): Promise<{ run: TerraformRun; shape: RequestShape }> => {
      await sandbox.admin.clearRequestLog('generic');
      const run = await runTerraform(args, { cwd, env, okExitCodes });
      return { run, shape: await shapeOf() };
    };
    const common = ['-input=false', '-no-color'];
    const all = Array.from({ length: m }, (_, i) => i);

    write(all);
    await runTerraform(['init', ...common], { cwd, env });
    opts.log(`large group: first apply of one group of ${m} members (member_ids)`);
    const apply = await measured(['apply', '-auto-approve', ...common]);
    const noop = await measured(['plan', '-detailed-exitcode', ...common], [0, 2]);
    // 5 out, 5 in.
    write([...all.slice(5), ...Array.from({ length: 5 }, (_, i) => m + i)]);
    const change = await measured(['apply', '-auto-approve', ...common]);

    const problems = largeGroupProblems(m, GROUP_MEMBER_BATCH, { apply: apply.shape, noopPlan: noop.shape, changeApply: change.shape });
    if (noop.run.exitCode !== 0) problems.push(`no-op plan: exit ${noop.run.exitCode} (2 = changes planned): ${noop.run.summary.join(' | ')}`);
    if (problems.length) throw unexpectedRequests(`large group of ${m} members`, problems);

    const result: LargeGroupResult = {
      members: m,
      apply_s: apply.run.seconds,
      noop_plan_s: noop.run.seconds,
      change_apply_s: change.run.seconds,
      requests: { apply: countBy(apply.shape), noop_plan: countBy(noop.shape), change_apply: countBy(change.shape) },
    };
    const fmt = (r: Record<string, number>): string => Object.entries(r).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
    opts.log(`large group: apply ${result.apply_s.toFixed(1)} s (${fmt(result.requests.apply)}); no-op plan ${result.noop_plan_s.toFixed(1)} s (${fmt(result.requests.noop_plan)}); change of 10 members ${result.change_apply_s.toFixed(1)} s (${fmt(result.requests.change_apply)})`);
    return result;
  } finally {
    await sandbox.close();
  }
}
