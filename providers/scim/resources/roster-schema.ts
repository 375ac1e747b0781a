// Schema of the `scim_roster` resource: the accounts of one app (or one slice of it) as one map `entries` keyed by
// the person's stable key (or the same as JSON strings in `entries_json`, roster-entries-json.ts), each entry with scim_user's account attributes (same snake_case names, from
// user-schema.ts), `manager` as a person key, `adopt_id` to pin an adoption; and the computed map `accounts`
// (SCIM id and adoption facts per entry). The import id of an empty roster is ROSTER_ID.
import type { AttributeSchema, Schema } from '../plugin/provider-definition';
import { CORE_STRINGS, ENTERPRISE_STRINGS, MULTI_VALUED, NAME_PARTS } from './user-schema';

/** The only import id: `import { to = scim_roster.x  id = "roster" }` gives an empty roster to fill. */
export const ROSTER_ID = 'roster';

const optStr = (description: string): AttributeSchema => ({ type: 'string', optional: true, description });

function multiValued(what: string, plural: string, example: string): AttributeSchema {
  return {
    optional: true,
    description: `The person's ${plural}, compared as a set (order does not matter). When unset, the ${plural} on the server are left as they are; \`[]\` removes them all.`,
    nested: {
      nesting: 'set',
      attributes: {
        value: { type: 'string', required: true, description: `The ${what}, e.g. ${example}.` },
        type: optStr('Label such as `work`, `home` or `mobile`. When unset, the server\'s label is kept.'),
        primary: { type: 'bool', optional: true, description: `Whether this is the preferred ${what}; at most one may be primary. When unset, the server's flag is kept.` },
      },
    },
  };
}

/** The attributes of one entry (one person's account). */
export const ENTRY_ATTRIBUTES: Record<string, AttributeSchema> = {};
ENTRY_ATTRIBUTES.user_name = {
  type: 'string',
  required: true,
  description: 'Unique sign-in name (`userName`), compared case-insensitively. A new entry adopts an existing account with this name (or `external_id`) instead of creating a duplicate.',
};
for (const a of CORE_STRINGS) ENTRY_ATTRIBUTES[a.tf] = optStr(`${a.description} When unset, the server's value is left as it is.`);
ENTRY_ATTRIBUTES.name = {
  optional: true,
  description: 'The components of the person\'s real name. Parts left unset keep the server\'s value.',
  nested: { nesting: 'single', attributes: Object.fromEntries(NAME_PARTS.map((p) => [p.tf, optStr(p.description)])) },
};
for (const m of MULTI_VALUED) ENTRY_ATTRIBUTES[m.tf] = multiValued(m.what, m.plural, m.example);
ENTRY_ATTRIBUTES.roles = {
  type: { set: 'string' },
  optional: true,
  description: 'Role names granted in the app (SCIM `roles[].value`), compared as a set. When unset, the server\'s roles are left as they are.',
};
ENTRY_ATTRIBUTES.active = {
  type: 'bool',
  optional: true,
  computed: true,
  description: 'Whether the account is active. Default `true`: an entry keeps (or makes) its account active. Set `false` to deactivate the account while keeping the entry.',
};
for (const a of ENTERPRISE_STRINGS) {
  if (a.scim === 'manager') continue;
  ENTRY_ATTRIBUTES[a.tf] = optStr(`${a.description} When unset, the server's value is left as it is.`);
}
ENTRY_ATTRIBUTES.manager = optStr(
  'The manager, as the **key of another entry of this roster**. The provider writes that entry\'s SCIM id as the enterprise `manager.value`. ' +
    'For a manager outside this roster (another slice), set `manager_user_name` instead.',
);
ENTRY_ATTRIBUTES.manager_user_name = optStr(
  'The manager\'s `user_name` in the app, for a manager who is not an entry of this roster (another slice of the same app). ' +
    'The provider resolves it to a SCIM id from the tenant listing. Conflicts with `manager`.',
);
ENTRY_ATTRIBUTES.adopt_id = optStr(
  'SCIM `id` of an existing account this entry adopts, pinning the adoption instead of looking the account up by `user_name`/`external_id`. Only read when the entry is new.',
);

/** Per nested schema: every attribute null, keys in Terraform's (sorted) order. */
const unsetValues = new WeakMap<object, Record<string, unknown>>();

/**
 * An entry (or a nested object of one) as Terraform holds a typed entry: every attribute of `attrs` present, null
 * where `v` leaves it out, keys in Terraform's order (attributes outside the schema kept after them). Used on
 * `entries_json` strings by the provider (roster-entries-json.ts) and by the CLI that reads plans
 * (cli/report/roster-entry-values.ts), so that both forms compare equal. Anything but an object is returned as is.
 */
export function withEveryAttribute(v: unknown, attrs: Record<string, AttributeSchema> = ENTRY_ATTRIBUTES): unknown {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
  let unset = unsetValues.get(attrs);
  if (!unset) unsetValues.set(attrs, (unset = Object.fromEntries(Object.keys(attrs).sort().map((k) => [k, null]))));
  const out: Record<string, unknown> = { ...unset };
  for (const [k, x] of Object.entries(v)) {
    const nested = Object.prototype.hasOwnProperty.call(attrs, k) ? attrs[k].nested : undefined;
    if (x === null || !nested) out[k] = x;
    else out[k] = nested.nesting === 'single' ? withEveryAttribute(x, nested.attributes) : Array.isArray(x) ? x.map((e) => withEveryAttribute(e, nested.attributes)) : x;
  }
  return out;
}

const computedStr = (description: string): AttributeSchema => ({ type: 'string', computed: true, description });

const attributes: Record<string, AttributeSchema> = {
  id: computedStr(`Always \`${ROSTER_ID}\`. Bring a roster under management with \`import { to = scim_roster.NAME  id = "${ROSTER_ID}" }\`: the import gives an empty roster, so the first apply is an update.`),
  entries: {
    optional: true,
    description:
      'The accounts of this roster, keyed by the person\'s stable key (an HR id or any key that never changes for a person). Each entry has ' +
      'the account attributes of `scim_user`, with the same meaning: only attributes set are managed. Adding an entry creates (or adopts) ' +
      'the account, changing one updates it with exactly the planned changes, removing one deactivates (or deletes, see `on_destroy`) it. ' +
      'Set this or `entries_json`, not both.',
    nested: { nesting: 'map', attributes: ENTRY_ATTRIBUTES },
  },
  entries_json: {
    type: { map: 'string' },
    optional: true,
    description:
      'The same entries as `entries`, each given as the JSON text of its attributes (same names; an attribute left out is unset), e.g. ' +
      '`{ E1001 = jsonencode({ user_name = "ada@example.com", title = "Engineer" }) }`. Terraform compares these strings instead of converting ' +
      'a typed map entry by entry, which makes plans of large rosters several times faster (CDKTF stacks use it); the plan still shows a changed ' +
      'entry attribute by attribute. Each string is checked like an entry of `entries`. Set this or `entries`, not both.',
  },
  accounts: {
    computed: true,
    description: 'What the provider knows about each entry\'s account, by the same keys as `entries`: known for every entry that exists, `(known after apply)` for new entries.',
    nested: {
      nesting: 'map',
      attributes: {
        id: computedStr('SCIM `id` of the account.'),
        existing_id: computedStr('The SCIM `id` of the account this entry adopted (it existed before), or null when the provider created it.'),
        existing_active: { type: 'bool', computed: true, description: 'Whether the adopted account was active when adopted; null when created.' },
      },
    },
  },
  on_destroy: {
    type: 'string',
    optional: true,
    computed: true,
    description:
      'What removing an entry (or destroying the roster) does to its account: `deactivate` (sets `active = false`, keeps the account) or `delete`. ' +
      'Defaults to the provider\'s `on_destroy`.',
  },
  adopt_existing: {
    type: 'bool',
    optional: true,
    description: 'Whether a new entry may adopt an existing account with the same `user_name` or `external_id` (default `true`). With `false`, such an entry is a plan error.',
  },
};

export const rosterSchema: Schema = {
  version: 0,
  block: {
    description:
      'The accounts of one app, or of one stable slice of it, as one resource: `entries` maps each person\'s key to the account attributes ' +
      'of `scim_user`. One listing of the tenant serves the read and the plan; the plan shows per-entry changes (unchanged entries hidden); ' +
      'apply makes the per-entry calls concurrently within the provider\'s `requests_per_minute` / `writes_per_minute`. When some entries fail, ' +
      'the others are recorded and the next plan shows only the failed ones. Recommended: declare it with an `import` block with id ' +
      `\`${ROSTER_ID}\`, so that the first apply is an update and a failure never taints the roster.`,
    attributes,
  },
};

/** Entry attributes that are account attributes compared with scim_user's rules (everything but the references). */
export const ENTRY_REFERENCE_ATTRS = ['manager', 'manager_user_name', 'adopt_id'] as const;
