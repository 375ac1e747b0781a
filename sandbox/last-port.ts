// The port a sandbox data dir serves on by default: the one it last served on (recorded in its
// credentials.json), else 8890. Synthesized stacks name the sandbox's URL, so `npm run sandbox` and the
// scimform commands come back on that port; when another program holds it they move, and say so.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The port `npm run sandbox` listens on when the data dir has never served. */
export const DEFAULT_SANDBOX_PORT = 8890;

/** The port the data dir's sandbox last served on (from credentials.json), if any. */
export function lastServedPort(dataDir: string): number | undefined {
  try {
    const creds = JSON.parse(fs.readFileSync(path.join(dataDir, 'credentials.json'), 'utf8')) as { admin?: { baseUrl?: string } };
    const port = creds.admin?.baseUrl ? Number(new URL(creds.admin.baseUrl).port) : NaN;
    return Number.isInteger(port) && port > 0 ? port : undefined;
  } catch {
    return undefined;
  }
}

/** True when starting failed only because the port is taken. */
export const isPortTaken = (err: unknown): boolean => /already in use/.test((err as Error)?.message ?? '');

/** The one line saying the sandbox moved, and that the commands find it there. */
export function movedMessage(wanted: number, got: number, recorded: boolean): string {
  return (
    `port ${wanted} (${recorded ? 'where this data dir last served' : 'the default'}) is in use by another program, ` +
    `so the sandbox listens on port ${got} instead; it keeps port ${got} from now on, and the scimform commands ` +
    `(npm start, plan, deploy, drift, access) find it there. Free port ${wanted} and run \`npm run sandbox -- --port ${wanted}\` to go back.`
  );
}
