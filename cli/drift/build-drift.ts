// Reads one stack's refreshed plan: Terraform's `resource_drift` (changes made outside Terraform,
// state → live) becomes the app's out-of-band entries; the plan itself becomes what apply would do.
import { diffAttributes } from '../report/attribute-diff';
import { buildAppReport, failedAppReport } from '../report/build-report';
import { groupMembership, MEMBERSHIP_ATTRIBUTES } from '../report/group-membership';
import { buildNameIndex } from '../report/name-index';
import { isObject, JsonChange, JsonPlan, JsonValue } from '../report/plan-json';
import { AppDrift, DriftEntry } from './drift-model';

const IGNORED = ['id', 'meta', 'existing_id'];

/** The attributes a change touches, bookkeeping and `alsoIgnored` attributes left out. */
const changedAttributes = (change: JsonChange, alsoIgnored: readonly string[] = []) =>
  diffAttributes(
    { before: change.before, after: change.after, beforeSensitive: change.before_sensitive, afterSensitive: change.after_sensitive },
    [...IGNORED, ...alsoIgnored],
  );
const str = (v: JsonValue | undefined): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const obj = (v: JsonValue | undefined) => (isObject(v) ? v : {});

/** Out-of-band changes found by the refresh of one stack's plan. */
export function outOfBandChanges(plan: JsonPlan): DriftEntry[] {
  const names = buildNameIndex(plan);
  const entries: DriftEntry[] = [];
  for (const rc of plan.resource_drift ?? []) {
    if (rc.mode !== 'managed') continue;
    const { change } = rc;
    const before = obj(change.before);
    const after = obj(change.after);
    const deleted = change.actions.includes('delete') && (change.after === null || change.after === undefined);
    if (rc.type === 'scim_user') {
      const name = str(before.user_name) ?? str(after.user_name) ?? rc.address;
      if (deleted) {
        entries.push({ kind: 'user', name, address: rc.address, what: 'deleted', changes: [] });
        continue;
      }
      const changes = changedAttributes(change);
      if (changes.length === 0) continue;
      const what = before.active === true && after.active === false ? 'deactivated' : before.active === false && after.active === true ? 'reactivated' : 'changed';
      entries.push({ kind: 'user', name, address: rc.address, what, changes });
    } else if (rc.type === 'scim_group') {
      const name = str(before.display_name) ?? str(after.display_name) ?? rc.address;
      if (deleted) {
        entries.push({ kind: 'group', name, address: rc.address, what: 'deleted', changes: [] });
        continue;
      }
      const changes = changedAttributes(change, MEMBERSHIP_ATTRIBUTES);
      const was = new Set(groupMembership(before).ids);
      const now = new Set(groupMembership(after).ids);
      const label = (id: string) => names.byId.get(id) ?? id;
      const membersAdded = [...now].filter((id) => !was.has(id)).map(label).sort();
      const membersRemoved = [...was].filter((id) => !now.has(id)).map(label).sort();
      if (changes.length === 0 && membersAdded.length === 0 && membersRemoved.length === 0) continue;
      entries.push({
        kind: 'group',
        name,
        address: rc.address,
        what: changes.length === 0 ? 'members changed' : 'changed',
        changes,
        ...(membersAdded.length ? { membersAdded } : {}),
        ...(membersRemoved.length ? { membersRemoved } : {}),
      });
    } else if (rc.type === 'scim_group_member' && deleted) {
      const group = names.byId.get(str(before.group_id) ?? '') ?? str(before.group_id) ?? '?';
      const user = names.byId.get(str(before.user_id) ?? '') ?? str(before.user_id) ?? '?';
      entries.push({ kind: 'membership', name: `${user} → ${group}`, address: rc.address, what: 'deleted', changes: [] });
    }
  }
  return entries.sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
}

/**
 * One app's drift: `changes` is what `terraform plan -detailed-exitcode` said (exit 2), which decides
 * the status; the out-of-band list explains it.
 */
export function buildAppDrift(app: string, plan: JsonPlan | undefined, changes: boolean, error?: string): AppDrift {
  if (error || !plan) {
    return { app, status: 'error', outOfBand: [], pending: failedAppReport(app, error ?? 'no plan'), error: error ?? 'no plan' };
  }
  return { app, status: changes ? 'drift' : 'clean', outOfBand: outOfBandChanges(plan), pending: buildAppReport(app, plan) };
}
