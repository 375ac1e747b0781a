// Closing the sandbox while a request waits out injected latency: close() drops the waiting request
// unanswered (its client sees the connection end) and no timer of the sandbox outlives it, so a process (or a
// test) that stops a slow sandbox ends at once instead of sleeping until the request would have been answered.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..');

test('a process that closes its sandbox during an 8 s latency fault exits at once; the waiting client sees the connection end', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-latency-close-'));
  try {
    const script = path.join(dir, 'close.ts');
    fs.writeFileSync(
      script,
      `import { startSandbox } from ${JSON.stringify(path.join(REPO, 'sandbox'))};
(async () => {
  const sb = await startSandbox({ port: 0, quiet: true, dataDir: ${JSON.stringify(path.join(dir, 'data'))} });
  await sb.admin.setFaults('generic', { latencyMs: 8000 });
  const pending = fetch(sb.credentials.generic.baseUrl + '/Users', { headers: { Authorization: 'Bearer ' + sb.credentials.generic.token } })
    .then((r) => 'answered ' + r.status, (e) => 'failed: ' + e.message);
  await new Promise((r) => setTimeout(r, 300));
  await sb.close();
  console.log(await pending);
})();
`,
    );
    const started = Date.now();
    const child = spawn(process.execPath, ['-r', path.join(REPO, 'scripts', 'ts-register.js'), script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const took = Date.now() - started;
    expect(out.trim()).toBe('failed: fetch failed');
    expect(code).toBe(0);
    // Start-up and close take well under a second or two; the latency timer would hold the process 8 s.
    expect(took).toBeLessThan(6000);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
