// Handler diagnostics and thrown errors → tfplugin6 Diagnostic messages with attribute paths. Nothing
// thrown by a handler escapes: every error becomes an error diagnostic with a readable summary.
import { DiagnosticError, type AttributePath, type Diagnostic } from './provider-definition';
import type { Message } from './protocol/grpc-services';

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
