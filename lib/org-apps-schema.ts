// The shape of `apps.yaml` (or `.json`): every app of the organisation as data — key, title, connector
// profile, target (endpoint/credential variable prefix and sandbox tenant), pushed groups, assignments with
// roles, scoping clauses, declarative mappings, leaver policy, and what the app already holds (SCIM ids,
// inactive accounts, per-person attribute overrides) as written by `scimform import`. Validated with zod.
import { z } from 'zod';
import { profileNames } from './app-profiles';
import { SCALAR_ATTRIBUTES } from './mappings';
import { DEFAULT_ROSTER_SLICES, MAX_ROSTER_SLICES } from './roster-slices';
import { SCOPING_OPERATORS } from './scoping';

const KEY = /^[a-z0-9][a-z0-9_-]*$/;
const key = (what: string) =>
  z.string({ error: `must be a ${what} key (text)` }).regex(KEY, {
    error: `invalid ${what} key: use lower-case letters, digits, "-" and "_", starting with a letter or digit`,
  });
const text = z.string({ error: 'must be text' }).trim().min(1, { error: 'must not be empty' });
const strict = { error: (iss: { code: string; keys?: string[] }) => (iss.code === 'unrecognized_keys' ? `unknown field(s) ${iss.keys!.map((k) => `"${k}"`).join(', ')}` : undefined) };

/** Target attributes a mapping can set (the keys of UserMappings). */
export const MAPPING_ATTRIBUTES = ['userName', 'givenName', 'familyName', 'middleName', 'formattedName', ...SCALAR_ATTRIBUTES, 'emails', 'phoneNumbers', 'roles', 'manager'] as const;
export type MappingAttribute = (typeof MAPPING_ATTRIBUTES)[number];
export const LIST_ATTRIBUTES: ReadonlySet<string> = new Set(['emails', 'phoneNumbers', 'roles']);

/** `{ function: name }`: a function registered by code (main.ts) under that name. */
const functionRef = z.strictObject({ function: text }, strict);
export type FunctionRef = z.output<typeof functionRef>;

/** A mapping: a constant, a `{{attribute}}` template, `null` (not sent) or a function named in code. */
const mappingValue = z.union([z.string(), z.number(), z.boolean(), z.null(), functionRef], {
  error: 'must be a constant, a template such as "{{givenName}} {{familyName}}", null (not sent) or { function: name }',
});

const attributeRecord = <T extends z.ZodType>(value: T) =>
  z.record(z.string(), value, { error: 'must map attribute names to values' }).superRefine((r, ctx) => {
    for (const k of Object.keys(r)) {
      if (!(MAPPING_ATTRIBUTES as readonly string[]).includes(k)) {
        ctx.addIssue({ code: 'custom', path: [k], message: `unknown attribute "${k}" (use one of ${MAPPING_ATTRIBUTES.join(', ')})` });
      }
    }
  });

const multiValue = z.strictObject({ value: text, type: text.optional(), primary: z.boolean().optional() }, strict);
/** A literal value the app holds (import): text, a list of roles, or a list of { value, type, primary }. */
const literalValue = z.union([z.string(), z.null(), z.array(z.string()), z.array(multiValue)], {
  error: 'must be text, null (not sent), a list of text (roles) or a list of { value, type, primary }',
});

const clause = z.strictObject(
  {
    attribute: text,
    operator: z.enum(SCOPING_OPERATORS, { error: `must be one of ${SCOPING_OPERATORS.join(', ')}` }),
    value: z.union([z.string(), z.number()]).optional(),
  },
  strict,
);

const assignment = z
  .strictObject({ person: key('person').optional(), team: key('team').optional(), role: text.optional() }, strict)
  .superRefine((a, ctx) => {
    if ((a.person === undefined) === (a.team === undefined)) ctx.addIssue({ code: 'custom', message: 'give exactly one of `person` and `team`' });
  });

const account = z.strictObject(
  {
    /** SCIM id of the existing account: synth adds a Terraform import block for it. */
    id: text.optional(),
    /** false: the account exists and stays deactivated (or pending). */
    active: z.boolean().optional(),
    /** Values this app holds that differ from what the mappings give: literal, or null (not sent). */
    attributes: attributeRecord(literalValue).optional(),
  },
  strict,
);

const group = z.strictObject({ id: text.optional(), externalId: z.union([text, z.null()]).optional() }, strict);

export const appSpecSchema = z.strictObject(
  {
    key: key('app'),
    title: text.optional(),
    profile: z.enum(profileNames as [string, ...string[]], { error: `must be one of ${profileNames.join(', ')}` }).optional(),
    target: z.strictObject(
      {
        envPrefix: z.string({ error: 'must be text' }).regex(/^[A-Z][A-Z0-9_]*$/, { error: 'must be an environment variable prefix such as SCIMFORM_WIKI' }),
        sandboxTenant: z.enum(['generic', 'proxyclick', 'promapp', 'proxy'], { error: 'must be one of generic, proxyclick, promapp, proxy' }),
      },
      strict,
    ),
    onDestroy: z.enum(['deactivate', 'delete'], { error: 'must be "deactivate" or "delete"' }).optional(),
    pushGroups: z.array(key('team')).optional(),
    assign: z.array(assignment, { error: 'must be a list of { team | person, role? }' }).optional(),
    scope: z.union([z.array(z.array(clause)), functionRef], { error: 'must be a list of clause groups ([[clause, …], …]) or { function: name }' }).optional(),
    mappings: attributeRecord(mappingValue).optional(),
    accounts: z.record(key('person'), account, { error: 'must map person keys to { id, active, attributes }' }).optional(),
    groups: z.record(key('team'), group, { error: 'must map team keys to { id, externalId }' }).optional(),
    /** The ScimApp `accounts` prop (`accounts` here already lists what the app holds): roster or users. */
    accountsAs: z.enum(['roster', 'users'], { error: 'must be "roster" (people as entries of scim_roster slices) or "users" (one scim_user each)' }).optional(),
    /** With `accountsAs: roster`: how many rosters hold the app's people (fixed for the app's life). */
    rosterSlices: z
      .number({ error: `must be a whole number of rosters from 1 to ${MAX_ROSTER_SLICES}, e.g. ${DEFAULT_ROSTER_SLICES}` })
      .int({ error: `must be a whole number of rosters from 1 to ${MAX_ROSTER_SLICES}, e.g. ${DEFAULT_ROSTER_SLICES}` })
      .min(1, { error: `must be a whole number of rosters from 1 to ${MAX_ROSTER_SLICES}, e.g. ${DEFAULT_ROSTER_SLICES}` })
      .max(MAX_ROSTER_SLICES, { error: `must be a whole number of rosters from 1 to ${MAX_ROSTER_SLICES}, e.g. ${DEFAULT_ROSTER_SLICES}` })
      .optional(),
  },
  strict,
);

export type AppSpec = z.output<typeof appSpecSchema>;
export type AccountSpec = z.output<typeof account>;
export const appsFileSchema = z.strictObject({ apps: z.array(z.unknown(), { error: 'must be a list' }) });
