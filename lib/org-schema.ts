// The shape of people and teams, as written in org files or passed in code, validated with zod.
// Field errors read like `people[3].email: invalid email`.
import { z } from 'zod';

const KEY = /^[a-z0-9][a-z0-9_-]*$/;
const key = (what: string) =>
  z.string({ error: `must be a ${what} key (text)` }).regex(KEY, {
    error: `invalid ${what} key: use lower-case letters, digits, "-" and "_", starting with a letter or digit`,
  });
const text = z.string({ error: 'must be text' }).trim().min(1, { error: 'must not be empty' });
const email = z.email({ error: 'invalid email' });
const isoDate = z
  .union([z.string(), z.date()], { error: 'must be a date (YYYY-MM-DD)' })
  .transform((v, ctx) => {
    const s = v instanceof Date ? v.toISOString().slice(0, 10) : v.trim();
    const t = Date.parse(`${s}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== s) {
      ctx.addIssue({ code: 'custom', message: 'invalid date: use YYYY-MM-DD' });
      return z.NEVER;
    }
    return s;
  });
const numberish = z
  .union([z.string(), z.number()], { error: 'must be text or a number' })
  .transform((v) => String(v).trim());

export const personSpecSchema = z
  .strictObject(
    {
      key: key('person'),
      userName: text.optional(),
      givenName: text,
      familyName: text,
      middleName: text.optional(),
      displayName: text.optional(),
      email,
      emails: z.array(z.strictObject({ value: email, type: text.optional() })).optional(),
      phone: text.optional(),
      title: text.optional(),
      department: text.optional(),
      manager: key('person').optional(),
      employeeNumber: numberish.optional(),
      costCenter: text.optional(),
      division: text.optional(),
      organization: text.optional(),
      teams: z.array(key('team')).optional(),
      status: z.enum(['active', 'leaver'], { error: 'must be "active" or "leaver"' }).optional(),
      leaveDate: isoDate.optional(),
      attributes: z
        .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]), {
          error: 'must map names to text, numbers or booleans',
        })
        .optional(),
    },
    { error: (iss) => (iss.code === 'unrecognized_keys' ? `unknown field(s) ${iss.keys.map((k) => `"${k}"`).join(', ')}` : undefined) },
  )
  .superRefine((p, ctx) => {
    if (p.status === 'leaver' && !p.leaveDate) {
      ctx.addIssue({ code: 'custom', path: ['leaveDate'], message: 'a leaver needs a leaveDate (YYYY-MM-DD)' });
    }
    if (p.manager && p.manager === p.key) {
      ctx.addIssue({ code: 'custom', path: ['manager'], message: 'a person cannot be their own manager' });
    }
  });

export const teamSpecSchema = z.strictObject(
  {
    key: key('team'),
    displayName: text,
    description: text.optional(),
    externalId: text.optional(),
    members: z.array(key('person')).optional(),
  },
  { error: (iss) => (iss.code === 'unrecognized_keys' ? `unknown field(s) ${iss.keys.map((k) => `"${k}"`).join(', ')}` : undefined) },
);

/** A person as declared (input). `userName` defaults to `email`; `status` to active. */
export type PersonSpec = z.input<typeof personSpecSchema>;
export type PersonData = z.output<typeof personSpecSchema>;
/** A team as declared (input). Members may be listed here, on each person (`teams`), or both. */
export type TeamSpec = z.input<typeof teamSpecSchema>;
export type TeamData = z.output<typeof teamSpecSchema>;

export const peopleFileSchema = z.strictObject({ people: z.array(z.unknown(), { error: 'must be a list' }) });
export const teamsFileSchema = z.strictObject({ teams: z.array(z.unknown(), { error: 'must be a list' }) });

/** `['people', 3, 'email']` → `people[3].email`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const step of path) {
    if (typeof step === 'number') out += `[${step}]`;
    else out += out === '' ? String(step) : `.${String(step)}`;
  }
  return out;
}

/** Zod issues → `prefix.path: message` lines. */
export function formatIssues(issues: ReadonlyArray<z.core.$ZodIssue>, prefix: ReadonlyArray<PropertyKey> = []): string[] {
  return issues.map((i) => {
    const where = formatPath([...prefix, ...i.path]);
    return where ? `${where}: ${i.message}` : i.message;
  });
}
