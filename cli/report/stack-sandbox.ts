// Makes sure the local sandbox is serving when some stacks target it (apply, drift and access work on
// already synthesized stacks, so the sandbox must come back at the endpoint they were synthesized with).
import { scimformPaths } from '../../lib/paths';
import { openSandbox, type SandboxSession } from '../workflow/sandbox-session';
import { stderrProgress } from '../workflow/progress';
import type { StackDir } from './stack-dirs';

const noSession: SandboxSession = { started: false, close: async () => undefined };

export async function sandboxForStacks(stacks: StackDir[], enabled: boolean): Promise<SandboxSession> {
  const target = stacks.find((s) => s.meta?.sandbox)?.meta?.endpoint;
  if (!enabled || !target) return noSession;
  const previous = process.env.SCIMFORM_SANDBOX_PORT;
  // Restart on the port the stacks were synthesized with (the endpoint is recorded in their config).
  if (!previous) process.env.SCIMFORM_SANDBOX_PORT = new URL(target).port || '80';
  try {
    return await openSandbox(scimformPaths(), stderrProgress(), 'auto');
  } finally {
    if (previous === undefined) delete process.env.SCIMFORM_SANDBOX_PORT;
  }
}
