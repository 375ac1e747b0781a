// Describes the machine a bench ran on (CPU, cores, memory, load, tool versions) for the JSON and the README.

import { execFileSync } from 'node:child_process';
import * as os from 'node:os';

export interface MachineInfo {
  cpu: string;
  cores: number;
  memory_gb: number;
  os: string;
  node: string;
  terraform: string;
  load_average_at_start: number[];
}

export function machineInfo(): MachineInfo {
  let terraform = 'unknown';
  try {
    terraform = (JSON.parse(execFileSync('terraform', ['version', '-json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, CHECKPOINT_DISABLE: '1' } })) as { terraform_version: string }).terraform_version;
  } catch {
    // terraform missing: the terraform phases will report it
  }
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.cpus().length,
    memory_gb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    terraform,
    load_average_at_start: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

export function describeMachine(m: MachineInfo): string {
  return `${m.cpu}, ${m.cores} cores, ${m.memory_gb} GB RAM, ${m.os}; Node ${m.node}, Terraform ${m.terraform}; load average at start ${m.load_average_at_start.join(' / ')}`;
}
