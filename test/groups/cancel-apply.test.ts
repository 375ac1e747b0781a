// Ctrl-C during `terraform apply` of a scim_group change against a slow sandbox: Terraform calls StopProvider,
// the provider aborts its SCIM request in flight (instead of waiting for the server), apply ends at once with
// an error naming the aborted request, nothing half-planned is written, and the next plan still shows the change.
import { spawn } from 'node:child_process';
import { findTerraform } from '../../scripts/install-provider';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import type { TerraformWorkdir } from '../support/terraform';
import { config, initialised, memberIds, providerBlock, readState, seedUsers, stateOf } from './group-fixture';

const LATENCY_MS = 8000;

let sb: TestSandbox;
let wd: TerraformWorkdir;

beforeAll(async () => {
  sb = await startTestSandbox();
});

afterAll(async () => {
  await sb?.admin.setFaults('generic', {}).catch(() => undefined);
  await wd?.cleanup();
  // The request the provider gave up on still waits out its latency in the sandbox: stop() drops it at once
  // (test/sandbox/close-during-latency.test.ts), so nothing outlives the suite.
  await sb?.stop();
});

test('Ctrl-C aborts the request in flight: apply stops at once, state and server keep the prior group', async () => {
  const ids = await seedUsers(sb, 'generic', ['ada@example.com', 'bob@example.com']);
  const team = (members: string[]) => `resource "scim_group" "team" {\n  display_name = "Team"\n  members      = [${members.map((m) => `"${m}"`).join(', ')}]\n}\n`;
  wd = await initialised(config(providerBlock(sb, 'generic'), team([ids[0]])));
  expect((await wd.apply()).code).toBe(0);
  const teamId = stateOf(readState(wd), 'scim_group.team').id;
  wd.setHcl(config(providerBlock(sb, 'generic'), team([ids[0], ids[1]])));
  expect((await wd.plan(['-out=add.tfplan'])).code).toBe(0);

  // Every SCIM request now takes 8 s; apply's first request (the fresh read of the group) hangs.
  await sb.admin.setFaults('generic', { latencyMs: LATENCY_MS });
  const child = spawn(findTerraform(), ['apply', '-no-color', '-input=false', 'add.tfplan'], { cwd: wd.dir, env: wd.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  // Interrupt once the update has started: resolved by the output itself (or the exit, or 10 s), not by polling.
  let started: () => void = () => undefined;
  const modifying = new Promise<void>((resolve) => (started = resolve));
  const collect = (d: Buffer) => {
    out += d;
    if (out.includes('scim_group.team: Modifying')) started();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([modifying, exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, 10_000)))]);
  clearTimeout(timer);
  expect(out).toContain('scim_group.team: Modifying');
  await new Promise((r) => setTimeout(r, 500));
  const interrupted = Date.now();
  child.kill('SIGINT');
  const code = await exited;
  const took = Date.now() - interrupted;
  await sb.admin.setFaults('generic', {});

  expect(code).not.toBe(0);
  expect(out).toContain('Interrupt received');
  expect(out.replace(/\s+/g, ' ')).toMatch(/aborted: the operation was cancelled/);
  expect(took).toBeLessThan(LATENCY_MS - 2000);
  // Nothing was written: the state and the server keep the prior membership; the next plan shows the add again.
  expect([...stateOf(readState(wd), 'scim_group.team').members]).toEqual([ids[0]]);
  expect(await memberIds(sb, 'generic', teamId)).toEqual([ids[0]]);
  const next = await wd.plan(['-detailed-exitcode']);
  expect(next.code).toBe(2);
  expect(next.stdout).toContain('scim_group.team will be updated in-place');
}, 120_000);
