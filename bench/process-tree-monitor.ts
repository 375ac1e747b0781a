// Polls /proc for every descendant of a process (Terraform's provider plugin processes) and records each one's
// peak resident set (VmHWM), so the bench can report the provider's peak RSS without instrumenting it.

import * as fs from 'node:fs';

export interface ProcessPeak {
  pid: number;
  command: string;
  peakRssMb: number;
}

function readParentPids(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      // "pid (comm) state ppid ..." — comm may contain spaces or parentheses, so split after the last ')'.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(pid, Number(rest[1]));
    } catch {
      // the process exited between readdir and read
    }
  }
  return parents;
}

export class ProcessTreeMonitor {
  private readonly peaks = new Map<number, ProcessPeak>();
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

  /** Largest peak RSS of any descendant seen so far, in MiB (0 when none was seen). */
  maxPeakMb(): number {
    return Math.max(0, ...[...this.peaks.values()].map((p) => p.peakRssMb));
  }

  private sample(): void {
    if (!fs.existsSync('/proc/self/stat')) return;
    const parents = readParentPids();
    const descendants = new Set<number>([this.rootPid]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const [pid, ppid] of parents) {
        if (!descendants.has(pid) && descendants.has(ppid)) {
          descendants.add(pid);
          grew = true;
        }
      }
    }
    descendants.delete(this.rootPid);
    for (const pid of descendants) {
      try {
        const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
        const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
        if (!hwm) continue;
        const mb = Number(hwm[1]) / 1024;
        const prior = this.peaks.get(pid);
        if (prior) prior.peakRssMb = Math.max(prior.peakRssMb, mb);
        else {
          const command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
          this.peaks.set(pid, { pid, command, peakRssMb: mb });
        }
      } catch {
        // exited meanwhile
      }
    }
  }
}
