// Command-line options of the deactivation guard, shared by `plan`, `report` and `apply`.
import { badOption } from '../report/errors';
import { DEFAULT_GUARD_OPTIONS, GuardOptions } from './deactivation-guard';

/** node:util parseArgs definitions. */
export const guardOptionDefinitions = {
  'max-deactivations': { type: 'string' },
  'max-deactivation-percent': { type: 'string' },
  'allow-mass-deactivation': { type: 'boolean' },
} as const;

export const guardUsage = [
  `  --max-deactivations N          most accounts one app may lose per run (default ${DEFAULT_GUARD_OPTIONS.maxDeactivations}; "none" = no limit)`,
  `  --max-deactivation-percent P   most accounts one app may lose, in % of its managed users (default ${DEFAULT_GUARD_OPTIONS.maxDeactivationPercent}; "none" = no limit)`,
  '  --allow-mass-deactivation      proceed even when a limit is exceeded (a reviewed mass change)',
].join('\n');

function limit(option: string, raw: string | undefined, fallback: number | null, max?: number): number | null {
  if (raw === undefined) return fallback;
  if (raw === 'none') return null;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < 0 || (max !== undefined && n > max)) {
    const range = max === undefined ? 'a number of 0 or more' : `a number between 0 and ${max}`;
    throw badOption(`--${option}`, `"${raw}" is not ${range}`, 'Pass a number, or "none" to disable this limit');
  }
  return n;
}

export function guardOptionsFrom(values: {
  'max-deactivations'?: string;
  'max-deactivation-percent'?: string;
  'allow-mass-deactivation'?: boolean;
}): GuardOptions {
  const max = limit('max-deactivations', values['max-deactivations'], DEFAULT_GUARD_OPTIONS.maxDeactivations);
  if (max !== null && !Number.isInteger(max)) {
    throw badOption('--max-deactivations', `"${values['max-deactivations']}" is not a whole number`, 'Pass a count such as 10');
  }
  return {
    maxDeactivations: max,
    maxDeactivationPercent: limit(
      'max-deactivation-percent',
      values['max-deactivation-percent'],
      DEFAULT_GUARD_OPTIONS.maxDeactivationPercent,
      100,
    ),
    allowMassDeactivation: values['allow-mass-deactivation'] === true,
  };
}
