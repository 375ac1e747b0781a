// Where an app points: its real endpoint when `<PREFIX>_ENDPOINT` is set (credentials from `<PREFIX>_TOKEN`,
// or `<PREFIX>_USERNAME`/`<PREFIX>_PASSWORD`), otherwise its tenant in the local sandbox, read from the
// sandbox's `credentials.json`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Credential, type AppCredentials } from './credentials';
import { ScimformUsageError } from './errors';
import { scimformPaths } from './paths';

export type SandboxTenant = 'generic' | 'proxyclick' | 'promapp' | 'proxy';

export interface AppTarget {
  endpoint: string;
  credentials: AppCredentials;
  sandbox: boolean;
}

export interface AppTargetOptions {
  /** e.g. `SCIMFORM_PROXYCLICK` → reads SCIMFORM_PROXYCLICK_ENDPOINT, _TOKEN (or _USERNAME/_PASSWORD). */
  envPrefix: string;
  sandboxTenant: SandboxTenant;
  auth: 'bearer' | 'basic';
  /** Sandbox data dir (default: SCIMFORM_SANDBOX_DIR or .scimform/sandbox). */
  sandboxDir?: string;
  env?: Record<string, string | undefined>;
}

export function appTarget(opts: AppTargetOptions): AppTarget {
  const env = opts.env ?? process.env;
  const real = env[`${opts.envPrefix}_ENDPOINT`];
  if (real && real.trim() !== '') {
    return {
      endpoint: real.trim(),
      sandbox: false,
      credentials:
        opts.auth === 'basic'
          ? { username: Credential.env(`${opts.envPrefix}_USERNAME`), password: Credential.env(`${opts.envPrefix}_PASSWORD`) }
          : { token: Credential.env(`${opts.envPrefix}_TOKEN`) },
    };
  }
  const file = path.join(opts.sandboxDir ?? scimformPaths(env).sandboxDir, 'credentials.json');
  let creds: Record<string, { baseUrl?: string } | undefined>;
  try {
    creds = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    throw new ScimformUsageError(
      'SCIMFORM_NO_SANDBOX',
      `no sandbox credentials at ${file}, and ${opts.envPrefix}_ENDPOINT is not set. ` +
        'Run `npm start` (it starts the sandbox before synth), or set SCIMFORM_SANDBOX_DIR to a sandbox data dir, ' +
        `or point the app at a real endpoint with ${opts.envPrefix}_ENDPOINT.`,
    );
  }
  const tenant = creds[opts.sandboxTenant];
  if (!tenant?.baseUrl) {
    throw new ScimformUsageError('SCIMFORM_NO_SANDBOX', `${file} has no "${opts.sandboxTenant}" tenant with a baseUrl`);
  }
  const t = opts.sandboxTenant;
  return {
    endpoint: tenant.baseUrl,
    sandbox: true,
    credentials:
      opts.auth === 'basic'
        ? { username: Credential.jsonFile(file, `${t}.username`), password: Credential.jsonFile(file, `${t}.password`) }
        : { token: Credential.jsonFile(file, `${t}.token`) },
  };
}
