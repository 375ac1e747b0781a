// Declarative attribute mappings, as written in apps.yaml: a constant (`userType: Employee`), a template
// from person attributes (`displayName: "{{givenName}} {{familyName}}"`), `null` (not sent) or a function
// registered in code (`{ function: employeeType }`). Templates use `{{…}}` so that they can never be
// mistaken for Terraform's `${…}` interpolation, which is refused with a hint. Also turns the literal
// values `scimform import` records for one person into mapping overrides.
import type { Mapping, MappingContext, UserMappingOverrides } from './mappings';
import { PERSON_FIELDS, type Person } from './org-entities';
import { LIST_ATTRIBUTES, type FunctionRef } from './org-apps-schema';

/** Functions code registers for apps.yaml to name: mappings `(person, ctx) => value` (ctx is given to mappings only), scopes `(person) => boolean`. */
export type OrgFunctions = Readonly<Record<string, (person: Person, ctx?: MappingContext) => unknown>>;

const TEMPLATE = /\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g;
const TERRAFORM = /[$%]\{/;

/** `{{ name }}` references in a template, in order. */
export function templateNames(template: string): string[] {
  return [...template.matchAll(TEMPLATE)].map((m) => m[1]);
}

/** Terraform would interpolate `${…}`/`%{…}`: escape them so a literal value reaches the app unchanged. */
export const escapeTerraform = (s: string) => s.replace(/([$%])\{/g, (_m, c: string) => `${c}${c}{`);

/**
 * Compiles one declared mapping. Returns the mapping, or a problem text (`where` names the field).
 * `knownAttributes` are the free-form attribute names present in the directory.
 */
export function compileMapping(
  attribute: string,
  value: string | number | boolean | null | FunctionRef,
  functions: OrgFunctions,
  knownAttributes: ReadonlySet<string>,
): { mapping: Mapping<unknown> | null } | { problem: string } {
  if (value === null) return { mapping: null };
  if (typeof value === 'object') {
    const fn = functions[value.function];
    if (!fn) {
      const known = Object.keys(functions);
      return {
        problem: `no function "${value.function}" is registered in code (${known.length ? `registered: ${known.join(', ')}` : 'none is registered'}); pass it in loadOrganisation({ functions })`,
      };
    }
    return { mapping: fn as Mapping<unknown> };
  }
  if (LIST_ATTRIBUTES.has(attribute)) {
    return { problem: `${attribute} is a list: declare it as null (not sent) or { function: name }` };
  }
  const text = String(value);
  if (TERRAFORM.test(text)) {
    return {
      problem: `"${text}" looks like Terraform interpolation, which mappings do not use; write person attributes as {{givenName}} (a template) or remove the "\${"`,
    };
  }
  const names = templateNames(text);
  if (names.length === 0) {
    if (text.includes('{{')) return { problem: `"${text}": a template reference is written {{attribute}}, e.g. {{givenName}}` };
    return { mapping: () => text };
  }
  const known = new Set<string>([...PERSON_FIELDS, ...knownAttributes]);
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length) {
    return { problem: `unknown person attribute(s) ${unknown.map((n) => `{{${n}}}`).join(', ')} (use a person field such as {{givenName}} or a key of people's attributes)` };
  }
  // Like Entra, an expression with an empty input gives nothing: the attribute is then not sent.
  return {
    mapping: (person: Person) => {
      let empty = false;
      const out = text.replace(TEMPLATE, (_m, name: string) => {
        const v = person.get(name);
        if (v === undefined || v === null || v === '') empty = true;
        return escapeTerraform(String(v ?? ''));
      });
      return empty ? undefined : out;
    },
  };
}

/** The literal values an app holds for one person (from import) as mapping overrides (null = not sent). */
export function literalOverrides(attributes: Readonly<Record<string, unknown>>): UserMappingOverrides {
  const out: Record<string, Mapping<unknown> | null> = {};
  for (const [k, v] of Object.entries(attributes)) {
    if (v === null) out[k] = null;
    else if (typeof v === 'string') out[k] = () => escapeTerraform(v);
    else if (Array.isArray(v)) {
      const list = v.map((e) => (typeof e === 'string' ? escapeTerraform(e) : { ...e, value: escapeTerraform(e.value) }));
      out[k] = () => list;
    }
  }
  return out as UserMappingOverrides;
}
