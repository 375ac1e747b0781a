// Terraform's error output made readable: when one cause (an unreachable endpoint, a bad credential) fails
// every resource of a stack, Terraform prints one near-identical `Error:` block per resource. Keeps the
// first block of each kind and lists the other resources it also hit. A Terraform older than the floor
// (ephemeral input variables) gets a hint saying which version to install.
import { TERRAFORM_RANGE } from '../lib/terraform-version';

/** An error block's kind: its headline with ids, quoted values and parenthesised names blanked out. */
const kindOf = (headline: string): string =>
  headline
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>')
    .replace(/"[^"]*"/g, '"…"')
    .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, '<email>')
    .replace(/\([^)]*\)/g, '(…)');

/** The resource an error block names (`with scim_user.user_ada,`). */
const resourceOf = (block: string[]): string | undefined =>
  block.map((l) => /^\s*with ([\w.[\]"-]+),?$/.exec(l)?.[1]).find((a) => a !== undefined);

/**
 * `text` with repeated `Error:` blocks of the same kind folded into the first one, followed by
 * `(the same error for N more resources: a, b, …)`. Text without repeated errors is returned as is.
 */
export function condenseTerraformErrors(text: string, maxNamed = 5): string {
  return withVersionHint(condense(text, maxNamed));
}

/** Oldest Terraform scimform runs with: ephemeral input variables (1.10) keep credentials out of saved plans. */
export const TERRAFORM_FLOOR_TEXT = TERRAFORM_RANGE;

const TOO_OLD = /Unsupported Terraform Core version|Unsupported argument[\s\S]{0,400}"ephemeral"|An argument named "ephemeral" is not expected/;

/** Terraform older than the floor fails on `required_version` or on `ephemeral`: say what to install. */
function withVersionHint(text: string): string {
  if (!TOO_OLD.test(text)) return text;
  return `${text}\n\nscimform needs ${TERRAFORM_FLOOR_TEXT}: credentials reach the provider as ephemeral input variables, so saved plans never hold them. Install a newer Terraform and run the command again.`;
}

function condense(text: string, maxNamed: number): string {
  const lines = text.split('\n');
  const head: string[] = [];
  const blocks: string[][] = [];
  for (const line of lines) {
    if (/^\s*Error: /.test(line)) blocks.push([line]);
    else if (blocks.length) blocks[blocks.length - 1].push(line);
    else head.push(line);
  }
  if (blocks.length < 2) return text;
  const groups = new Map<string, { first: string[]; others: string[] }>();
  for (const block of blocks) {
    const kind = kindOf(block[0].trim());
    const group = groups.get(kind);
    if (!group) groups.set(kind, { first: block, others: [] });
    else group.others.push(resourceOf(block) ?? 'another resource');
  }
  if (groups.size === blocks.length) return text;
  const out = [...head];
  for (const { first, others } of groups.values()) {
    const body = [...first];
    while (body.length && body[body.length - 1].trim() === '') body.pop();
    out.push(...body);
    if (others.length) {
      const named = others.slice(0, maxNamed).join(', ') + (others.length > maxNamed ? `, … (${others.length} in all)` : '');
      const indent = /^\s*/.exec(first[0])![0];
      out.push(`${indent}(the same error for ${others.length} more resource${others.length === 1 ? '' : 's'}: ${named})`);
    }
    out.push('');
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd();
}
