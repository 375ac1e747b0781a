// Sandbox credentials: generated on first start, kept in <data-dir>/credentials.json (mode 0600) so
// they survive restarts, overridable per credential through SCIMFORM_SANDBOX_* environment variables
// (for CI). base URLs in the file are refreshed to the current port on every start.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from './persistence';
import type { SandboxCredentials, TenantName } from './types';

/** Environment variables that fix a credential (the value is used instead of the stored/generated one). */
export const CREDENTIAL_ENV = {
  generic: { token: 'SCIMFORM_SANDBOX_GENERIC_TOKEN' },
  proxyclick: { token: 'SCIMFORM_SANDBOX_PROXYCLICK_TOKEN' },
  promapp: { token: 'SCIMFORM_SANDBOX_PROMAPP_TOKEN' },
  proxy: { username: 'SCIMFORM_SANDBOX_PROXY_USERNAME', password: 'SCIMFORM_SANDBOX_PROXY_PASSWORD' },
  admin: { token: 'SCIMFORM_SANDBOX_ADMIN_TOKEN' },
} as const;

export class CredentialsFileError extends Error {
  readonly code = 'SANDBOX_CREDENTIALS_UNREADABLE';
  constructor(file: string, reason: string) {
    super(`Sandbox credentials file ${file} cannot be read: ${reason}. Fix it or delete it to generate new credentials.`);
  }
}

const secret = (bytes = 24) => randomBytes(bytes).toString('base64url');
const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);

function readExisting(file: string): Record<string, Record<string, unknown>> {
  if (!fs.existsSync(file)) return {};
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a JSON object');
    return parsed as Record<string, Record<string, unknown>>;
  } catch (err) {
    throw new CredentialsFileError(file, err instanceof Error ? err.message : String(err));
  }
}

/** Loads (or creates) the credentials, applies env overrides, writes the file back with current base URLs. */
export function loadCredentials(dataDir: string, baseUrls: Record<TenantName | 'admin', string>, env: NodeJS.ProcessEnv = process.env): { credentials: SandboxCredentials; file: string } {
  const file = path.join(dataDir, 'credentials.json');
  const old = readExisting(file);
  const token = (name: 'generic' | 'proxyclick' | 'promapp' | 'admin') =>
    str(env[CREDENTIAL_ENV[name].token]) ?? str(old[name]?.token) ?? secret();
  const credentials: SandboxCredentials = {
    generic: { baseUrl: baseUrls.generic, token: token('generic') },
    proxyclick: { baseUrl: baseUrls.proxyclick, token: token('proxyclick') },
    promapp: { baseUrl: baseUrls.promapp, token: token('promapp') },
    proxy: {
      baseUrl: baseUrls.proxy,
      username: str(env[CREDENTIAL_ENV.proxy.username]) ?? str(old.proxy?.username) ?? `app-key-${randomBytes(6).toString('hex')}`,
      password: str(env[CREDENTIAL_ENV.proxy.password]) ?? str(old.proxy?.password) ?? secret(),
    },
    admin: { baseUrl: baseUrls.admin, token: token('admin') },
  };
  fs.mkdirSync(dataDir, { recursive: true });
  writeFileAtomic(file, `${JSON.stringify(credentials, null, 2)}\n`, 0o600);
  return { credentials, file };
}
