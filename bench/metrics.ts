// The benchmark's metrics as data: name, unit, goal and direction. Pass/fail, the printed table and the JSON
// written to bench/results/latest.json all read this one list.

export interface MetricDef {
  key: string;
  label: string;
  unit: string;
  /** Goal as a function of the run (noop_plan_requests scales with N); undefined = informational. */
  goal?: (users: number) => number;
  /** Lower is better for every goal in this bench. */
  digits: number;
}

/** N / 50 (200 at 10,000 users), but never below 2: one listing of /Users and one of /Groups. */
export const noopRequestGoal = (users: number): number => Math.max(2, Math.floor(users / 50));

// The user-path keys (`userpath_*`) time `scimform deploy` / `scimform plan` as a user runs them; their
// goals are the bench's verdict. The per-user `scim_user` keys below them are information (their ratio goals
// retired in favour of the user-path ones); provider RSS and no-op requests stay goals.
export const METRICS: MetricDef[] = [
  { key: 'userpath_noop_plan_ratio', label: 'no-op `scimform plan` ÷ (terraform plan of 1 terraform_data + paged listing)', unit: '×', goal: () => 3.0, digits: 2 },
  { key: 'userpath_deploy_ratio', label: 'first `scimform deploy` ÷ (same POSTs by undici + terraform apply of 1 terraform_data)', unit: '×', goal: () => 2.0, digits: 2 },
  { key: 'userpath_growth', label: 'growth exponent, worse of deploy and plan (1.0 = linear)', unit: '', goal: () => 1.1, digits: 2 },
  { key: 'userpath_plan_growth', label: 'growth exponent of the no-op `scimform plan`', unit: '', digits: 2 },
  { key: 'userpath_deploy_growth', label: 'growth exponent of the first `scimform deploy`', unit: '', digits: 2 },
  { key: 'provider_startup_ratio', label: 'provider start-up ÷ bare `node` start-up', unit: '×', goal: () => 1.3, digits: 3 },
  { key: 'userpath_provider_peak_rss_mb', label: 'provider peak RSS on the user path', unit: 'MiB', goal: () => 256, digits: 0 },
  { key: 'userpath_noop_plan_s', label: 'no-op `scimform plan` (synth included)', unit: 's', digits: 1 },
  { key: 'userpath_noop_plan_floor_s', label: 'its floor', unit: 's', digits: 2 },
  { key: 'userpath_deploy_s', label: 'first `scimform deploy` (synth, init, plan, apply, re-plan)', unit: 's', digits: 1 },
  { key: 'userpath_deploy_floor_s', label: 'its floor', unit: 's', digits: 2 },
  { key: 'userpath_small_noop_plan_s', label: 'no-op `scimform plan` at the small size', unit: 's', digits: 1 },
  { key: 'userpath_small_deploy_s', label: 'first `scimform deploy` at the small size', unit: 's', digits: 1 },
  { key: 'userpath_noop_plan_requests', label: 'HTTP requests in the no-op `scimform plan`, all apps', unit: 'req', digits: 0 },
  { key: 'noop_plan_ratio', label: 'no-op plan: scim ÷ terraform_data (per-user, information)', unit: '×', digits: 2 },
  { key: 'apply_ratio', label: 'initial apply (saved plans) ÷ raw HTTP floor (per-user, information)', unit: '×', digits: 2 },
  { key: 'provider_peak_rss_mb', label: 'provider peak RSS', unit: 'MiB', goal: () => 256, digits: 0 },
  { key: 'provider_startup_ms', label: 'provider start-up (median)', unit: 'ms', digits: 0 },
  { key: 'node_startup_ms', label: 'bare `node` start-up (median), for context', unit: 'ms', digits: 0 },
  { key: 'noop_plan_requests', label: 'HTTP requests in no-op plan', unit: 'req', goal: noopRequestGoal, digits: 0 },
  { key: 'incremental_plan_s', label: 'plan after 1 % changed', unit: 's', digits: 1 },
  { key: 'synth_s', label: 'CDKTF synth of the directory', unit: 's', digits: 1 },
  { key: 'noop_plan_s', label: 'no-op plan, scim', unit: 's', digits: 1 },
  { key: 'tf_data_noop_plan_s', label: 'no-op plan, terraform_data', unit: 's', digits: 1 },
  { key: 'initial_plan_s', label: 'initial plan (-out), scim, all shards', unit: 's', digits: 1 },
  { key: 'apply_s', label: 'apply of the saved plans, scim, all shards', unit: 's', digits: 1 },
  { key: 'http_floor_s', label: 'raw HTTP floor (undici)', unit: 's', digits: 1 },
  { key: 'tf_data_apply_s', label: 'apply, terraform_data, all shards', unit: 's', digits: 1 },
  { key: 'apply_tf_floor_ratio', label: 'apply: scim ÷ terraform_data', unit: '×', digits: 2 },
  { key: 'tf_data_full_noop_plan_s', label: 'no-op plan, terraform_data of scim_user size', unit: 's', digits: 1 },
  { key: 'noop_plan_full_floor_ratio', label: 'no-op plan: scim ÷ terraform_data of its size', unit: '×', digits: 2 },
  { key: 'tf_data_full_apply_s', label: 'apply, terraform_data of scim_user size', unit: 's', digits: 1 },
  { key: 'apply_full_floor_ratio', label: 'apply: scim ÷ terraform_data of its size', unit: '×', digits: 2 },
  { key: 'large_group_noop_plan_requests', label: 'HTTP requests in the no-op plan of the large group (one read)', unit: 'req', goal: () => 1, digits: 0 },
  { key: 'large_group_members', label: 'members of the large group (`member_ids`, one scim_group)', unit: '', digits: 0 },
  { key: 'large_group_apply_s', label: 'first apply of the large group (1 POST + PATCH batches of 100)', unit: 's', digits: 1 },
  { key: 'large_group_apply_patches', label: 'PATCH requests in that apply', unit: 'req', digits: 0 },
  { key: 'large_group_noop_plan_s', label: 'no-op plan of the large group', unit: 's', digits: 1 },
  { key: 'large_group_change_apply_s', label: 'apply of 10 members changed in the large group (one PATCH)', unit: 's', digits: 1 },
  { key: 'apply_requests', label: 'HTTP requests in apply', unit: 'req', digits: 0 },
  { key: 'http_floor_requests', label: 'HTTP requests in floor', unit: 'req', digits: 0 },
  { key: 'incremental_plan_requests', label: 'HTTP requests in 1 % plan', unit: 'req', digits: 0 },
  { key: 'sandbox_get_rps', label: 'sandbox capacity GET /Users/{id}', unit: 'req/s', digits: 0 },
  { key: 'sandbox_post_rps', label: 'sandbox capacity POST /Users', unit: 'req/s', digits: 0 },
  { key: 'sandbox_busy_pct_apply', label: 'sandbox event-loop busy during apply', unit: '%', digits: 0 },
  { key: 'apply_request_rate', label: 'request rate Terraform drove in apply', unit: 'req/s', digits: 0 },
];

export type MetricValues = Record<string, number | null>;

export interface MetricRow {
  key: string;
  label: string;
  value: number | null;
  unit: string;
  goal: number | null;
  pass: boolean | null;
}

export function evaluate(values: MetricValues, users: number): MetricRow[] {
  return METRICS.map((m) => {
    const value = values[m.key] ?? null;
    const goal = m.goal ? m.goal(users) : null;
    return { key: m.key, label: m.label, value, unit: m.unit, goal, pass: goal === null || value === null ? null : value <= goal };
  });
}

function fmt(v: number | null, digits: number): string {
  if (v === null) return '—';
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A GitHub-flavoured markdown table: readable in a terminal and pasteable into the README. */
export function formatTable(rows: MetricRow[]): string {
  const digits = new Map(METRICS.map((m) => [m.key, m.digits]));
  const cells = rows.map((r) => [
    `\`${r.key}\``,
    r.label,
    `${fmt(r.value, digits.get(r.key) ?? 1)} ${r.value === null ? '' : r.unit}`.trim(),
    r.goal === null ? '' : `≤ ${fmt(r.goal, digits.get(r.key) ?? 1)}`,
    r.pass === null ? (r.goal !== null ? 'not measured' : '') : r.pass ? 'pass' : 'FAIL',
  ]);
  const head = ['metric', 'what', 'value', 'goal', 'result'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]): string => `| ${c.map((x, i) => x.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}
