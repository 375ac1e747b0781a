// How to fix a problem in an org file entry (people.yaml, teams.yaml, apps.yaml), added to the schema's
// message: a mistyped field gets "did you mean …", a field at the wrong level where it belongs, a missing or
// wrongly shaped field an example line of the right shape, a bad key a valid key made from it. Pure: from
// the zod issue and the entry as written.
import type { z } from 'zod';
import { closestName } from './did-you-mean';
import { personSpecSchema, teamSpecSchema } from './org-schema';

/** One example value per field, written as it would appear in the YAML file. */
const PERSON_EXAMPLES: Record<string, string> = {
  key: 'ada',
  userName: 'ada@example.com',
  givenName: 'Ada',
  familyName: 'Lovelace',
  middleName: 'King',
  displayName: 'Ada Lovelace',
  email: 'ada@example.com',
  emails: '[{ value: ada@home.example, type: home }]',
  phone: '"+44 20 7946 0000"',
  title: 'Engineer',
  department: 'Engineering',
  manager: 'grace',
  employeeNumber: '1002',
  costCenter: 'CC-100',
  division: 'Research',
  organization: 'Example Ltd',
  teams: '[engineering, sales]',
  status: 'leaver',
  leaveDate: '2025-01-31',
  attributes: '{ contractor: true }',
  value: 'ada@home.example',
  type: 'home',
};
const TEAM_EXAMPLES: Record<string, string> = {
  key: 'engineering',
  displayName: 'Engineering',
  description: 'Builds the product',
  externalId: 'eng-001',
  members: '[ada, grace]',
};

export type EntryKind = 'person' | 'team';

const fieldsOf = (kind: EntryKind): string[] => Object.keys((kind === 'person' ? personSpecSchema : teamSpecSchema).shape);

/** `Bad Key` → `bad-key`: the nearest valid key. */
const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[-_]+|-+$/g, '') || 'a-key';

/**
 * The issue's message with a hint of the fix, e.g. `unknown field "emial" — did you mean "email"?` or
 * `must be a list — write it as \`teams: [engineering, sales]\``. `entry` is the entry as written.
 */
export function explainIssue(issue: z.core.$ZodIssue, kind: EntryKind, entry: unknown): string {
  const examples = kind === 'person' ? PERSON_EXAMPLES : TEAM_EXAMPLES;
  if (issue.code === 'unrecognized_keys') {
    const fields = fieldsOf(kind);
    return issue.keys
      .map((k) => {
        const near = closestName(k, fields);
        if (near) return `unknown field "${k}" — did you mean "${near}"?`;
        const free = kind === 'person' ? `; free-form values go under \`attributes: { ${k}: … }\`` : '';
        return `unknown field "${k}" — the fields are ${fields.join(', ')}${free}`;
      })
      .join('; ');
  }
  const field = [...issue.path].reverse().find((p): p is string => typeof p === 'string');
  const example = field !== undefined ? examples[field] : undefined;
  const line = example !== undefined ? `\`${field}: ${example}\`` : undefined;
  const written = issue.path.reduce<unknown>(
    (o, p) => (o && typeof o === 'object' ? (o as Record<PropertyKey, unknown>)[p as PropertyKey] : undefined),
    entry,
  );
  if (written === undefined && issue.path.length === 1 && issue.code !== 'custom') {
    return `is missing — add ${line ?? `\`${field}: …\``} to this entry`;
  }
  if (field === 'key' && typeof written === 'string' && issue.code !== 'custom') {
    return `${issue.message} — e.g. \`key: ${slug(written)}\``;
  }
  if (!line) return issue.message;
  if (issue.code === 'invalid_type' && issue.expected === 'array') return `must be a list — write it as ${line}`;
  if (issue.code === 'invalid_type' && issue.expected === 'record') return `must be a mapping — write it as ${line}`;
  return `${issue.message} — e.g. ${line}`;
}

/** A problem with the whole file (`people:`/`teams:` missing, misnamed or not a list), with the fix. */
export function explainFileIssue(issue: z.core.$ZodIssue, field: 'people' | 'teams', data: unknown): string {
  const entry = field === 'people' ? '  - key: ada' : '  - key: engineering';
  if (issue.code === 'unrecognized_keys') {
    return issue.keys
      .map((k) => `unknown top-level field "${k}" — ${closestName(k, [field]) ? `did you mean "${field}"?` : `the file holds only \`${field}:\``}`)
      .join('; ');
  }
  const given = data && typeof data === 'object' ? (data as Record<string, unknown>)[field] : undefined;
  const shape = `\`${field}:\` followed by one \`${entry.trim()}\` entry per ${field === 'people' ? 'person' : 'team'}, indented`;
  if (given === undefined) return `${field}: is missing — the file starts with ${shape}`;
  return `${field}: must be a list — write ${shape} (each entry starts with "- ")`;
}

/** Zod schema internals this file walks (zod 4): the kind of a schema and its inner parts. */
interface SchemaNode {
  shape?: Record<string, SchemaNode>;
  _zod: { def: { type: string; innerType?: SchemaNode; element?: SchemaNode; valueType?: SchemaNode; in?: SchemaNode } };
}

/** The field names allowed at `path` inside `schema` (through optional, list, map and pipe), if an object is there. */
export function fieldsAt(schema: unknown, path: readonly PropertyKey[]): string[] | undefined {
  let s = schema as SchemaNode | undefined;
  const unwrap = () => {
    while (s && ['optional', 'nullable', 'default', 'pipe'].includes(s._zod.def.type)) s = s._zod.def.innerType ?? s._zod.def.in;
  };
  for (const step of path) {
    unwrap();
    if (!s) return undefined;
    const { type, element, valueType } = s._zod.def;
    if (type === 'array' && typeof step === 'number') s = element;
    else if (type === 'record') s = valueType;
    else if (type === 'object' && typeof step === 'string') s = s.shape?.[step];
    else return undefined;
  }
  unwrap();
  return s?._zod.def.type === 'object' && s.shape ? Object.keys(s.shape) : undefined;
}

/** Fields of apps.yaml written at the wrong level, with where they belong. */
const APPS_MISPLACED: Record<string, Record<string, string>> = {
  app: {
    role: 'a role belongs to an assignment: `assign: [{ team: engineering, role: Editor }]`',
    team: 'assign teams under `assign:`: `assign: [{ team: engineering }]`',
    person: 'assign people under `assign:`: `assign: [{ person: ada }]`',
    teams: 'assign teams under `assign:`: `assign: [{ team: engineering }]`',
    envPrefix: 'it belongs inside `target: { envPrefix: SCIMFORM_WIKI, sandboxTenant: generic }`',
    sandboxTenant: 'it belongs inside `target: { envPrefix: SCIMFORM_WIKI, sandboxTenant: generic }`',
    endpoint: 'a real endpoint comes from the environment variable <envPrefix>_ENDPOINT (credentials from <envPrefix>_TOKEN, or _USERNAME/_PASSWORD), never from this file',
    token: 'credentials come from the environment variable <envPrefix>_TOKEN (or _USERNAME/_PASSWORD), never from this file',
  },
  assign: {
    pushGroups: 'it is an app field: `pushGroups: [engineering]` next to `assign:`',
    roles: 'give one role per assignment: `role: Editor` (assign again for another role)',
  },
};

/**
 * An apps.yaml issue (path relative to one app entry) with the fix: a field at the wrong level says where it
 * belongs; a mistyped one gets "did you mean …"; otherwise the fields allowed there are listed.
 */
export function explainAppIssue(issue: z.core.$ZodIssue, appSchema: unknown): string {
  if (issue.code !== 'unrecognized_keys') return issue.message;
  const fields = fieldsAt(appSchema, issue.path) ?? [];
  const level = issue.path.length === 0 ? 'app' : issue.path[0] === 'assign' ? 'assign' : undefined;
  return issue.keys
    .map((k) => {
      const misplaced = level ? APPS_MISPLACED[level][k] : undefined;
      if (misplaced) return `unknown field "${k}" — ${misplaced}`;
      const near = closestName(k, fields);
      if (near) return `unknown field "${k}" — did you mean "${near}"?`;
      return `unknown field "${k}"${fields.length ? ` — the fields here are ${fields.join(', ')}` : ''}`;
    })
    .join('; ');
}
