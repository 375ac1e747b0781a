// Merges Terraform state documents (format version 4) of shards that hold disjoint instances of the same
// resources (each shard a disjoint part of one configuration) into the one state a single apply would have written.

import { BenchError } from './errors';

interface StateInstance {
  index_key?: string | number;
  [k: string]: unknown;
}
interface StateResource {
  mode: string;
  type: string;
  name: string;
  provider: string;
  module?: string;
  instances: StateInstance[];
  [k: string]: unknown;
}
interface StateDocument {
  version: number;
  terraform_version: string;
  serial: number;
  lineage: string;
  outputs: Record<string, unknown>;
  resources: StateResource[];
  [k: string]: unknown;
}

export function mergeStates(documents: Buffer[]): Buffer {
  if (documents.length === 0) throw new BenchError('BENCH_COMMAND_FAILED', 'bench: no shard state to merge (did the shard applies run?)');
  const parsed = documents.map((d) => JSON.parse(d.toString('utf8')) as StateDocument);
  const first = parsed[0]!;
  if (parsed.some((p) => p.version !== 4)) throw new BenchError('BENCH_COMMAND_FAILED', `bench: cannot merge state format ${parsed.map((p) => p.version).join(', ')}; only version 4 is understood`);
  const byAddress = new Map<string, StateResource>();
  for (const doc of parsed) {
    for (const r of doc.resources) {
      const address = `${r.module ?? ''}|${r.mode}|${r.type}|${r.name}`;
      const into = byAddress.get(address);
      if (!into) byAddress.set(address, { ...r, instances: [...r.instances] });
      else {
        const seen = new Set(into.instances.map((i) => String(i.index_key)));
        for (const i of r.instances) {
          if (seen.has(String(i.index_key))) throw new BenchError('BENCH_COMMAND_FAILED', `bench: shards overlap at ${r.type}.${r.name}[${JSON.stringify(i.index_key)}]`);
          into.instances.push(i);
        }
      }
    }
  }
  const merged: StateDocument = { ...first, serial: 1, outputs: {}, resources: [...byAddress.values()] };
  return Buffer.from(JSON.stringify(merged));
}
