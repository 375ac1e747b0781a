// Progress of a long apply on the terminal: while terraform applies an app, follow that app's provisioning log
// (the provider's `log_file`, JSON lines) from its size at the start, pick the bulk-progress lines
// (`roster-progress`, `group-progress`: done / total / failed, durationMs since that bulk apply started) and
// report `applying accounts: 1,200/5,000, 0 failed, 85/s, about 45 s left` at most every few seconds (the first
// once every slice of the app has begun), plus a final line. Parsing, aggregation and wording are plain functions; the follower only polls the file.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** One bulk-progress line of the provisioning log. */
export interface ProgressEvent {
  action: string;
  done: number;
  total: number;
  failed: number;
  /** When that bulk apply started (ms since epoch): the line's time minus its durationMs. */
  startedAt: number;
  /** When the line was written (ms since epoch). */
  at: number;
}

/** What each progress action counts, for the message. */
const SUBJECT: Record<string, string> = { 'roster-progress': 'accounts', 'group-progress': 'group members' };

/** A provisioning-log line as a progress event; undefined for any other line (SCIM calls, decisions, garbage). */
export function parseProgressLine(line: string): ProgressEvent | undefined {
  if (!line.includes('-progress')) return undefined;
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const { action, done, total, failed, durationMs, time } = j;
  if (typeof action !== 'string' || !(action in SUBJECT)) return undefined;
  if (typeof done !== 'number' || typeof total !== 'number' || total <= 0) return undefined;
  const at = typeof time === 'string' ? Date.parse(time) : NaN;
  if (!Number.isFinite(at)) return undefined;
  const elapsed = typeof durationMs === 'number' && durationMs >= 0 ? durationMs : 0;
  return { action, done, total, failed: typeof failed === 'number' ? failed : 0, startedAt: at - elapsed, at };
}

/** Two lines whose start times differ by at most this much belong to the same bulk apply (same action and total). */
const SAME_START_MS = 25;

/** The bulk applies of one terraform apply, by action: the latest count of each. Several rosters (slices) of an
 * app apply at once; their lines carry no resource name, so one bulk apply is recognised by its action, total and
 * start time. */
export class ProgressTally {
  private readonly ops: ProgressEvent[] = [];

  add(e: ProgressEvent): void {
    const same = this.ops.find((o) => o.action === e.action && o.total === e.total && Math.abs(o.startedAt - e.startedAt) <= SAME_START_MS);
    if (!same) this.ops.push({ ...e });
    else if (e.done >= same.done) Object.assign(same, { done: e.done, failed: e.failed, at: e.at });
  }

  /** Sum per action, in first-seen order: done, total, failed, first start and last line time. */
  summaries(): ProgressSummary[] {
    const by = new Map<string, ProgressSummary>();
    for (const o of this.ops) {
      const s = by.get(o.action) ?? { action: o.action, done: 0, total: 0, failed: 0, startedAt: o.startedAt, at: o.at };
      s.done += o.done;
      s.total += o.total;
      s.failed += o.failed;
      s.startedAt = Math.min(s.startedAt, o.startedAt);
      s.at = Math.max(s.at, o.at);
      by.set(o.action, s);
    }
    return [...by.values()];
  }
}

export type ProgressSummary = Omit<ProgressEvent, 'action'> & { action: string };

const count = (n: number) => n.toLocaleString('en-US');

function duration(seconds: number): string {
  const s = Math.max(1, Math.round(seconds));
  if (s < 90) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 90) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

function rate(perSecond: number): string {
  if (perSecond >= 10) return `${Math.round(perSecond)}/s`;
  if (perSecond >= 1) return `${perSecond.toFixed(1)}/s`;
  return `${Math.round(perSecond * 60)}/min`;
}

/**
 * The message for one summary at time `now`: `applying accounts: 1,200/5,000, 0 failed, 85/s, about 45 s left`;
 * when all are done `applying accounts: 5,000/5,000, 3 failed, 85/s, done in 59 s`. Rate and time left come from
 * the items done since the first bulk apply started; both are left out until something is done.
 */
export function formatProgress(s: ProgressSummary, now: number): string {
  const subject = SUBJECT[s.action] ?? s.action.replace(/-progress$/, '');
  const head = `applying ${subject}: ${count(s.done)}/${count(s.total)}, ${count(s.failed)} failed`;
  const finished = s.done >= s.total;
  const elapsed = ((finished ? s.at : Math.max(now, s.at)) - s.startedAt) / 1000;
  if (s.done === 0 || elapsed <= 0) return head;
  const perSecond = s.done / elapsed;
  if (finished) return `${head}, ${rate(perSecond)}, done in ${duration(elapsed)}`;
  return `${head}, ${rate(perSecond)}, about ${duration((s.total - s.done) / perSecond)} left`;
}

export interface FollowOptions {
  /** Minimum time between two reports (default 3 s). */
  intervalMs?: number;
  /** How often the file is read (default 500 ms). */
  pollMs?: number;
  /**
   * The first report waits this long after the first progress line (default 1.5 s): the slices of an app begin
   * their writes together but log their starts one by one, and a report made at the first would show the total of
   * one slice (`0/811`) where the app applies 6,667.
   */
  settleMs?: number;
  now?: () => number;
}

export interface Follower {
  /** Reads what is left, reports the final state of each bulk apply not yet reported as finished, and stops. */
  stop(): void;
}

/**
 * Follows `file` from its current size (or from its start when it does not exist yet) and calls `report` with
 * progress messages: the first `settleMs` after the first progress line, then at most one round every
 * `intervalMs`, only when a count changed, and a final round on stop.
 */
export function followProgress(file: string, report: (message: string) => void, opts: FollowOptions = {}): Follower {
  const intervalMs = opts.intervalMs ?? 3000;
  const settleMs = opts.settleMs ?? 1500;
  const now = opts.now ?? Date.now;
  let firstSeen: number | undefined;
  let offset = sizeOf(file);
  let partial = '';
  const tally = new ProgressTally();
  let lastReport = 0;
  const shown = new Map<string, string>();

  const read = () => {
    const size = sizeOf(file);
    if (size < offset) offset = 0; // truncated or replaced: start again
    if (size === offset) return;
    let fd: number | undefined;
    try {
      fd = fs.openSync(file, 'r');
      const buf = Buffer.alloc(size - offset);
      const n = fs.readSync(fd, buf, 0, buf.length, offset);
      offset += n;
      const lines = (partial + buf.subarray(0, n).toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const e = parseProgressLine(line);
        if (e) tally.add(e);
      }
    } catch {
      // the log is best effort: an unreadable file shows no progress, the apply goes on
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  };

  /** Reports each action whose count changed since it was last reported; true when something was reported. */
  const emit = (final: boolean): boolean => {
    const t = now();
    let any = false;
    for (const s of tally.summaries()) {
      const key = `${s.done} ${s.total} ${s.failed}`;
      if (shown.get(s.action) === key) continue;
      if (!final && s.done >= s.total) continue; // the final line says it, once, with the total time
      report(formatProgress(s, t));
      shown.set(s.action, key);
      any = true;
    }
    return any;
  };

  const tick = () => {
    read();
    if (firstSeen === undefined && tally.summaries().length) firstSeen = now();
    if (firstSeen === undefined || now() - firstSeen < settleMs) return;
    if (now() - lastReport >= intervalMs && emit(false)) lastReport = now();
  };
  const timer = setInterval(tick, opts.pollMs ?? 500);
  timer.unref?.();
  return {
    stop() {
      clearInterval(timer);
      read();
      emit(true);
    },
  };
}

function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** The provisioning log files of a synthesized stack: `log_file` of its scim provider blocks (relative to the stack). */
export function stackLogFiles(stackDir: string): string[] {
  try {
    const json = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as { provider?: { scim?: unknown } };
    const blocks = json.provider?.scim;
    const list = Array.isArray(blocks) ? blocks : blocks ? [blocks] : [];
    const files = list
      .map((b) => (b && typeof b === 'object' ? (b as Record<string, unknown>).log_file : undefined))
      .filter((f): f is string => typeof f === 'string' && f !== '' && !f.includes('${'));
    return [...new Set(files.map((f) => path.resolve(stackDir, f)))];
  } catch {
    return [];
  }
}

/** Follows every provisioning log of the stack during one apply; `stop()` after terraform returns. */
export function followStackApply(stackDir: string, report: (message: string) => void, opts: FollowOptions = {}): Follower {
  const followers = stackLogFiles(stackDir).map((f) => followProgress(f, report, opts));
  return { stop: () => followers.forEach((f) => f.stop()) };
}
