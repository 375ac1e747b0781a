// The report of a plan that changes nothing, without reading the plan back. `terraform show -json` of a saved
// plan costs about a quarter of the plan itself on a large roster (docs/guides/rosters.md, "Where Terraform's
// time goes"), and a no-op plan's report holds no change: only the count of managed accounts, which is the
// count of accounts the configuration declares (a declared account absent from the state would be a create,
// an account in the state no longer declared a destroy or a roster update). Counted from the stack's
// `cdk.tf.json` (a roster's entries as `entries` or `entries_json`); undefined when the configuration declares
// accounts in a way this count cannot follow (count / for_each, entries given as an expression), and the caller
// then reads the plan as before.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JsonPlan } from './plan-json';
import { entryMap } from './roster-entry-values';

/** The JSON plan of a stack whose plan changes nothing (the report needs no more than this and the count). */
export const NO_CHANGES_PLAN: JsonPlan = { format_version: '1.2' };

type Blocks = Record<string, Record<string, unknown>> | undefined;

/** Accounts declared in a synthesized stack folder: `scim_user` resources plus the entries of every `scim_roster`. */
export function declaredAccounts(stackDir: string): number | undefined {
  const file = join(stackDir, 'cdk.tf.json');
  if (!existsSync(file)) return undefined;
  let config: { resource?: Record<string, Blocks> };
  try {
    config = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  let count = 0;
  const resources = config.resource ?? {};
  for (const [type, blocks] of Object.entries(resources)) {
    if (type !== 'scim_user' && type !== 'scim_roster') continue;
    for (const block of Object.values(blocks ?? {})) {
      if (!block || typeof block !== 'object' || 'count' in block || 'for_each' in block) return undefined;
      if (type === 'scim_user') count++;
      else {
        const entries = entryMap(block);
        if (!entries) return undefined;
        count += Object.keys(entries).length;
      }
    }
  }
  return count;
}
