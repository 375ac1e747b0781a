// Handler diagnostics and thrown errors → tfplugin6 Diagnostic messages with attribute paths. Nothing
// thrown by a handler escapes: every error becomes an error diagnostic with a readable summary.
import { DiagnosticError, type AttributePath, type BlockSchema, type Diagnostic } from './provider-definition';
import type { Message } from './protocol/grpc-services';
import { formatPath } from './errors';

export function pathToProto(path: AttributePath): Message {
  return {
    steps: path.map((step) =>
      typeof step === 'string'
        ? { attribute_name: step }
        : typeof step === 'number'
          ? { element_key_int: step }
          : { element_key_string: step.key },
    ),
  };
}

export function pathFromProto(message: Message | null | undefined): AttributePath {
  const steps: Message[] = message?.steps ?? [];
  return steps.map((s): AttributePath[number] => {
    if (s.selector === 'element_key_string' || (s.element_key_string !== undefined && s.element_key_string !== '' && !s.attribute_name)) {
      return { key: String(s.element_key_string) };
    }
    if (s.selector === 'element_key_int') return Number(s.element_key_int);
    return String(s.attribute_name);
  });
}

export function diagnosticToProto(d: Diagnostic): Message {
  return {
    severity: d.severity === 'warning' ? 'WARNING' : 'ERROR',
    summary: d.summary || (d.severity === 'warning' ? 'Warning' : 'Provider error'),
    detail: d.detail ?? '',
    attribute: d.path && d.path.length ? pathToProto(d.path) : null,
  };
}

/** Any thrown value → diagnostics. DiagnosticError keeps its summary, detail and path. */
export function errorToDiagnostics(err: unknown, context?: string): Diagnostic[] {
  if (err instanceof DiagnosticError) {
    return [{ severity: 'error', summary: err.summary, detail: err.detail, path: err.path }];
  }
  if (err instanceof Error) {
    const aborted = err.name === 'AbortError';
    return [
      {
        severity: 'error',
        summary: aborted ? 'Operation cancelled' : context ? `${context} failed` : 'Provider error',
        detail: aborted ? 'Terraform asked the provider to stop; the operation was abandoned.' : err.message || err.name,
      },
    ];
  }
  return [{ severity: 'error', summary: context ? `${context} failed` : 'Provider error', detail: String(err) }];
}

export const hasErrors = (diags: Diagnostic[] | undefined): boolean => !!diags?.some((d) => d.severity === 'error');

/**
 * Terraform finds the configuration line for a path only through nested blocks, then one attribute,
 * then at most one list index or map key of that attribute; a deeper path (into a nested attribute)
 * makes it point at the whole resource block. So the path is cut where Terraform would stop, and the
 * full path is named in the detail instead.
 */
export function locateForTerraform(d: Diagnostic, block: BlockSchema | undefined): Diagnostic {
  if (!d.path || !d.path.length || !block) return d;
  const located = resolvablePrefix(d.path, block);
  if (located.length === d.path.length) return d;
  const where = formatPath(d.path);
  return { ...d, path: located, detail: d.detail ? `${d.detail} (at ${where})` : `At ${where}.` };
}

function resolvablePrefix(path: AttributePath, root: BlockSchema): AttributePath {
  const out: AttributePath = [];
  let block = root;
  for (let i = 0; i < path.length; i++) {
    const step = path[i];
    if (typeof step !== 'string') return out;
    const nestedBlock = block.blocks?.[step];
    if (nestedBlock) {
      out.push(step);
      const next = path[i + 1];
      if (nestedBlock.nesting === 'list' && typeof next === 'number') {
        out.push(next);
        i++;
      } else if (nestedBlock.nesting === 'map' && next !== undefined && typeof next === 'object') {
        out.push(next);
        i++;
      } else if (nestedBlock.nesting === 'set' || nestedBlock.nesting === 'list' || nestedBlock.nesting === 'map') {
        return out;
      }
      block = nestedBlock.block;
      continue;
    }
    const attr = block.attributes[step];
    if (!attr) return out;
    out.push(step);
    const next = path[i + 1];
    const kind = attr.nested ? attr.nested.nesting : typeof attr.type === 'object' ? Object.keys(attr.type)[0] : 'primitive';
    // Set elements travel in Terraform's order, not the source order: never index into a set.
    if ((kind === 'list' && typeof next === 'number') || (kind === 'map' && next !== undefined && typeof next === 'object')) out.push(next);
    return out;
  }
  return out;
}
