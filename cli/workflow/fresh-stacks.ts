// Keeps the commands that read synthesized stacks (report, drift, access) on current inputs: when what
// synth read (org files, the app's code, SCIMFORM_<APP>_ENDPOINT) changed since the last synth of the
// default stacks folder, synthesizes again before reading it. Stacks given with --stacks-dir are used as
// they are (they were not synthesized by this command).
import * as path from 'node:path';
import { scimformPaths } from '../../lib/paths';
import { recordedSynthInputs, synthChanges, synthInputsNow } from './plan-inputs';
import { synthesize } from './synth-app';

/** Synthesizes again when the default stacks are stale; returns what changed (empty: nothing done). */
export async function resynthesizeIfStale(command: string, values: { 'stacks-dir'?: string }): Promise<string[]> {
  if (values['stacks-dir'] !== undefined) return [];
  const paths = scimformPaths();
  const recorded = recordedSynthInputs(path.join(paths.outDir, 'stacks'));
  if (!recorded) return [];
  const changes = synthChanges(recorded, synthInputsNow(recorded, paths));
  if (changes.length === 0) return [];
  process.stderr.write(`scimform ${command}: ${changes.join('; ')} since the last synth: synthesizing again\n`);
  await synthesize(paths);
  return changes;
}
