// Schema of the `scim_user` resource: the Terraform attribute table (snake_case ↔ SCIM path, as data) and the
// schema with a description on every attribute. Optional attributes are also computed: an attribute the
// configuration does not set is not managed, so values the server adds never show as a diff.
import type { AttributeSchema, Schema } from '../plugin/provider-definition';
import { ENTERPRISE_USER } from '../client/scim-urns';

/** A single-valued string attribute of the SCIM core user. */
export interface StringAttr {
  tf: string;
  scim: string;
  description: string;
}

export const CORE_STRINGS: readonly StringAttr[] = [
  { tf: 'external_id', scim: 'externalId', description: 'Identifier of the person in the source system (HR or IdP id). Also used, with `user_name`, to find an existing account to adopt.' },
  { tf: 'display_name', scim: 'displayName', description: 'Name shown to other users, e.g. `Alice Martin`.' },
  { tf: 'nick_name', scim: 'nickName', description: 'Casual name, e.g. `Ali`.' },
  { tf: 'title', scim: 'title', description: 'Job title, e.g. `Engineering Manager`.' },
  { tf: 'user_type', scim: 'userType', description: 'Relationship to the organisation, e.g. `Employee` or `Contractor`.' },
  { tf: 'preferred_language', scim: 'preferredLanguage', description: 'Preferred language as an RFC 7231 language tag, e.g. `en-GB`.' },
  { tf: 'locale', scim: 'locale', description: 'Locale for formatting dates and numbers, e.g. `en-GB`.' },
  { tf: 'timezone', scim: 'timezone', description: 'Time zone in IANA form, e.g. `Europe/Brussels`.' },
];

export const NAME_PARTS: readonly StringAttr[] = [
  { tf: 'given_name', scim: 'givenName', description: 'Given (first) name.' },
  { tf: 'family_name', scim: 'familyName', description: 'Family (last) name.' },
  { tf: 'middle_name', scim: 'middleName', description: 'Middle name(s).' },
  { tf: 'formatted', scim: 'formatted', description: 'Full name formatted for display, e.g. `Ms. Alice J. Martin`.' },
  { tf: 'honorific_prefix', scim: 'honorificPrefix', description: 'Honorific prefix, e.g. `Dr.`.' },
  { tf: 'honorific_suffix', scim: 'honorificSuffix', description: 'Honorific suffix, e.g. `PhD`.' },
];

/** Enterprise extension attributes, flattened (`manager_id` is `manager.value`). */
export const ENTERPRISE_STRINGS: readonly StringAttr[] = [
  { tf: 'employee_number', scim: 'employeeNumber', description: 'Employee number (enterprise extension).' },
  { tf: 'cost_center', scim: 'costCenter', description: 'Cost center (enterprise extension).' },
  { tf: 'organization', scim: 'organization', description: 'Organisation (enterprise extension).' },
  { tf: 'division', scim: 'division', description: 'Division (enterprise extension).' },
  { tf: 'department', scim: 'department', description: 'Department (enterprise extension).' },
  { tf: 'manager_id', scim: 'manager', description: 'SCIM `id` of the user\'s manager on the same endpoint (enterprise extension `manager.value`), e.g. `scim_user.bob.id`.' },
];

/** Multi-valued complex attributes exposed as sets of `{ value, type, primary }`. */
export const MULTI_VALUED: readonly { tf: 'emails' | 'phone_numbers'; scim: 'emails' | 'phoneNumbers'; what: string; plural: string; example: string }[] = [
  { tf: 'emails', scim: 'emails', what: 'email address', plural: 'email addresses', example: '`alice@example.com`' },
  { tf: 'phone_numbers', scim: 'phoneNumbers', what: 'phone number', plural: 'phone numbers', example: '`+32 2 555 01 23`' },
];

export const enterprisePath = (scim: string) => `${ENTERPRISE_USER}.${scim}`;

const optStr = (description: string): AttributeSchema => ({ type: 'string', optional: true, computed: true, description });
const computedStr = (description: string): AttributeSchema => ({ type: 'string', computed: true, description });

function multiValuedSchema(what: string, plural: string, example: string): AttributeSchema {
  return {
    optional: true,
    computed: true,
    description:
      `The user's ${plural}, compared as a set (order does not matter). When unset, the ${plural} on the server are left ` +
      'as they are. Set it to `[]` to remove them all.',
    nested: {
      nesting: 'set',
      attributes: {
        value: { type: 'string', required: true, description: `The ${what}, e.g. ${example}.` },
        type: { type: 'string', optional: true, computed: true, description: 'Label such as `work`, `home` or `mobile`. When unset, the server\'s label is kept.' },
        primary: {
          type: 'bool',
          optional: true,
          computed: true,
          description:
            `Whether this is the preferred ${what}; at most one may be primary. When the configuration marks one entry ` +
            'primary, an entry that was primary and leaves `primary` unset is planned as `false`, so moving the flag ' +
            'never leaves two primaries.',
        },
      },
    },
  };
}

const attributes: Record<string, AttributeSchema> = {
  id: computedStr('SCIM `id` assigned by the server. Import with `terraform import scim_user.NAME <id>`.'),
  user_name: {
    type: 'string',
    required: true,
    description:
      'Unique sign-in name (`userName`), often an email address. Compared case-insensitively, as SCIM requires. ' +
      'Before creating, the provider looks this name up (and `external_id`) and adopts an existing account instead of creating a duplicate.',
  },
};
for (const a of CORE_STRINGS) attributes[a.tf] = optStr(`${a.description} When unset, the server's value is left as it is.`);
attributes.name = {
  optional: true,
  computed: true,
  description: 'The components of the user\'s real name. Parts left unset keep the server\'s value.',
  nested: {
    nesting: 'single',
    attributes: Object.fromEntries(NAME_PARTS.map((p) => [p.tf, optStr(p.description)])),
  },
};
for (const m of MULTI_VALUED) attributes[m.tf] = multiValuedSchema(m.what, m.plural, m.example);
attributes.roles = {
  type: { set: 'string' },
  optional: true,
  computed: true,
  description: 'Role names granted to the user in the app (SCIM `roles[].value`), compared as a set. When unset, the server\'s roles are left as they are.',
};
attributes.active = {
  type: 'bool',
  optional: true,
  computed: true,
  description:
    'Whether the account is active. Default `true`: declaring a user keeps (or makes) the account active, so declaring ' +
    'again a user that was deactivated reactivates it. Set `false` to deactivate without destroying the resource.',
};
for (const a of ENTERPRISE_STRINGS) attributes[a.tf] = optStr(`${a.description} When unset, the server's value is left as it is.`);
attributes.on_destroy = {
  type: 'string',
  optional: true,
  computed: true,
  description:
    'What destroying this resource does: `deactivate` (sets `active = false` and keeps the account and its data) or ' +
    '`delete` (removes the account; on Promapp DELETE only deactivates). Defaults to the provider\'s `on_destroy`, itself `deactivate` by default.',
};
attributes.adopt_existing = {
  type: 'bool',
  optional: true,
  description:
    'When `true` (default), creating this resource adopts an account that already exists with the same `user_name` ' +
    '(case-insensitively) or `external_id`, and brings it to the declared state. When `false`, such an account makes the plan fail.',
};
attributes.existing_id = computedStr(
  'For a resource created by adopting an account that already existed: that account\'s `id` (null when apply created a new ' +
    'account). Known after apply: the plan shows the account it would adopt in a warning, and apply looks again, so that an ' +
    'account created in the app between plan and apply is adopted, never duplicated.',
);
attributes.existing_active = {
  type: 'bool',
  computed: true,
  description:
    'With `existing_id`: whether the adopted account was active when apply found it (null when apply created a new account). ' +
    'Apply never reactivates an account it adopts: an inactive one stays inactive, and the next plan shows `active: false -> true` for review.',
};
attributes.meta = {
  computed: true,
  description: 'SCIM metadata of the account, as reported by the server.',
  nested: {
    nesting: 'single',
    attributes: {
      resource_type: computedStr('SCIM resource type (`User`).'),
      created: computedStr('When the server created the account (RFC 3339 timestamp).'),
      last_modified: computedStr('When the server last changed the account (RFC 3339 timestamp).'),
      version: computedStr('The server\'s version (ETag) of the account, when it reports one.'),
      location: computedStr('Canonical URL of the account on the server.'),
    },
  },
};

export const userSchema: Schema = {
  version: 0,
  block: {
    description:
      'A user account on the SCIM endpoint. Creating adopts an existing account with the same `user_name` or `external_id` ' +
      'instead of duplicating it; destroying deactivates by default (see `on_destroy`). Only the attributes you set are ' +
      'managed: values the server adds or normalises (letter case of user names and emails) never show as a diff. ' +
      'Removing an attribute from the configuration therefore stops managing it: the plan shows no change and the ' +
      'server keeps its current value. To clear a value, set it to `""` (or `[]` for `emails`, `phone_numbers` and ' +
      '`roles`) and apply; only then remove it from the configuration if you wish.',
    attributes,
  },
};

/** Top-level TF attribute names that describe the account itself (everything but bookkeeping and computed). */
export const USER_DATA_ATTRS: readonly string[] = [
  'user_name',
  ...CORE_STRINGS.map((a) => a.tf),
  'name',
  ...MULTI_VALUED.map((m) => m.tf),
  'roles',
  'active',
  ...ENTERPRISE_STRINGS.map((a) => a.tf),
];
