// Progress of a long apply on the terminal (cli/workflow/apply-progress.ts): the provisioning log's progress
// lines become `applying accounts: done/total, failed, rate, time left`, several roster slices add up, and the
// follower reads a log being appended from its size at the start, with a final line when the apply ends.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { followProgress, followStackApply, formatProgress, parseProgressLine, ProgressTally, stackLogFiles } from '../../cli/workflow/apply-progress';

const T0 = Date.parse('2026-12-04T10:00:00.000Z');
const line = (o: { action?: string; done: number; total: number; failed?: number; at: number; started?: number }) =>
  JSON.stringify({
    time: new Date(o.at).toISOString(),
    endpoint: 'http://127.0.0.1:1/generic/scim/v2',
    method: '-',
    path: '/Users',
    durationMs: o.at - (o.started ?? T0),
    action: o.action ?? 'roster-progress',
    done: o.done,
    total: o.total,
    failed: o.failed ?? 0,
    detail: `scim_roster: ${o.done}/${o.total} entries applied, ${o.failed ?? 0} failed`,
  });

describe('wording', () => {
  test('an apply under way: done/total, failed, rate and time left', () => {
    const e = parseProgressLine(line({ done: 1200, total: 5000, at: T0 + 14_118 }))!;
    expect(formatProgress({ ...e }, T0 + 14_118)).toBe('applying accounts: 1,200/5,000, 0 failed, 85/s, about 45 s left');
  });

  test('a finished apply: the total time instead of time left', () => {
    const e = parseProgressLine(line({ done: 5000, total: 5000, failed: 3, at: T0 + 58_824 }))!;
    expect(formatProgress(e, T0 + 70_000)).toBe('applying accounts: 5,000/5,000, 3 failed, 85/s, done in 59 s');
  });

  test('the start line has no rate yet; slow rates per minute, long times in minutes; group members have their own subject', () => {
    expect(formatProgress(parseProgressLine(line({ done: 0, total: 180, at: T0 }))!, T0 + 5000)).toBe('applying accounts: 0/180, 0 failed');
    expect(formatProgress(parseProgressLine(line({ done: 6, total: 180, at: T0 + 120_000 }))!, T0 + 120_000)).toBe(
      'applying accounts: 6/180, 0 failed, 3/min, about 58 min 00 s left',
    );
    expect(formatProgress(parseProgressLine(line({ action: 'group-progress', done: 2000, total: 7000, at: T0 + 4000 }))!, T0 + 4000)).toBe(
      'applying group members: 2,000/7,000, 0 failed, 500/s, about 10 s left',
    );
  });

  test('other log lines are not progress', () => {
    expect(parseProgressLine(JSON.stringify({ time: new Date(T0).toISOString(), method: 'POST', path: '/Users', status: 201, durationMs: 5, action: 'create-user' }))).toBeUndefined();
    expect(parseProgressLine('{"action":"roster-progress", truncated')).toBeUndefined();
    expect(parseProgressLine(JSON.stringify({ action: 'roster-progress', time: new Date(T0).toISOString(), done: 1 }))).toBeUndefined();
  });
});

test('slices of one app add up; a later line of the same slice replaces its count', () => {
  const tally = new ProgressTally();
  tally.add(parseProgressLine(line({ done: 0, total: 1000, at: T0 }))!);
  tally.add(parseProgressLine(line({ done: 0, total: 1000, at: T0 + 300, started: T0 + 300 }))!);
  tally.add(parseProgressLine(line({ done: 400, total: 1000, failed: 1, at: T0 + 5000 }))!);
  tally.add(parseProgressLine(line({ done: 100, total: 1000, at: T0 + 5000, started: T0 + 300 }))!);
  tally.add(parseProgressLine(line({ done: 600, total: 1000, failed: 2, at: T0 + 7000 }))!);
  const [s] = tally.summaries();
  expect(s).toMatchObject({ action: 'roster-progress', done: 700, total: 2000, failed: 2, startedAt: T0 });
  expect(formatProgress(s, T0 + 7000)).toBe('applying accounts: 700/2,000, 2 failed, 100/s, about 13 s left');
});

describe('following a provisioning log being appended', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-progress-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  test('reads from the size at the start, throttles reports, handles a line split across writes, ends with a final line', async () => {
    const file = path.join(dir, 'wiki.jsonl');
    // A finished apply of an earlier run: not this apply's progress.
    fs.writeFileSync(file, `${line({ done: 50, total: 50, at: T0 - 60_000, started: T0 - 70_000 })}\n`);
    const reports: string[] = [];
    const f = followProgress(file, (m) => reports.push(m), { pollMs: 10, intervalMs: 400, settleMs: 0 });
    const now = Date.now();
    const at = (ms: number) => now + ms;
    fs.appendFileSync(file, `${line({ done: 0, total: 100, at: at(0), started: now })}\n${JSON.stringify({ method: 'POST', path: '/Users', status: 201, action: 'create-user' })}\n`);
    await sleep(60);
    expect(reports).toEqual(['applying accounts: 0/100, 0 failed']);
    const half = line({ done: 50, total: 100, at: at(100), started: now });
    fs.appendFileSync(file, half.slice(0, 40));
    await sleep(40);
    fs.appendFileSync(file, `${half.slice(40)}\n${line({ done: 60, total: 100, at: at(120), started: now })}\n`);
    await sleep(60);
    expect(reports).toHaveLength(1); // within the interval: nothing new yet
    await sleep(400);
    expect(reports).toHaveLength(2);
    expect(reports[1]).toMatch(/^applying accounts: 60\/100, 0 failed, \d+\/s, about \d+ s left$/);
    fs.appendFileSync(file, `${line({ done: 100, total: 100, failed: 1, at: at(200), started: now })}\n`);
    f.stop();
    expect(reports).toHaveLength(3);
    expect(reports[2]).toMatch(/^applying accounts: 100\/100, 1 failed, \d+\/s, done in 1 s$/);
  });

  test('the first report waits until every slice has begun, so its total is the whole app', async () => {
    const file = path.join(dir, 'proxy.jsonl');
    const reports: string[] = [];
    const f = followProgress(file, (m) => reports.push(m), { pollMs: 10, intervalMs: 100, settleMs: 300 });
    const now = Date.now();
    fs.writeFileSync(file, `${line({ done: 0, total: 811, at: now, started: now })}\n`);
    await sleep(100);
    // A second slice logs its start a little later (its own start time: another bulk apply).
    fs.appendFileSync(file, `${line({ done: 0, total: 790, at: now + 100, started: now + 100 })}\n`);
    await sleep(60);
    expect(reports).toEqual([]);
    await sleep(400);
    expect(reports).toEqual(['applying accounts: 0/1,601, 0 failed']);
    fs.appendFileSync(file, `${line({ done: 811, total: 811, at: now + 900, started: now })}\n${line({ done: 790, total: 790, at: now + 1000, started: now + 100 })}\n`);
    f.stop();
    expect(reports[1]).toMatch(/^applying accounts: 1,601\/1,601, 0 failed, [\d,]+\/s, done in 1 s$/);
  });

  test('a stack follows the log_file of its scim provider blocks, relative to the stack folder', () => {
    const stack = path.join(dir, 'stack');
    fs.mkdirSync(stack);
    fs.writeFileSync(path.join(stack, 'cdk.tf.json'), JSON.stringify({ provider: { scim: [{ endpoint: 'x', log_file: '../logs/wiki.jsonl' }, { alias: 'b' }] } }));
    expect(stackLogFiles(stack)).toEqual([path.join(dir, 'logs', 'wiki.jsonl')]);
    // The log does not exist before the apply: it is followed from its start once the provider creates it.
    const reports: string[] = [];
    const f = followStackApply(stack, (m) => reports.push(m), { pollMs: 10 });
    fs.mkdirSync(path.join(dir, 'logs'));
    fs.writeFileSync(path.join(dir, 'logs', 'wiki.jsonl'), `${line({ done: 3, total: 3, at: T0 + 1000 })}\n`);
    f.stop();
    expect(reports).toEqual(['applying accounts: 3/3, 0 failed, 3.0/s, done in 1 s']);
  });
});
