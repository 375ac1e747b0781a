// The roster entry the Terraform-cost benches give Terraform (bench/roster-repro.ts, bench/entry-shape.ts): the
// attributes ScimApp emits for a person (lib/stack-emission.ts userConfig) and a manager, by person key within
// one roster or by user name across rosters.

/** Entry `i`: its key is `E<100000+i>`; every tenth person manages the nine after them. */
export function benchEntry(i: number, manager: 'key' | 'user_name'): Record<string, unknown> {
  const u = `person${i}@example.com`;
  return {
    user_name: u,
    external_id: `E${100000 + i}`,
    display_name: `Person ${i}`,
    name: { given_name: 'Person', family_name: `N${i}` },
    title: i % 7 ? 'Engineer' : 'Manager',
    emails: [{ value: u, type: 'work', primary: true }],
    department: `Dept ${i % 13}`,
    active: true,
    ...(i % 10 ? (manager === 'key' ? { manager: `E${100000 + i - (i % 10)}` } : { manager_user_name: `person${i - (i % 10)}@example.com` }) : {}),
  };
}
