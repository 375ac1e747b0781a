// Scoping filters: which assigned people an app actually provisions. Either a TypeScript predicate, or
// Entra-style clause groups — clauses inside a group are ANDed, groups are ORed — with Entra's operators.
// People who fall out of scope are deprovisioned like leavers (deactivated unless the app says delete).
import { PERSON_FIELDS, type AttributeValue, type Person } from './org-entities';

export const SCOPING_OPERATORS = [
  'EQUALS',
  'NOT EQUALS',
  'IS TRUE',
  'IS FALSE',
  'IS NULL',
  'IS NOT NULL',
  'REGEX MATCH',
  'NOT REGEX MATCH',
  'GREATER_THAN',
  'LESS_THAN',
] as const;
export type ScopingOperator = (typeof SCOPING_OPERATORS)[number];

export interface ScopingClause {
  /** A person field (`department`, `title`, `employeeNumber`, …) or a key of the person's `attributes`. */
  attribute: string;
  operator: ScopingOperator;
  /** Required for EQUALS, NOT EQUALS, REGEX MATCH, NOT REGEX MATCH, GREATER_THAN and LESS_THAN. */
  value?: string | number;
}

/** Clause groups: a person is in scope when every clause of at least one group matches. */
export type ScopingClauseGroups = ScopingClause[][];
export type ScopingFilter = ((person: Person) => boolean) | ScopingClauseGroups;

const NEEDS_VALUE: ReadonlySet<ScopingOperator> = new Set([
  'EQUALS',
  'NOT EQUALS',
  'REGEX MATCH',
  'NOT REGEX MATCH',
  'GREATER_THAN',
  'LESS_THAN',
]);

const isNull = (v: AttributeValue) => v === undefined || v === null || v === '';
const asBool = (v: AttributeValue) => (typeof v === 'string' ? v.trim().toLowerCase() : v);
const asInt = (v: AttributeValue) => (typeof v === 'number' ? v : typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v) ? Number(v) : NaN);

/** Evaluates one clause against a value (EQUALS is case-sensitive, as in Entra). */
function matches(clause: ScopingClause, v: AttributeValue, regex?: RegExp): boolean {
  switch (clause.operator) {
    case 'EQUALS':
      return !isNull(v) && String(v) === String(clause.value);
    case 'NOT EQUALS':
      return isNull(v) || String(v) !== String(clause.value);
    case 'IS TRUE':
      return asBool(v) === true || asBool(v) === 'true';
    case 'IS FALSE':
      return asBool(v) === false || asBool(v) === 'false';
    case 'IS NULL':
      return isNull(v);
    case 'IS NOT NULL':
      return !isNull(v);
    case 'REGEX MATCH':
      return !isNull(v) && regex!.test(String(v));
    case 'NOT REGEX MATCH':
      return isNull(v) || !regex!.test(String(v));
    case 'GREATER_THAN':
      return asInt(v) > Number(clause.value);
    case 'LESS_THAN':
      return asInt(v) < Number(clause.value);
  }
}

export interface CompiledScope {
  /** True when the person is in scope. */
  test(person: Person): boolean;
  /** Problems found in the filter itself: `groups[0][1].operator: unknown operator "EQUAL"`. */
  problems: string[];
  /** A one-line description for messages and metadata. */
  describe: string;
}

/** Checks and compiles a filter. `knownAttributes` are the free-form attribute names present in the directory. */
export function compileScope(filter: ScopingFilter | undefined, knownAttributes: Iterable<string>): CompiledScope {
  if (filter === undefined) return { test: () => true, problems: [], describe: 'everyone assigned' };
  if (typeof filter === 'function') {
    return { test: (p) => Boolean(filter(p)), problems: [], describe: 'a TypeScript predicate' };
  }
  const problems: string[] = [];
  if (!Array.isArray(filter) || filter.some((g) => !Array.isArray(g))) {
    return {
      test: () => false,
      problems: ['expected a predicate function or a list of clause groups ([[clause, …], …])'],
      describe: 'invalid',
    };
  }
  const known = new Set<string>([...PERSON_FIELDS, ...knownAttributes]);
  const compiled: { clause: ScopingClause; regex?: RegExp }[][] = filter.map((group, gi) =>
    group.map((clause, ci) => {
      const at = `groups[${gi}][${ci}]`;
      if (!clause || typeof clause.attribute !== 'string' || !known.has(clause.attribute)) {
        problems.push(
          `${at}.attribute: unknown attribute "${String(clause?.attribute)}" (use a person field such as department or title, or a key of people's attributes)`,
        );
      }
      if (!SCOPING_OPERATORS.includes(clause?.operator)) {
        problems.push(`${at}.operator: unknown operator "${String(clause?.operator)}" (use one of ${SCOPING_OPERATORS.join(', ')})`);
        return { clause };
      }
      const hasValue = clause.value !== undefined && clause.value !== null && clause.value !== '';
      if (NEEDS_VALUE.has(clause.operator) && !hasValue) problems.push(`${at}.value: ${clause.operator} needs a value`);
      if (!NEEDS_VALUE.has(clause.operator) && hasValue) problems.push(`${at}.value: ${clause.operator} takes no value`);
      if ((clause.operator === 'GREATER_THAN' || clause.operator === 'LESS_THAN') && hasValue && Number.isNaN(Number(clause.value))) {
        problems.push(`${at}.value: ${clause.operator} compares numbers; "${clause.value}" is not a number`);
      }
      let regex: RegExp | undefined;
      if (clause.operator.includes('REGEX') && hasValue) {
        try {
          regex = new RegExp(String(clause.value));
        } catch (err) {
          problems.push(`${at}.value: invalid regular expression: ${(err as Error).message}`);
        }
      }
      return { clause, regex };
    }),
  );
  if (filter.length === 0) problems.push('an empty list of clause groups would put nobody in scope; omit the filter instead');
  filter.forEach((g, gi) => g.length === 0 && problems.push(`groups[${gi}]: an empty clause group matches everyone; remove it`));
  const describe = filter
    .map((g) => g.map((c) => `${c?.attribute} ${c?.operator}${c?.value !== undefined ? ` ${JSON.stringify(c.value)}` : ''}`).join(' AND '))
    .map((s) => (filter.length > 1 ? `(${s})` : s))
    .join(' OR ');
  return {
    problems,
    describe,
    test: (p) =>
      problems.length === 0 && compiled.some((g) => g.every(({ clause, regex }) => matches(clause, p.get(clause.attribute), regex))),
  };
}
