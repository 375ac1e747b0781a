// `npm run sandbox -- [--port 8890] [--host 127.0.0.1] [--data-dir DIR] [--faults FILE] [--seed N]
// [--request-log FILE] [--quiet]`: runs the sandbox in the foreground, prints the base URLs and where
// the credentials are (never the secrets), flushes the store on Ctrl-C / SIGTERM. Every failure is one
// line on stderr (`sandbox: …`, never a stack trace): exit 2 for a bad command line, 1 otherwise.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { oneLine } from './fs-errors';
import { DEFAULT_SANDBOX_PORT, isPortTaken, lastServedPort, movedMessage } from './last-port';
import { startSandbox } from './server';
import type { FaultConfig, StartSandboxOptions, TenantName } from './types';
import { TENANT_NAMES } from './types';

const USAGE = `Usage: npm run sandbox -- [options]
  --port N            TCP port (default: the one the data dir last served on, else 8890; if another program
                      holds that one, a free port, with a message; 0 picks a free port and prints it)
  --host ADDR         interface to bind (default 127.0.0.1)
  --data-dir DIR      store and credentials.json (default .scimform/sandbox)
  --faults FILE       JSON fault switches per tenant, e.g. {"generic": {"rateLimitPerSecond": 5}}
  --seed N            seed of the fault-injection PRNG (deterministic faults)
  --request-log FILE  also append the request log as JSON lines to FILE
  --snapshot-delay-ms N  debounce of the atomic store snapshot (default 1000; writes are journaled at once anyway)
  --quiet             print only the start banner
  --help              this text
Exit status: 0 after Ctrl-C / SIGTERM, 1 when the sandbox cannot start (one 'sandbox: …' line says why), 2 for a bad command line.`;

export class CliUsageError extends Error {
  readonly code = 'SANDBOX_CLI_USAGE';
}

export function parseArgs(argv: string[]): StartSandboxOptions | 'help' {
  // No --port: main() picks the data dir's last port (else 8890).
  const opts: StartSandboxOptions = { dataDir: path.join('.scimform', 'sandbox') };
  const value = (i: number, flag: string) => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new CliUsageError(`${flag} needs a value`);
    return v;
  };
  const int = (v: string, flag: string, max = Number.MAX_SAFE_INTEGER) => {
    if (!/^\d+$/.test(v) || Number(v) > max) throw new CliUsageError(`${flag} must be ${max === Number.MAX_SAFE_INTEGER ? 'a non-negative integer' : `an integer from 0 to ${max}`}, got '${v}'`);
    return Number(v);
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const take = () => {
      const v = inline !== undefined ? inline : value(i++, flag);
      if (v === '') throw new CliUsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--port': opts.port = int(take(), flag, 65535); break;
      case '--host': opts.host = take(); break;
      case '--data-dir': opts.dataDir = take(); break;
      case '--seed': opts.seed = int(take(), flag); break;
      case '--request-log': opts.requestLogFile = take(); break;
      case '--snapshot-delay-ms': opts.snapshotDelayMs = int(take(), flag); break;
      case '--quiet': opts.quiet = true; break;
      case '--faults': {
        const file = take();
        let parsed: unknown;
        try {
          parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
        } catch (err) {
          throw new CliUsageError(`--faults ${file}: cannot read JSON (${err instanceof Error ? err.message : String(err)})`);
        }
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new CliUsageError(`--faults ${file}: expected an object keyed by tenant (${TENANT_NAMES.join(', ')})`);
        opts.faults = parsed as Partial<Record<TenantName, FaultConfig>>;
        break;
      }
      case '--help': case '-h': return 'help';
      default: throw new CliUsageError(argv[i].startsWith('-') ? `Unknown option '${argv[i]}'` : `Unexpected argument '${argv[i]}' (options start with --)`);
    }
  }
  return opts;
}

/** Starts on --port, else on the data dir's last port (else 8890), moving to a free port with a message when taken. */
async function startOnStablePort(opts: StartSandboxOptions) {
  if (opts.port !== undefined) return startSandbox(opts);
  const recorded = lastServedPort(opts.dataDir);
  const wanted = recorded ?? DEFAULT_SANDBOX_PORT;
  try {
    return await startSandbox({ ...opts, port: wanted });
  } catch (err) {
    if (!isPortTaken(err)) throw err;
    const sandbox = await startSandbox({ ...opts, port: 0 });
    process.stdout.write(`Note: ${movedMessage(wanted, Number(new URL(sandbox.url).port), recorded !== undefined)}\n`);
    return sandbox;
  }
}

/** Prints one `sandbox: …` line on stderr and exits (no stack trace, whatever was thrown). */
function fail(err: unknown, code: number): never {
  process.stderr.write(`sandbox: ${oneLine(err instanceof Error ? err.message : String(err))}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  let opts: StartSandboxOptions | 'help';
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    fail(`${err instanceof Error ? err.message : String(err)}. Run 'npm run sandbox -- --help' for the options.`, 2);
  }
  if (opts === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const quiet = opts.quiet ?? false;
  const sandbox = await startOnStablePort(opts);
  const lines = [
    `scimform SCIM sandbox listening on ${sandbox.url} (port ${new URL(sandbox.url).port})`,
    ...TENANT_NAMES.map((t) => `  ${t.padEnd(10)} ${sandbox.tenants[t].baseUrl}`),
    `  admin API  ${sandbox.credentials.admin.baseUrl}`,
    `  web page   ${sandbox.url}/`,
    `Credentials (tokens, app key/secret, admin token): ${sandbox.credentialsFile}`,
    `Data: ${sandbox.dataDir}. Stop with Ctrl-C.`,
  ];
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    if (!quiet) process.stdout.write(`${signal}: saving and stopping…\n`);
    sandbox.close().then(() => process.exit(0), (err) => fail(`failed to stop cleanly: ${err instanceof Error ? err.message : String(err)}`, 1));
  };
  // Handlers first: whoever reads the banner may signal at once.
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (require.main === module) {
  process.on('uncaughtException', (err) => fail(`unexpected error: ${err instanceof Error ? err.message : String(err)}`, 1));
  main().catch((err) => fail(err, 1));
}
