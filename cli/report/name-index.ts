// Resolves SCIM ids and Terraform addresses to human names (userName, group displayName) from
// everything a plan knows: prior state, planned values and the configuration's references.
import { isObject, JsonPlan, JsonValue, stateResources } from './plan-json';
import { entryAddress } from './roster-changes';

export interface NameIndex {
  /** userName or displayName by SCIM id. */
  byId: Map<string, string>;
  /** userName or displayName by resource address (`scim_user.ada`). */
  byAddress: Map<string, string>;
  /** SCIM id by resource address, when known. */
  idByAddress: Map<string, string>;
  /** References of one attribute of one configured resource (`scim_user.ada.id` → `scim_user.ada`). */
  references(address: string, attribute: string): string[];
}

const str = (v: JsonValue | undefined): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

const nameOf = (type: string, values: { [key: string]: JsonValue }): string | undefined =>
  type === 'scim_user' ? str(values.user_name) : type === 'scim_group' ? str(values.display_name) : undefined;

export function buildNameIndex(plan: JsonPlan): NameIndex {
  const byId = new Map<string, string>();
  const byAddress = new Map<string, string>();
  const idByAddress = new Map<string, string>();
  const note = (type: string, address: string, values: JsonValue | undefined) => {
    if (!isObject(values)) return;
    const name = nameOf(type, values);
    if (!name) return;
    if (!byAddress.has(address)) byAddress.set(address, name);
    const id = str(values.id) ?? str(values.existing_id);
    if (id) {
      byId.set(id, name);
      if (!idByAddress.has(address)) idByAddress.set(address, id);
    }
  };
  for (const r of stateResources(plan.prior_state?.values?.root_module)) note(r.type, r.address, r.values);
  for (const rc of plan.resource_changes ?? []) {
    note(rc.type, rc.address, rc.change.after);
    note(rc.type, rc.address, rc.change.before);
  }
  const config = new Map((plan.configuration?.root_module?.resources ?? []).map((r) => [r.address, r]));
  const references = (address: string, attribute: string): string[] => {
    const expr = config.get(address.replace(/\[[^\]]*\]$/, ''))?.expressions?.[attribute];
    const list = Array.isArray(expr) ? expr : [expr];
    const refs = new Set<string>();
    for (const e of list) {
      if (!isObject(e as JsonValue)) continue;
      const r = (e as { references?: unknown }).references;
      if (!Array.isArray(r)) continue;
      // `scim_user.ada.id` and `scim_user.ada` are both listed; keep the resource address.
      for (const ref of r) {
        if (typeof ref !== 'string') continue;
        // A roster account (`scim_roster.accounts_03.accounts["ada"].id`) is its entry's address.
        const account = /^((?:[a-z0-9_]+\.)*scim_roster\.[A-Za-z0-9_-]+)\.accounts\[("(?:[^"\\]|\\.)*")\]/.exec(ref);
        if (account) {
          refs.add(entryAddress(account[1], JSON.parse(account[2]) as string));
          continue;
        }
        const m = /^((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+(?:\[[^\]]+\])?)/.exec(ref);
        if (m) refs.add(m[1]);
      }
    }
    return [...refs];
  };
  return { byId, byAddress, idByAddress, references };
}
