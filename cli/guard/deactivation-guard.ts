// The accidental-deactivation guard (cf. Entra's accidental-deletion threshold): counts, per app, the
// active accounts a plan would deactivate or delete and trips when a count exceeds the limits.

/** What the guard reads of one app's report (report-model's AppReport has this shape; the guard does not import it). */
export interface GuardedApp {
  app: string;
  /** Users managed in the app before the change (the base of the percentage). */
  managedUsers: number;
  users: { deactivate: { alreadyInactive?: boolean }[]; delete: unknown[] };
}

export interface GuardOptions {
  /** Most accounts one app may lose access in one run (deactivate + delete); null = no count limit. */
  maxDeactivations: number | null;
  /** Most accounts one app may lose, as a percentage of the app's managed users; null = no limit. */
  maxDeactivationPercent: number | null;
  /** Reviewed mass change: report the trip but do not block. */
  allowMassDeactivation: boolean;
}

export const DEFAULT_GUARD_OPTIONS: GuardOptions = {
  maxDeactivations: 10,
  maxDeactivationPercent: 20,
  allowMassDeactivation: false,
};

export interface GuardAppResult {
  app: string;
  /** Active accounts deactivated or deleted by the plan (already inactive ones are not counted). */
  deactivations: number;
  managedUsers: number;
  tripped: boolean;
  /** Why it tripped, e.g. "12 > --max-deactivations 10". */
  reasons: string[];
}

export interface GuardVerdict {
  /** A limit is exceeded in at least one app. */
  tripped: boolean;
  /** Tripped but overridden by --allow-mass-deactivation. */
  overridden: boolean;
  /** Whether apply must refuse. */
  blocks: boolean;
  limits: { maxDeactivations: number | null; maxDeactivationPercent: number | null };
  apps: GuardAppResult[];
}

/** Accounts an app loses access to: deactivations of active accounts plus deletions. */
export function countDeactivations(app: Pick<GuardedApp, 'users'>): number {
  return app.users.deactivate.filter((u) => !u.alreadyInactive).length + app.users.delete.length;
}

/**
 * The percentage limit as a count: at least one account per run is always allowed, so a single leaver
 * in a small app never trips it.
 */
export const percentAllowance = (managedUsers: number, percent: number): number =>
  Math.max(1, Math.floor((managedUsers * percent) / 100));

export function evaluateGuard(apps: GuardedApp[], options: GuardOptions): GuardVerdict {
  const results = apps.map((app): GuardAppResult => {
    const n = countDeactivations(app);
    const reasons: string[] = [];
    if (options.maxDeactivations !== null && n > options.maxDeactivations) {
      reasons.push(`${n} > --max-deactivations ${options.maxDeactivations}`);
    }
    if (options.maxDeactivationPercent !== null) {
      const allowed = percentAllowance(app.managedUsers, options.maxDeactivationPercent);
      if (n > allowed) {
        const pct = app.managedUsers > 0 ? Math.round((n / app.managedUsers) * 1000) / 10 : 100;
        reasons.push(
          `${n} of ${app.managedUsers} managed users (${pct}%) > --max-deactivation-percent ${options.maxDeactivationPercent}`,
        );
      }
    }
    return { app: app.app, deactivations: n, managedUsers: app.managedUsers, tripped: reasons.length > 0, reasons };
  });
  const tripped = results.some((r) => r.tripped);
  return {
    tripped,
    overridden: tripped && options.allowMassDeactivation,
    blocks: tripped && !options.allowMassDeactivation,
    limits: { maxDeactivations: options.maxDeactivations, maxDeactivationPercent: options.maxDeactivationPercent },
    apps: results,
  };
}

/**
 * The message shown when the guard trips, with the count per app: `apply` says nothing was applied;
 * a report (`plan`, `report`) says apply will refuse.
 */
export function guardMessage(verdict: GuardVerdict, context: 'apply' | 'report' = 'apply'): string {
  if (!verdict.tripped) return 'deactivation guard: within limits';
  const lines = verdict.apps
    .filter((a) => a.deactivations > 0)
    .map((a) => `  ${a.app}: ${a.deactivations} account(s) lose access${a.tripped ? ` — ${a.reasons.join('; ')}` : ''}`);
  if (verdict.overridden) {
    return ['deactivation guard tripped, overridden by --allow-mass-deactivation:', ...lines].join('\n');
  }
  if (context === 'report') {
    return [
      'deactivation guard tripped: `scimform apply` will refuse this plan.',
      ...lines,
      'If the change is intended, apply it with --allow-mass-deactivation (or raise the limits).',
    ].join('\n');
  }
  return [
    'deactivation guard tripped: this plan would deactivate or delete more accounts than allowed.',
    ...lines,
    'Nothing was applied. Check the report; if the change is intended, re-run with --allow-mass-deactivation',
    '(or raise --max-deactivations / --max-deactivation-percent).',
  ].join('\n');
}
