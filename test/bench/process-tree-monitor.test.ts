// bench/process-tree-monitor.ts on real processes: a child that has exec'd another program is recorded with its
// own peak; a child that has not exec'd (it still runs its parent's program, as a vfork child of Terraform does
// before it becomes the provider) is not, since its memory figures are the parent's.
import { spawn } from 'node:child_process';
import { ProcessTreeMonitor } from '../../bench/process-tree-monitor';

test('records exec-ed descendants and skips children still running their parent\'s program', async () => {
  // sh -> a subshell (a fork of sh that never execs) -> sleep (exec-ed)
  const root = spawn('sh', ['-c', '( while :; do sleep 5; done ); :'], { stdio: 'ignore', detached: true });
  try {
    const monitor = new ProcessTreeMonitor(root.pid!, 50).start();
    await new Promise((resolve) => setTimeout(resolve, 600));
    const peaks = monitor.stop();
    expect(peaks.map((p) => p.command.split(' ')[0])).toEqual(['sleep']); // without the check: also the subshell
    expect(peaks[0]!.peakRssMb).toBeGreaterThan(0);
  } finally {
    process.kill(-root.pid!, 'SIGTERM'); // the group this test started: sh, its subshell and the sleep
  }
});
