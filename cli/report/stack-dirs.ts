// Finds the synthesized stacks (one per app): every folder of <outDir>/stacks holding a cdk.tf.json,
// with the scimform metadata synth recorded in it (app title, credential sources, who is provisioned).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { scimformPaths } from '../../lib/paths';
import { readStackMetadata, type SynthesizedStack } from '../workflow/stack-metadata';
import { noStacks, unknownStack } from './errors';

/** Default stacks folder: cdktf.out/stacks (or $SCIMFORM_OUTDIR/stacks). */
export const defaultStacksDir = (env: NodeJS.ProcessEnv = process.env): string => join(scimformPaths(env).outDir, 'stacks');
export const DEFAULT_STACKS_DIR_TEXT = 'cdktf.out/stacks';
export { PLAN_FILE as DEFAULT_PLAN_FILE } from '../workflow/stack-terraform';

/** A stack's Terraform working directory (the CLI's synthesized-stack shape). */
export type StackDir = SynthesizedStack;

function metadataOf(dir: string): SynthesizedStack['meta'] {
  try {
    return readStackMetadata(dir);
  } catch {
    return undefined;
  }
}

/** The stacks under `stacksDir`, sorted; `only` (from --stack) selects some and rejects unknown names. */
export function findStacks(stacksDir: string, only: string[] = []): StackDir[] {
  const root = resolve(stacksDir);
  const all = existsSync(root)
    ? readdirSync(root)
        .filter((name) => statSync(join(root, name)).isDirectory() && existsSync(join(root, name, 'cdk.tf.json')))
        .sort()
        .map((name) => ({ name, dir: join(root, name), meta: metadataOf(join(root, name)) }))
    : [];
  if (all.length === 0) throw noStacks(stacksDir);
  if (only.length === 0) return all;
  for (const name of only) if (!all.some((s) => s.name === name)) throw unknownStack(name, all.map((s) => s.name));
  return all.filter((s) => only.includes(s.name));
}
