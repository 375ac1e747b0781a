// Makes sure the local sandbox is serving when some stacks target it (apply, drift and access work on
// already synthesized stacks, so the sandbox must come back at the endpoint they were synthesized with).
// A sandbox of the same data dir already running at another URL cannot serve them: that is an error
// saying how to fix it, rather than one unreachable-endpoint error per account.
import * as path from 'node:path';
import { scimformPaths } from '../../lib/paths';
import { openSandbox, runningSandboxOrigin, type SandboxSession } from '../workflow/sandbox-session';
import { stderrProgress } from '../workflow/progress';
import { ScimformCliError } from './errors';
import type { StackDir } from './stack-dirs';

const noSession: SandboxSession = { started: false, close: async () => undefined };

/**
 * Throws CLI_SANDBOX_MOVED when some stacks target the local sandbox and the sandbox of the data dir is
 * running at another URL (their accounts live where the stacks do not look). Used alone by `access`.
 */
export async function assertSandboxNotMoved(stacks: StackDir[]): Promise<void> {
  const target = stacks.find((s) => s.meta?.sandbox)?.meta?.endpoint;
  if (!target) return;
  const paths = scimformPaths();
  const wanted = new URL(target).origin;
  const running = await runningSandboxOrigin(paths.sandboxDir);
  if (running && running !== wanted) {
    const dataDir = path.relative(paths.root, paths.sandboxDir) || paths.sandboxDir;
    throw new ScimformCliError(
      'CLI_SANDBOX_MOVED',
      `the stacks were synthesized for the sandbox at ${wanted}, but the sandbox of ${dataDir} is running at ${running}. ` +
        `Stop that sandbox (drift, apply and plan then start it again at ${wanted}), or run \`scimform plan\` ` +
        '(or `scimform synth` before drift and access) so the stacks point at the running one.',
    );
  }
}

export async function sandboxForStacks(stacks: StackDir[], enabled: boolean): Promise<SandboxSession> {
  const target = stacks.find((s) => s.meta?.sandbox)?.meta?.endpoint;
  if (!enabled || !target) return noSession;
  await assertSandboxNotMoved(stacks);
  const paths = scimformPaths();
  const previous = process.env.SCIMFORM_SANDBOX_PORT;
  // Restart on the port the stacks were synthesized with (the endpoint is recorded in their config).
  process.env.SCIMFORM_SANDBOX_PORT = new URL(target).port || '80';
  try {
    return await openSandbox(paths, stderrProgress(), 'auto');
  } finally {
    if (previous === undefined) delete process.env.SCIMFORM_SANDBOX_PORT;
    else process.env.SCIMFORM_SANDBOX_PORT = previous;
  }
}
