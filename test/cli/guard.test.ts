// The accidental-deactivation guard: limits per app, the "at least one" percentage floor, overrides
// and option parsing.
import { evaluateGuard, guardMessage, DEFAULT_GUARD_OPTIONS } from '../../cli/guard/deactivation-guard';
import { guardOptionsFrom } from '../../cli/guard/guard-options';
import { buildAppReport } from '../../cli/report/build-report';
import type { AppReport, UserEntry } from '../../cli/report/report-model';

function app(name: string, managedUsers: number, deactivate: number, del = 0, alreadyInactive = 0): AppReport {
  const base = buildAppReport(name, { format_version: '1.2' });
  const entry = (i: number, extra: Partial<UserEntry> = {}): UserEntry => ({ address: `scim_user.u${i}`, userName: `u${i}@example.com`, changes: [], ...extra });
  base.managedUsers = managedUsers;
  base.users.deactivate = [
    ...Array.from({ length: deactivate }, (_, i) => entry(i)),
    ...Array.from({ length: alreadyInactive }, (_, i) => entry(1000 + i, { alreadyInactive: true })),
  ];
  base.users.delete = Array.from({ length: del }, (_, i) => entry(2000 + i));
  return base;
}

describe('deactivation guard', () => {
  test('defaults are 10 accounts and 20% of the app, and do not trip on one leaver in a small app', () => {
    expect(DEFAULT_GUARD_OPTIONS).toEqual({ maxDeactivations: 10, maxDeactivationPercent: 20, allowMassDeactivation: false });
    const v = evaluateGuard([app('tiny', 3, 1)], DEFAULT_GUARD_OPTIONS);
    expect(v.tripped).toBe(false);
    expect(v.blocks).toBe(false);
  });

  test('trips on the percentage, counting deletions and ignoring already inactive accounts', () => {
    const v = evaluateGuard([app('proxy', 20, 3, 2, 7), app('promapp', 20, 1)], DEFAULT_GUARD_OPTIONS);
    expect(v.tripped).toBe(true);
    expect(v.blocks).toBe(true);
    const proxy = v.apps.find((a) => a.app === 'proxy')!;
    expect(proxy.deactivations).toBe(5);
    expect(proxy.reasons).toEqual(['5 of 20 managed users (25%) > --max-deactivation-percent 20']);
    expect(v.apps.find((a) => a.app === 'promapp')!.tripped).toBe(false);
    const msg = guardMessage(v);
    expect(msg).toContain('proxy: 5 account(s) lose access');
    expect(msg).toContain('promapp: 1 account(s) lose access');
    expect(msg).toContain('--allow-mass-deactivation');
  });

  test('trips on the count in a large app; --allow-mass-deactivation overrides without hiding it', () => {
    const options = guardOptionsFrom({ 'allow-mass-deactivation': true });
    const v = evaluateGuard([app('generic', 1000, 11)], options);
    expect(v.tripped).toBe(true);
    expect(v.overridden).toBe(true);
    expect(v.blocks).toBe(false);
    expect(v.apps[0].reasons).toEqual(['11 > --max-deactivations 10']);
    expect(guardMessage(v)).toMatch(/^deactivation guard tripped, overridden by --allow-mass-deactivation/);
  });

  test('limits come from the options; "none" disables one', () => {
    expect(guardOptionsFrom({ 'max-deactivations': '2', 'max-deactivation-percent': 'none' })).toEqual({
      maxDeactivations: 2,
      maxDeactivationPercent: null,
      allowMassDeactivation: false,
    });
    const v = evaluateGuard([app('a', 4, 3)], guardOptionsFrom({ 'max-deactivations': '2', 'max-deactivation-percent': 'none' }));
    expect(v.apps[0].reasons).toEqual(['3 > --max-deactivations 2']);
    expect(() => guardOptionsFrom({ 'max-deactivations': 'lots' })).toThrow(/--max-deactivations: "lots" is not a number of 0 or more\. Pass a number/);
    expect(() => guardOptionsFrom({ 'max-deactivation-percent': '150' })).toThrow(/between 0 and 100/);
    expect(() => guardOptionsFrom({ 'max-deactivations': '2.5' })).toThrow(/whole number/);
  });
});
