// Durable storage of all tenants in the data dir: every acknowledged change is appended at once to
// journal.jsonl (so a killed process loses nothing it answered), and a debounced snapshot store.json is
// written atomically (temp file + fsync + rename). Loading = snapshot + replay of newer journal lines;
// a torn last journal line (kill mid-append) is ignored. A store or journal that cannot be loaded is
// never overwritten: start-up stops with an error naming it and a backup copy is kept next to it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { backupCorruptFile, describeFsError, oneLine } from './fs-errors';
import type { ChangeEvent, StoredRecord, TenantStore } from './tenant-store';
import { TENANT_NAMES, type TenantName } from './types';

const FORMAT = 'scimform-sandbox-store';

interface Snapshot {
  format: string;
  version: 1;
  seq: number;
  savedAt: string;
  tenants: Partial<Record<TenantName, { users: StoredRecord[]; groups: StoredRecord[] }>>;
}

type JournalLine = { seq: number; tenant: TenantName } & ChangeEvent;

export class StoreFileError extends Error {
  readonly code = 'SANDBOX_STORE_UNREADABLE';
  /** Where a copy of the file was saved (undefined when no copy could be made). */
  readonly backup: string | undefined;
  constructor(readonly file: string, reason: string, what: 'store' | 'journal' = 'store') {
    let backup: string | undefined;
    let kept: string;
    try {
      backup = backupCorruptFile(file);
      kept = `a copy is kept as ${backup}`;
    } catch (err) {
      kept = `no copy could be saved (${describeFsError(err)})`;
    }
    const fix = what === 'store'
      ? 'Repair it, or move it away (or pass another --data-dir) to start with an empty store'
      : 'Repair or remove the bad lines, or move the journal away to start from the last snapshot store.json';
    super(oneLine(`Sandbox ${what} ${file} cannot be loaded: ${reason}. It was left untouched and ${kept}. ${fix}.`));
    this.backup = backup;
  }
}

export class DataDirError extends Error {
  readonly code = 'SANDBOX_DATA_DIR_UNUSABLE';
  constructor(dir: string, reason: string) {
    super(`Data dir ${dir} cannot be used: ${reason}. Pass a writable directory with --data-dir.`);
  }
}

export class DataDirInUseError extends Error {
  readonly code = 'SANDBOX_DATA_DIR_IN_USE';
  constructor(dir: string, pid: number) {
    super(`Data dir ${dir} is in use by another sandbox (pid ${pid}${pid === process.pid ? ', this process' : ''}); stop it first or pass another --data-dir`);
  }
}

const openDirs = new Set<string>();

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Why a stored user/group record cannot be loaded, or undefined when it is fine. */
function recordProblem(record: unknown, group: boolean): string | undefined {
  if (!isObject(record)) return 'is not an object';
  if (typeof record.id !== 'string' || !record.id) return "has no string 'id'";
  if (!isObject(record.data)) return `(id ${record.id}) has no 'data' object`;
  if (typeof record.version !== 'number' || typeof record.created !== 'string' || typeof record.lastModified !== 'string') return `(id ${record.id}) lacks 'version', 'created' or 'lastModified'`;
  if (group && record.members !== undefined && !(Array.isArray(record.members) && record.members.every((m) => typeof m === 'string'))) return `(id ${record.id}) has 'members' that are not a list of ids`;
  return undefined;
}

/** Why a parsed journal line cannot be replayed, or undefined when it is fine. */
function journalProblem(entry: unknown): string | undefined {
  if (!isObject(entry) || typeof entry.seq !== 'number' || !TENANT_NAMES.includes(entry.tenant as TenantName)) return "lacks a numeric 'seq' or a known 'tenant'";
  if (entry.op === 'reset') return undefined;
  if (entry.kind !== 'user' && entry.kind !== 'group') return `has an unknown 'kind' ${JSON.stringify(entry.kind)}`;
  if (entry.op === 'delete') return typeof entry.id === 'string' ? undefined : "is a delete without an 'id'";
  if (entry.op !== 'put') return `has an unknown 'op' ${JSON.stringify(entry.op)}`;
  const problem = recordProblem(entry.record, entry.kind === 'group');
  return problem ? `has a record that ${problem}` : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class Persistence {
  readonly storeFile: string;
  readonly journalFile: string;
  private seq = 0;
  private journalFd: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastSnapshotMs = 0;
  private dirty = false;
  private closed = false;

  constructor(readonly dataDir: string, private readonly stores: Record<TenantName, TenantStore>, private readonly snapshotDelayMs = 1000) {
    this.storeFile = path.join(dataDir, 'store.json');
    this.journalFile = path.join(dataDir, 'journal.jsonl');
  }

  /** Takes the data dir's lock file (a stale lock of a dead process is taken over). */
  private lock(): void {
    const lockFile = path.join(this.dataDir, 'sandbox.lock');
    if (openDirs.has(this.dataDir)) throw new DataDirInUseError(this.dataDir, process.pid);
    try {
      fs.writeFileSync(lockFile, `${process.pid}\n`, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(fs.readFileSync(lockFile, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) throw new DataDirInUseError(this.dataDir, pid);
      fs.writeFileSync(lockFile, `${process.pid}\n`, { mode: 0o600 }); // stale lock of a dead process
    }
    openDirs.add(this.dataDir);
  }

  private unlock(): void {
    openDirs.delete(this.dataDir);
    fs.rmSync(path.join(this.dataDir, 'sandbox.lock'), { force: true });
  }

  /** Loads snapshot + journal into the stores, then compacts (fresh snapshot, empty journal). */
  open(): void {
    try {
      fs.mkdirSync(this.dataDir, { recursive: true });
      fs.accessSync(this.dataDir, fs.constants.W_OK | fs.constants.X_OK);
    } catch (err) {
      throw new DataDirError(this.dataDir, describeFsError(err));
    }
    try {
      this.lock();
    } catch (err) {
      if (err instanceof DataDirInUseError) throw err;
      throw new DataDirError(this.dataDir, `cannot write its lock file (${describeFsError(err)})`);
    }
    try {
      this.load();
    } catch (err) {
      this.unlock();
      throw err;
    }
  }

  private load(): void {
    for (const name of fs.readdirSync(this.dataDir)) {
      if (/^store\.json\.\d+\.tmp$/.test(name)) fs.rmSync(path.join(this.dataDir, name), { force: true }); // left by a kill mid-snapshot
    }
    if (fs.existsSync(this.storeFile)) this.loadSnapshot();
    if (fs.existsSync(this.journalFile)) this.replayJournal();
    this.snapshot();
    this.journalFd = fs.openSync(this.journalFile, 'a', 0o600);
  }

  private readText(file: string, what: 'store' | 'journal'): string {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new StoreFileError(file, `cannot read it (${describeFsError(err)})`, what);
    }
  }

  private loadSnapshot(): void {
    let snap: Snapshot;
    try {
      snap = JSON.parse(this.readText(this.storeFile, 'store')) as Snapshot;
    } catch (err) {
      if (err instanceof StoreFileError) throw err;
      throw new StoreFileError(this.storeFile, `not valid JSON (${err instanceof Error ? err.message : String(err)})`);
    }
    if (!snap || typeof snap !== 'object' || snap.format !== FORMAT || snap.version !== 1) throw new StoreFileError(this.storeFile, `unknown format (expected "${FORMAT}" version 1)`);
    if (snap.tenants !== undefined && !isObject(snap.tenants)) throw new StoreFileError(this.storeFile, "'tenants' is not an object");
    this.seq = Number(snap.seq) || 0;
    for (const tenant of TENANT_NAMES) {
      const t = snap.tenants?.[tenant] as unknown;
      if (t === undefined) continue;
      if (!isObject(t)) throw new StoreFileError(this.storeFile, `tenants.${tenant} is not an object`);
      for (const kind of ['users', 'groups'] as const) {
        const list = t[kind] ?? [];
        if (!Array.isArray(list)) throw new StoreFileError(this.storeFile, `tenants.${tenant}.${kind} is not a list`);
        list.forEach((record: unknown, i: number) => {
          const problem = recordProblem(record, kind === 'groups');
          if (problem) throw new StoreFileError(this.storeFile, `tenants.${tenant}.${kind}[${i}] ${problem}`);
          this.stores[tenant].apply({ op: 'put', kind: kind === 'users' ? 'user' : 'group', record: record as StoredRecord });
        });
      }
    }
  }

  private replayJournal(): void {
    const lines = this.readText(this.journalFile, 'journal').split('\n');
    const lastContent = lines.reduce((last, line, i) => (line.trim() ? i : last), -1);
    lines.forEach((line, i) => {
      if (!line.trim() || i > lastContent) return;
      let entry: JournalLine;
      try {
        entry = JSON.parse(line) as JournalLine;
      } catch (err) {
        if (i === lastContent) return; // torn tail from a kill mid-append: everything before it is intact
        throw new StoreFileError(this.journalFile, `line ${i + 1} is not valid JSON (${err instanceof Error ? err.message : String(err)}) and is followed by more lines`, 'journal');
      }
      const problem = journalProblem(entry);
      if (problem) throw new StoreFileError(this.journalFile, `line ${i + 1} ${problem}`, 'journal');
      if (entry.seq <= this.seq) return;
      this.seq = entry.seq;
      const { seq: _seq, tenant, ...event } = entry;
      this.stores[tenant].apply(event as ChangeEvent);
    });
  }

  /** Journals one change (synchronously: the caller answers the client only afterwards). */
  record(tenant: TenantName, event: ChangeEvent): void {
    if (this.closed) return;
    this.seq += 1;
    if (this.journalFd !== undefined) fs.writeSync(this.journalFd, `${JSON.stringify({ seq: this.seq, tenant, ...event })}\n`);
    this.dirty = true;
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) return;
    // Adaptive batching: under heavy load a snapshot never takes more than ~5% of the time.
    const delay = Math.max(this.snapshotDelayMs, this.lastSnapshotMs * 20);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.dirty) this.snapshot();
    }, delay);
    this.timer.unref();
  }

  /** Writes store.json atomically and empties the journal (whose entries the snapshot now holds). */
  snapshot(): void {
    const started = Date.now();
    const snap: Snapshot = { format: FORMAT, version: 1, seq: this.seq, savedAt: new Date().toISOString(), tenants: {} };
    for (const tenant of TENANT_NAMES) {
      snap.tenants[tenant] = { users: [...this.stores[tenant].users.values()], groups: [...this.stores[tenant].groups.values()] };
    }
    writeFileAtomic(this.storeFile, JSON.stringify(snap), 0o600);
    if (this.journalFd !== undefined) fs.ftruncateSync(this.journalFd, 0);
    else fs.writeFileSync(this.journalFile, '', { mode: 0o600 });
    this.dirty = false;
    this.lastSnapshotMs = Date.now() - started;
  }

  /** Final snapshot and release of the journal. */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.journalFd === undefined || this.closed) return;
    this.closed = true;
    try {
      this.snapshot();
      fs.closeSync(this.journalFd);
    } finally {
      this.journalFd = undefined;
      this.unlock();
    }
  }
}

/** Write-to-temp + fsync + rename (+ directory fsync): readers see the old or the new file, never a torn one. */
export function writeFileAtomic(file: string, content: string, mode: number): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w', mode);
  try {
    const buf = Buffer.from(content, 'utf8');
    for (let off = 0; off < buf.length; ) off += fs.writeSync(fd, buf, off, buf.length - off);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.chmodSync(tmp, mode);
  fs.renameSync(tmp, file);
  try {
    const dirFd = fs.openSync(path.dirname(file), 'r');
    try { fs.fsyncSync(dirFd); } finally { fs.closeSync(dirFd); }
  } catch {
    // directory fsync is best effort (not supported everywhere)
  }
}
