// The `provider "scim"` block: its schema (with descriptions), static validation that tolerates unknown
// values, and parsing into client options (credentials from the block or SCIM_TOKEN / SCIM_USERNAME /
// SCIM_PASSWORD, exactly one auth scheme). Secrets never appear in diagnostics.
import * as fs from 'node:fs';
import type { Diagnostic, ObjectValue, Schema, Value } from './plugin/provider-definition';
import { containsUnknown, isUnknown } from './plugin/provider-definition';
import { profiles } from './client/profiles';
import type { ConnectorProfile, ScimAuth, ScimClient } from './client';

export type OnDestroy = 'deactivate' | 'delete';
export const ON_DESTROY_VALUES: readonly OnDestroy[] = ['deactivate', 'delete'];

/** What `configure` hands to every resource and data source handler. */
export interface ScimProviderData {
  client: ScimClient;
  profile: ConnectorProfile;
  /** The endpoint URL as configured (never carries credentials: those are refused in the URL). */
  endpoint: string;
  /** Provider-level default for the resources' `on_destroy`. */
  onDestroy: OnDestroy;
  /** `member_batch_size` when set; otherwise the profile default applies. */
  memberBatchSize?: number;
}

/** The provider block parsed into plain values (secrets included: never log this object). */
export interface ParsedProviderConfig {
  endpoint: string;
  auth: ScimAuth;
  profile: ConnectorProfile;
  headers?: Record<string, string>;
  timeoutMs: number;
  maxRetries: number;
  requestsPerSecond?: number;
  /** Budgets per minute (provider block, else the connector profile's); undefined = unlimited. */
  requestsPerMinute?: number;
  writesPerMinute?: number;
  caFile?: string;
  logFile?: string;
  onDestroy: OnDestroy;
  memberBatchSize?: number;
}

export type Env = Record<string, string | undefined>;

const profileNames = () => Object.keys(profiles);

export const providerSchema: Schema = {
  version: 0,
  block: {
    description:
      'The `scim` provider manages users (and, where the app supports them, groups) on one SCIM 2.0 endpoint. ' +
      'Configure one provider block (or alias) per app. Credentials come from `token` (bearer) or ' +
      '`username` + `password` (HTTP Basic), or from the environment variables `SCIM_TOKEN`, ' +
      '`SCIM_USERNAME` and `SCIM_PASSWORD`; exactly one scheme may be configured.',
    attributes: {
      endpoint: {
        type: 'string',
        required: true,
        description:
          'Base URL of the SCIM 2.0 service, without the `/Users` suffix, e.g. `https://api.promapp.com/acme/api/scim` ' +
          'or `https://app.example.com/scim/v2`. Put credentials in `token` or `username`/`password`, never in the URL.',
      },
      token: {
        type: 'string',
        optional: true,
        sensitive: true,
        description: 'Bearer token sent as `Authorization: Bearer …`. Defaults to the `SCIM_TOKEN` environment variable. Conflicts with `username`/`password`.',
      },
      username: {
        type: 'string',
        optional: true,
        description: 'User name for HTTP Basic authentication (for Proxy: the app key). Defaults to the `SCIM_USERNAME` environment variable. Conflicts with `token`.',
      },
      password: {
        type: 'string',
        optional: true,
        sensitive: true,
        description: 'Password for HTTP Basic authentication (for Proxy: the app secret). Defaults to the `SCIM_PASSWORD` environment variable. Conflicts with `token`.',
      },
      profile: {
        type: 'string',
        optional: true,
        description:
          'Connector profile describing the app\'s SCIM quirks: `generic` (default, any RFC 7643/7644 server), ' +
          '`proxyclick`, `promapp` or `proxy`.',
      },
      headers: {
        type: { map: 'string' },
        optional: true,
        sensitive: true,
        description:
          'Extra HTTP headers sent with every request (for example a tenant header). Sensitive: their values are never ' +
          'logged or shown; pass them through a sensitive, ephemeral variable rather than writing them literally.',
      },
      timeout: {
        type: 'number',
        optional: true,
        description: 'Timeout of one HTTP request, in seconds. Default 30.',
      },
      max_retries: {
        type: 'number',
        optional: true,
        description:
          'How many times an idempotent request is retried after 429, 5xx or a connection error (with backoff, ' +
          'honouring `Retry-After`). Default 5. Creations are never retried blindly.',
      },
      requests_per_second: {
        type: 'number',
        optional: true,
        description: 'Upper bound on requests per second to this endpoint, shared by all concurrent operations. Default: unlimited.',
      },
      requests_per_minute: {
        type: 'number',
        optional: true,
        description:
          'Budget of requests per minute to this app (reads and writes), shared by every resource of this provider block and honoured ' +
          'under concurrency (requests evenly spaced, no bursts). Default: the connector profile\'s budget ' +
          '(`generic`: unlimited). Set it to the app\'s documented limit, e.g. `1200` for an app allowing 20 requests per second.',
      },
      writes_per_minute: {
        type: 'number',
        optional: true,
        description:
          'Budget of writes (POST, PUT, PATCH, DELETE) per minute to this app, on top of `requests_per_minute`. Default: the connector ' +
          'profile\'s budget (`generic`: unlimited). Slack-like apps allow about `180` user writes per minute; a `scim_roster` apply of ' +
          '1,000 new people then takes about 6 minutes.',
      },
      ca_file: {
        type: 'string',
        optional: true,
        description: 'Path of a PEM file with extra certificate authorities to trust (for endpoints with a private CA).',
      },
      log_file: {
        type: 'string',
        optional: true,
        description:
          'Path of the provisioning log: one JSON line per SCIM call (time, endpoint, method, path, status, duration, ' +
          'action). Never contains tokens, passwords or headers.',
      },
      on_destroy: {
        type: 'string',
        optional: true,
        description:
          'What destroying a `scim_user` does by default: `deactivate` (default; sets `active = false` and keeps the ' +
          'account) or `delete` (removes the account). Each resource may override it with its own `on_destroy`.',
      },
      member_batch_size: {
        type: 'number',
        optional: true,
        description: 'How many group members one PATCH request adds or removes. Default: the connector profile\'s batch size (100).',
      },
    },
  },
};

// ---------------------------------------------------------------------------------------------------
// Small readers over provider config values

const known = (v: Value | undefined): boolean => v !== undefined && v !== null && !isUnknown(v);
const nonEmpty = (s: string | undefined): s is string => typeof s === 'string' && s !== '';

function envValue(env: Env, name: string): string | undefined {
  const v = env[name];
  return nonEmpty(v) ? v : undefined;
}

// Diagnostics never carry the path of `token` or `password`: Terraform prints the source line of the
// attribute a diagnostic points at, which would show a literally written secret.
function error(summary: string, detail: string, attr?: string): Diagnostic {
  return attr ? { severity: 'error', summary, detail, path: [attr] } : { severity: 'error', summary, detail };
}

function warning(summary: string, detail: string, attr?: string): Diagnostic {
  return attr ? { severity: 'warning', summary, detail, path: [attr] } : { severity: 'warning', summary, detail };
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/i;

function checkEndpoint(v: Value | undefined, diags: Diagnostic[]): string | undefined {
  if (!known(v)) return undefined;
  if (typeof v !== 'string' || v.trim() === '') {
    diags.push(error('Missing SCIM endpoint', 'Set `endpoint` to the base URL of the SCIM service, e.g. https://app.example.com/scim/v2.', 'endpoint'));
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    // The value is not echoed: a malformed URL may still carry credentials.
    diags.push(error('Invalid SCIM endpoint', '`endpoint` is not a URL; use the full base URL, e.g. https://app.example.com/scim/v2.', 'endpoint'));
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    diags.push(error('Invalid SCIM endpoint', `The endpoint must use https:// (or http:// for local servers), not ${url.protocol}//.`, 'endpoint'));
    return undefined;
  }
  if (url.username || url.password) {
    diags.push(
      error(
        'Credentials in the SCIM endpoint URL',
        'The `endpoint` URL contains a user name or password. Remove them from the URL and set `token` or `username`/`password` (or SCIM_TOKEN / SCIM_USERNAME / SCIM_PASSWORD) instead.',
        // No attribute path: Terraform would print the source line with the credentials.
      ),
    );
    return undefined;
  }
  if (url.protocol === 'http:' && !LOOPBACK.test(url.hostname)) {
    diags.push(
      warning(
        'Unencrypted SCIM endpoint',
        `${url.origin} uses plain http://: credentials and personal data travel unencrypted. Use https:// outside local testing.`,
        'endpoint',
      ),
    );
  }
  return v.replace(/\/+$/, '');
}

function checkProfile(v: Value | undefined, diags: Diagnostic[]): ConnectorProfile | undefined {
  if (v === undefined || v === null) return profiles.generic;
  if (isUnknown(v)) return undefined;
  const name = String(v);
  const p = Object.prototype.hasOwnProperty.call(profiles, name) ? profiles[name] : undefined;
  if (!p) diags.push(error('Unknown connector profile', `profile = "${name}" is not known; valid profiles: ${profileNames().join(', ')}.`, 'profile'));
  return p;
}

function checkNumber(config: ObjectValue, attr: string, diags: Diagnostic[], rule: { min: number; integer?: boolean; what: string }): number | undefined {
  const v = config[attr];
  if (!known(v)) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < rule.min || (rule.integer && !Number.isInteger(v))) {
    diags.push(error(`Invalid ${attr}`, `${attr} = ${String(v)}: ${rule.what}.`, attr));
    return undefined;
  }
  return v;
}

function checkOnDestroy(v: Value | undefined, diags: Diagnostic[], attr = 'on_destroy'): OnDestroy | undefined {
  if (!known(v)) return undefined;
  if (!ON_DESTROY_VALUES.includes(v as OnDestroy)) {
    diags.push(error(`Invalid ${attr}`, `${attr} = "${String(v)}" is not allowed; use "deactivate" (keep the account, inactive) or "delete" (remove it).`, attr));
    return undefined;
  }
  return v as OnDestroy;
}

/** Static checks of the provider block: fine with unknown values (they are skipped). */
export function validateProviderConfig(config: ObjectValue): Diagnostic[] {
  const diags: Diagnostic[] = [];
  checkEndpoint(config.endpoint, diags);
  checkProfile(config.profile, diags);
  checkNumber(config, 'timeout', diags, { min: 0.001, what: 'the timeout must be a positive number of seconds' });
  checkNumber(config, 'max_retries', diags, { min: 0, integer: true, what: 'use a whole number ≥ 0' });
  checkNumber(config, 'requests_per_second', diags, { min: 0.001, what: 'use a positive number' });
  checkNumber(config, 'member_batch_size', diags, { min: 1, integer: true, what: 'use a whole number ≥ 1' });
  checkNumber(config, 'requests_per_minute', diags, { min: 1, what: 'use a positive number of requests per minute' });
  checkNumber(config, 'writes_per_minute', diags, { min: 1, what: 'use a positive number of writes per minute' });
  checkOnDestroy(config.on_destroy, diags);
  const tokenSet = known(config.token);
  const basicSet = known(config.username) || known(config.password);
  if (tokenSet && basicSet) diags.push(bothSchemes());
  return diags;
}

function bothSchemes(): Diagnostic {
  return error(
    'Conflicting SCIM authentication',
    'Both `token` (bearer) and `username`/`password` (HTTP Basic) are set. Configure exactly one scheme: the app\'s ' +
      'connector profile says which one it uses (Proxy: Basic with app key and secret; Proxyclick and Promapp: bearer token).',
    // No attribute path: Terraform would print the source line, i.e. the token itself when written literally.
  );
}

/** Picks the auth scheme from the block first, then from the environment. */
function resolveAuth(config: ObjectValue, env: Env, profile: ConnectorProfile, diags: Diagnostic[]): ScimAuth | undefined {
  const token = known(config.token) ? String(config.token) : undefined;
  const username = known(config.username) ? String(config.username) : undefined;
  const password = known(config.password) ? String(config.password) : undefined;
  if (token !== undefined && (username !== undefined || password !== undefined)) {
    diags.push(bothSchemes());
    return undefined;
  }
  if (token !== undefined) {
    if (token === '') diags.push(error('Empty SCIM token', '`token` is set to an empty string; set the bearer token issued by the app (or SCIM_TOKEN).'));
    return token === '' ? undefined : { kind: 'bearer', token };
  }
  if (username !== undefined || password !== undefined) return basicAuth(username ?? envValue(env, 'SCIM_USERNAME'), password ?? envValue(env, 'SCIM_PASSWORD'), diags);
  // Nothing in the block: the environment.
  const envToken = envValue(env, 'SCIM_TOKEN');
  const envUser = envValue(env, 'SCIM_USERNAME');
  const envPass = envValue(env, 'SCIM_PASSWORD');
  const envBasic = envUser !== undefined || envPass !== undefined;
  if (envToken !== undefined && (!envBasic || profile.auth === 'bearer')) return { kind: 'bearer', token: envToken };
  if (envBasic) return basicAuth(envUser, envPass, diags);
  diags.push(
    error(
      'Missing SCIM credentials',
      `No credentials for the ${profile.title} endpoint: set \`token\` (or the SCIM_TOKEN environment variable) for a bearer token, ` +
        'or `username` and `password` (or SCIM_USERNAME / SCIM_PASSWORD) for HTTP Basic.',
    ),
  );
  return undefined;
}

function basicAuth(username: string | undefined, password: string | undefined, diags: Diagnostic[]): ScimAuth | undefined {
  if (!nonEmpty(username)) {
    diags.push(error('Missing SCIM username', 'HTTP Basic needs `username` (or SCIM_USERNAME) together with `password`.', 'username'));
    return undefined;
  }
  if (!nonEmpty(password)) {
    diags.push(error('Missing SCIM password', 'HTTP Basic needs `password` (or SCIM_PASSWORD) together with `username`.', 'username'));
    return undefined;
  }
  return { kind: 'basic', username, password };
}

/**
 * Parses the provider block. `parsed` is undefined when the block has unknown values (plan time) or errors;
 * `diagnostics` then says why (no diagnostics for mere unknowns).
 */
export function parseProviderConfig(config: ObjectValue, env: Env = process.env): { parsed?: ParsedProviderConfig; diagnostics: Diagnostic[] } {
  const diags: Diagnostic[] = [];
  if (containsUnknown(config)) return { diagnostics: diags };
  const endpoint = checkEndpoint(config.endpoint, diags);
  if (config.endpoint === null || config.endpoint === undefined) {
    diags.push(error('Missing SCIM endpoint', 'Set `endpoint` to the base URL of the SCIM service, e.g. https://app.example.com/scim/v2.', 'endpoint'));
  }
  const profile = checkProfile(config.profile, diags);
  const timeout = checkNumber(config, 'timeout', diags, { min: 0.001, what: 'the timeout must be a positive number of seconds' });
  const maxRetries = checkNumber(config, 'max_retries', diags, { min: 0, integer: true, what: 'use a whole number ≥ 0' });
  const rps = checkNumber(config, 'requests_per_second', diags, { min: 0.001, what: 'use a positive number' });
  const batch = checkNumber(config, 'member_batch_size', diags, { min: 1, integer: true, what: 'use a whole number ≥ 1' });
  const rpm = checkNumber(config, 'requests_per_minute', diags, { min: 1, what: 'use a positive number of requests per minute' });
  const wpm = checkNumber(config, 'writes_per_minute', diags, { min: 1, what: 'use a positive number of writes per minute' });
  const onDestroy = checkOnDestroy(config.on_destroy, diags) ?? 'deactivate';
  const auth = profile ? resolveAuth(config, env, profile, diags) : undefined;
  if (profile && auth && profile.name !== 'generic' && profile.auth !== auth.kind) {
    const want = profile.auth === 'basic' ? 'HTTP Basic (`username` and `password`)' : 'a bearer `token`';
    diags.push(warning(`Unexpected authentication for ${profile.title}`, `The ${profile.title} app authenticates with ${want}; the request may be refused with 401.`));
  }
  const caFile = known(config.ca_file) ? String(config.ca_file) : undefined;
  if (caFile !== undefined && !fs.existsSync(caFile)) {
    diags.push(error('CA file not found', `ca_file = "${caFile}" does not exist (relative paths are resolved from the Terraform working directory).`, 'ca_file'));
  }
  let headers: Record<string, string> | undefined;
  if (known(config.headers) && typeof config.headers === 'object' && !Array.isArray(config.headers)) {
    headers = {};
    for (const [k, v] of Object.entries(config.headers as Record<string, Value>)) if (typeof v === 'string') headers[k] = v;
    if (Object.keys(headers).some((k) => k.toLowerCase() === 'authorization')) {
      // No attribute path: Terraform would print the source line, i.e. a literally written Authorization value.
      diags.push(error('Authorization header in headers', 'Set credentials with `token` or `username`/`password` instead of an Authorization entry in `headers`.'));
    }
  }
  if (diags.some((d) => d.severity === 'error') || !endpoint || !profile || !auth) return { diagnostics: diags };
  const parsed: ParsedProviderConfig = {
    endpoint,
    auth,
    profile,
    timeoutMs: Math.round((timeout ?? 30) * 1000),
    maxRetries: maxRetries ?? 5,
    onDestroy,
  };
  if (headers) parsed.headers = headers;
  if (rps !== undefined) parsed.requestsPerSecond = rps;
  if (caFile !== undefined) parsed.caFile = caFile;
  if (known(config.log_file)) parsed.logFile = String(config.log_file);
  if (batch !== undefined) parsed.memberBatchSize = batch;
  const requestsPerMinute = rpm ?? profile.requestsPerMinute;
  const writesPerMinute = wpm ?? profile.writesPerMinute;
  if (requestsPerMinute !== undefined) parsed.requestsPerMinute = requestsPerMinute;
  if (writesPerMinute !== undefined) parsed.writesPerMinute = writesPerMinute;
  return { parsed, diagnostics: diags };
}
