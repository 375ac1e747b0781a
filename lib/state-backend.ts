// Where an app stack keeps its Terraform state: the local file `<stateDir>/<app>.tfstate` by default, or —
// when SCIMFORM_STATE_URL (or the ScimApp `stateUrl` option) names a PostgreSQL database — Terraform's `pg`
// backend: one schema per organisation, one Terraform workspace per app. The connection string itself is
// never written into the stack: the scimform command hands it to Terraform as PG_CONN_STR, and selects the
// app's workspace with TF_WORKSPACE (cli/state/state-env.ts), both read back from `//.scimform_state`.
import * as path from 'node:path';
// Types only at load: the scimform command reads this file's constants on every run (cli/state/state-env.ts)
// and must not load cdktf (~0.3 s of CPU) unless it synthesizes; addStateBackend requires it when called.
import type { PgBackend, TerraformStack } from 'cdktf';
import { ScimformUsageError } from './errors';

/** The environment variable naming the organisation's shared state database. */
export const STATE_URL_VARIABLE = 'SCIMFORM_STATE_URL';
/** The environment variable naming the organisation's schema in that database (default `scimform`). */
export const STATE_SCHEMA_VARIABLE = 'SCIMFORM_STATE_SCHEMA';
export const DEFAULT_STATE_SCHEMA = 'scimform';
/** Key under `//` in cdk.tf.json where synth records how the command must reach the stack's state. */
export const STATE_METADATA_KEY = 'scimform_state';

export interface StateOptions {
  /** PostgreSQL URL of the shared state (default: env SCIMFORM_STATE_URL; unset = local state). */
  readonly stateUrl?: string;
  /** Schema of this organisation in that database (default: env SCIMFORM_STATE_SCHEMA, else "scimform"). */
  readonly stateSchema?: string;
  /** Folder of the local state file `<stack>.tfstate` (used when there is no state URL). */
  readonly stateDir: string;
}

export type StateChoice =
  | { readonly kind: 'local'; readonly path: string }
  | { readonly kind: 'pg'; readonly schema: string; readonly workspace: string };

/** What synth records under `//.scimform_state` for a stack on shared state (no connection string). */
export interface SharedStateMetadata {
  readonly backend: 'pg';
  readonly schema: string;
  readonly workspace: string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** True when `url` is a PostgreSQL connection URL (postgres:// or postgresql://). */
export const isPostgresUrl = (url: string): boolean => /^postgres(ql)?:\/\/[^\s]+$/i.test(url.trim());

/** Decides the backend of app `app` (a plain function: no Terraform, no I/O). */
export function chooseStateBackend(app: string, opts: StateOptions, env: Record<string, string | undefined> = process.env): StateChoice {
  const url = (opts.stateUrl ?? env[STATE_URL_VARIABLE] ?? '').trim();
  if (url === '') return { kind: 'local', path: path.join(opts.stateDir, `${app}.tfstate`) };
  if (!isPostgresUrl(url)) {
    throw new ScimformUsageError(
      'SCIMFORM_BAD_STATE_URL',
      `${opts.stateUrl !== undefined ? 'the stateUrl option' : STATE_URL_VARIABLE} is not a PostgreSQL URL ` +
        '(expected postgres://user@host:5432/database?sslmode=require). Fix it, or unset it to keep local state.',
    );
  }
  const schema = (opts.stateSchema ?? env[STATE_SCHEMA_VARIABLE] ?? '').trim() || DEFAULT_STATE_SCHEMA;
  if (!IDENTIFIER.test(schema)) {
    throw new ScimformUsageError(
      'SCIMFORM_BAD_STATE_SCHEMA',
      `state schema "${schema}" (${opts.stateSchema !== undefined ? 'stateSchema option' : STATE_SCHEMA_VARIABLE}) is not a plain ` +
        'PostgreSQL name: use lower-case letters, digits and _ (at most 63), e.g. your organisation\'s name.',
    );
  }
  return { kind: 'pg', schema, workspace: app };
}

/** Adds the chosen backend to `stack` (and, for shared state, the metadata the scimform command reads). */
export function addStateBackend(stack: TerraformStack, app: string, opts: StateOptions): StateChoice {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cdktf = require('cdktf') as typeof import('cdktf');
  const choice = chooseStateBackend(app, opts);
  if (choice.kind === 'local') {
    new cdktf.LocalBackend(stack, { path: choice.path });
  } else {
    // No connStr: Terraform reads PG_CONN_STR from the environment the scimform command gives it.
    // (cdktf's type requires connStr; leaving it out is what keeps it out of cdk.tf.json.)
    new cdktf.PgBackend(stack, { schemaName: choice.schema } as ConstructorParameters<typeof PgBackend>[1]);
    const meta: SharedStateMetadata = { backend: 'pg', schema: choice.schema, workspace: choice.workspace };
    stack.addOverride(`//.${STATE_METADATA_KEY}`, meta);
  }
  return choice;
}
