// Reads, per stack, the accounts in Terraform state (`terraform show -json`, initialising the stack
// when needed) and in the synthesized configuration (cdk.tf.json).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { terraformFailed } from '../report/errors';
import { parseStateJson } from '../report/plan-json';
import { inPool as mapPool } from '../workflow/pool';
import { StackDir } from '../report/stack-dirs';
import { initStack, Progress } from '../report/stack-plans';
import { runTerraformIn as runTerraform, terraformErrorSummary } from '../terraform-runner';
import { accountsFromConfig, accountsFromState, synthPeople } from './account-records';
import { AppAccounts } from './build-access-matrix';

export type AccessSource = 'state' | 'config' | 'both';

export async function loadAccounts(
  stacks: StackDir[],
  source: AccessSource,
  options: { env: NodeJS.ProcessEnv; parallelism: number; progress: Progress },
): Promise<AppAccounts[]> {
  return mapPool(stacks, options.parallelism, async (stack) => {
    const result: AppAccounts = { app: stack.name };
    const config: unknown = JSON.parse(readFileSync(join(stack.dir, 'cdk.tf.json'), 'utf8'));
    const people = synthPeople(config);
    if (source !== 'state') {
      result.config = accountsFromConfig(stack.name, config);
      result.excluded = people.excluded;
    }
    if (source !== 'config') {
      await initStack(stack, options.env, options.progress);
      const r = await runTerraform(['show', '-json', '-no-color'], stack.dir, options.env);
      if (r.code !== 0) throw terraformFailed(stack.name, 'show', terraformErrorSummary(r, options.env));
      result.state = accountsFromState(stack.name, parseStateJson(r.stdout, `${stack.name} state`), people);
    }
    return result;
  });
}
