// Polls /proc for every descendant of a process (Terraform's provider plugin processes) and records each one's
// peak resident set (VmHWM) and CPU time, and the CPU time of the process itself, so the bench can report
// the provider's peak RSS and how CPU splits between Terraform and the provider without instrumenting
// either. CPU times are as last sampled (every 250 ms), so each process's may be short by up to that.

import * as fs from 'node:fs';

export interface ProcessPeak {
  pid: number;
  command: string;
  peakRssMb: number;
  /** user + system CPU seconds, as last sampled. */
  cpuS: number;
  /** Parent process id (to tell a provider, a child of terraform, from terraform itself). */
  ppid?: number;
}

/** Linux reports CPU times in clock ticks of USER_HZ, 100 on every mainstream architecture. */
const TICKS_PER_S = 100;

interface ProcStat {
  ppid: number;
  cpuS: number;
}

function readProcStats(): Map<number, ProcStat> {
  const parents = new Map<number, ProcStat>();
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      // "pid (comm) state ppid ..." — comm may contain spaces or parentheses, so split after the last ')'.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // fields 4 (ppid), 14 (utime) and 15 (stime) of proc(5), counted from "state" = field 3
      parents.set(pid, { ppid: Number(rest[1]), cpuS: (Number(rest[11]) + Number(rest[12])) / TICKS_PER_S });
    } catch {
      // the process exited between readdir and read
    }
  }
  return parents;
}

export class ProcessTreeMonitor {
  private readonly peaks = new Map<number, ProcessPeak>();
  private rootCpu = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly rootPid: number,
    private readonly intervalMs = 250,
  ) {}

  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
    return this;
  }

  stop(): ProcessPeak[] {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    return [...this.peaks.values()];
  }

  /** CPU seconds of the monitored process itself (Terraform), as last sampled. */
  rootCpuS(): number {
    return this.rootCpu;
  }

  /** Largest peak RSS of any descendant seen so far, in MiB (0 when none was seen). */
  maxPeakMb(): number {
    return Math.max(0, ...[...this.peaks.values()].map((p) => p.peakRssMb));
  }

  private sample(): void {
    if (!fs.existsSync('/proc/self/stat')) return;
    const parents = readProcStats();
    const root = parents.get(this.rootPid);
    if (root) this.rootCpu = Math.max(this.rootCpu, root.cpuS);
    const descendants = new Set<number>([this.rootPid]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const [pid, { ppid }] of parents) {
        if (!descendants.has(pid) && descendants.has(ppid)) {
          descendants.add(pid);
          grew = true;
        }
      }
    }
    descendants.delete(this.rootPid);
    for (const pid of descendants) {
      try {
        // A child that has not exec'd yet is its parent's memory: Go starts processes with vfork (CLONE_VM), so
        // until the exec its VmHWM is Terraform's own peak. Such a sample would be recorded as the provider's.
        const ppid = parents.get(pid)?.ppid;
        if (ppid !== undefined && sameExecutable(pid, ppid)) continue;
        const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
        const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
        if (!hwm) continue;
        const mb = Number(hwm[1]) / 1024;
        const cpuS = parents.get(pid)?.cpuS ?? 0;
        // The command is read each time: a provider started through its /bin/sh header becomes `node` by exec.
        const command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
        const prior = this.peaks.get(pid);
        if (prior) Object.assign(prior, { command, peakRssMb: Math.max(prior.peakRssMb, mb), cpuS: Math.max(prior.cpuS, cpuS) });
        else this.peaks.set(pid, { pid, command, peakRssMb: mb, cpuS, ppid });
      } catch {
        // exited meanwhile
      }
    }
  }
}

/** Whether two processes run the same executable (a child not yet exec'd); false when either cannot be read. */
function sameExecutable(pid: number, ppid: number): boolean {
  try {
    return fs.readlinkSync(`/proc/${pid}/exe`) === fs.readlinkSync(`/proc/${ppid}/exe`);
  } catch {
    return false;
  }
}
