// Named errors of the plugin layer, each with a stable code. They extend DiagnosticError so that
// anything thrown while serving an RPC turns into a Terraform diagnostic (with an attribute path when
// there is one) instead of crashing the provider process.
import { DiagnosticError, type AttributePath } from './provider-definition';

export type PluginErrorCode =
  | 'PLUGIN_BAD_VALUE'
  | 'PLUGIN_UNKNOWN_TYPE'
  | 'PLUGIN_UNSUPPORTED'
  | 'PLUGIN_INVALID_SCHEMA'
  | 'PLUGIN_BAD_STATE'
  | 'PLUGIN_STOPPED';

export class PluginError extends DiagnosticError {
  constructor(
    readonly code: PluginErrorCode,
    summary: string,
    detail?: string,
    path?: AttributePath,
  ) {
    super(summary, detail, path);
    this.name = 'PluginError';
  }
}

/** Renders an attribute path the way Terraform users write it: `name.given_name`, `emails[0]`, `headers["x"]`. */
export function formatPath(path: AttributePath): string {
  let out = '';
  for (const step of path) {
    if (typeof step === 'string') out += out ? `.${step}` : step;
    else if (typeof step === 'number') out += `[${step}]`;
    else out += `[${JSON.stringify(step.key)}]`;
  }
  return out || '(root)';
}

export const badValue = (path: AttributePath, expected: string, got: unknown, direction: 'from Terraform' | 'from the provider') =>
  new PluginError(
    'PLUGIN_BAD_VALUE',
    `Invalid value for ${formatPath(path)}`,
    `Expected ${expected} but the value ${direction} is ${describe(got)}. ` +
      (direction === 'from the provider'
        ? 'This is a bug in the provider: its handlers must return values that match the schema.'
        : 'Terraform sent a value that does not match the provider schema; check that the provider binary matches the lock file (run `terraform init`).'),
    path,
  );

export const unknownAttribute = (path: AttributePath) =>
  new PluginError(
    'PLUGIN_BAD_VALUE',
    `Unsupported attribute ${formatPath(path)}`,
    'The provider returned an attribute its schema does not declare. This is a bug in the provider.',
    path,
  );

export const unknownAfterApply = (path: AttributePath, operation: string) =>
  new PluginError(
    'PLUGIN_BAD_VALUE',
    `Provider returned an unknown value for ${formatPath(path)} after ${operation}`,
    'Every value must be known once the remote object has been read or changed. This is a bug in the provider.',
    path,
  );

export const unknownType = (kind: 'resource' | 'data source' | 'ephemeral resource', name: string, known: string[]) =>
  new PluginError(
    'PLUGIN_UNKNOWN_TYPE',
    `Unknown ${kind} type ${JSON.stringify(name)}`,
    known.length
      ? `This provider offers ${kind} types: ${known.join(', ')}.`
      : `This provider offers no ${kind} types.`,
  );

export const unsupported = (what: string, detail: string) => new PluginError('PLUGIN_UNSUPPORTED', `${what} is not supported`, detail);

export const invalidSchema = (where: string, problem: string) =>
  new PluginError('PLUGIN_INVALID_SCHEMA', `Invalid provider schema at ${where}`, `${problem} This is a bug in the provider.`);

export const badState = (summary: string, detail: string) => new PluginError('PLUGIN_BAD_STATE', summary, detail);

export const stopped = () =>
  new PluginError('PLUGIN_STOPPED', 'Operation cancelled', 'Terraform asked the provider to stop (interrupt); the operation was abandoned.');

function describe(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'symbol') return 'unknown';
  if (Array.isArray(v)) return 'a list';
  if (v instanceof Uint8Array) return 'binary data';
  return `a ${typeof v}`;
}
