// The read-only user attributes shared by the `scim_user` and `scim_users` data sources (names as on the
// `scim_user` resource) and their values from a SCIM user.
import type { AttributeSchema, ObjectValue } from '../plugin/provider-definition';
import type { MultiValue, ScimUser } from '../client';
import { ENTERPRISE_USER } from '../client/scim-urns';
import { metaSchema, metaValue } from './meta-values';

const str = (description: string): AttributeSchema => ({ type: 'string', computed: true, description });

const multiValued = (what: string, one: string): AttributeSchema => ({
  computed: true,
  description: `The user's ${what}.`,
  nested: {
    nesting: 'set',
    attributes: {
      value: str(`The ${one} itself.`),
      type: str('Its type label, such as `work` or `home`.'),
      primary: { type: 'bool', computed: true, description: 'Whether this is the primary value.' },
    },
  },
});

/** Computed user attributes (everything except how the user is selected). */
export function userAttributes(): Record<string, AttributeSchema> {
  return {
    user_name: str('The user\'s `userName`, unique on the server.'),
    external_id: str('The user\'s `externalId` (identifier from the provisioning source).'),
    display_name: str('The user\'s `displayName`.'),
    name: {
      computed: true,
      description: 'The components of the user\'s name.',
      nested: {
        nesting: 'single',
        attributes: {
          given_name: str('Given (first) name.'),
          family_name: str('Family (last) name.'),
          middle_name: str('Middle name.'),
          formatted: str('The full name, formatted for display.'),
          honorific_prefix: str('Honorific prefix, such as `Ms.`.'),
          honorific_suffix: str('Honorific suffix, such as `III`.'),
        },
      },
    },
    nick_name: str('Casual name.'),
    title: str('Job title.'),
    user_type: str('Organisation-specific user type, such as `Employee` or `Contractor`.'),
    preferred_language: str('Preferred written or spoken language (e.g. `en-US`).'),
    locale: str('Locale for localising currency, dates and numbers (e.g. `en-US`).'),
    timezone: str('Time zone in IANA format (e.g. `Europe/Brussels`).'),
    active: { type: 'bool', computed: true, description: 'Whether the account is active (false = deactivated).' },
    emails: multiValued('email addresses', 'email address'),
    phone_numbers: multiValued('phone numbers', 'phone number'),
    roles: { type: { set: 'string' }, computed: true, description: 'Values of the user\'s SCIM `roles`.' },
    employee_number: str('Enterprise extension: employee number.'),
    cost_center: str('Enterprise extension: cost center.'),
    organization: str('Enterprise extension: organization.'),
    division: str('Enterprise extension: division.'),
    department: str('Enterprise extension: department.'),
    manager_id: str('Enterprise extension: SCIM id of the user\'s manager.'),
    meta: metaSchema('user'),
  };
}

const s = (v: string | undefined | null): string | null => (typeof v === 'string' ? v : null);

function multi(values: MultiValue[] | undefined): ObjectValue[] | null {
  if (!values) return null;
  const seen = new Map<string, ObjectValue>();
  for (const m of values) {
    const v: ObjectValue = { value: s(m.value), type: s(m.type), primary: typeof m.primary === 'boolean' ? m.primary : null };
    seen.set(JSON.stringify(v), v); // a set: identical entries collapse
  }
  return [...seen.values()];
}

/** Data source value of a SCIM user (all attributes of userAttributes() plus `id`). */
export function userValue(u: ScimUser): ObjectValue {
  const ent = u[ENTERPRISE_USER];
  const n = u.name;
  return {
    id: s(u.id),
    user_name: u.userName,
    external_id: s(u.externalId),
    display_name: s(u.displayName),
    name: n
      ? {
          given_name: s(n.givenName),
          family_name: s(n.familyName),
          middle_name: s(n.middleName),
          formatted: s(n.formatted),
          honorific_prefix: s(n.honorificPrefix),
          honorific_suffix: s(n.honorificSuffix),
        }
      : null,
    nick_name: s(u.nickName),
    title: s(u.title),
    user_type: s(u.userType),
    preferred_language: s(u.preferredLanguage),
    locale: s(u.locale),
    timezone: s(u.timezone),
    active: typeof u.active === 'boolean' ? u.active : null,
    emails: multi(u.emails),
    phone_numbers: multi(u.phoneNumbers),
    roles: u.roles ? [...new Set(u.roles.map((r) => r.value))] : null,
    employee_number: s(ent?.employeeNumber),
    cost_center: s(ent?.costCenter),
    organization: s(ent?.organization),
    division: s(ent?.division),
    department: s(ent?.department),
    manager_id: s(ent?.manager?.value),
    meta: metaValue(u.meta),
  };
}
