// Diagnostics as Terraform receives them: severity, summary, detail and attribute paths whose steps
// are attribute names, list indexes (element_key_int) and map keys (element_key_string).
import { loadProtocolRoot } from '../../providers/scim/plugin/protocol/protocol-root';
import { diagnosticToProto, errorToDiagnostics, locateForTerraform, pathFromProto } from '../../providers/scim/plugin/diagnostics';
import { DiagnosticError, type BlockSchema } from '../../providers/scim/plugin/provider-definition';
import { formatPath, PluginError } from '../../providers/scim/plugin/errors';

const Diag = loadProtocolRoot().lookupType('tfplugin6.Diagnostic');
const wire = (d: object) => Diag.toObject(Diag.decode(Diag.encode(Diag.fromObject(d)).finish()), { enums: String, longs: Number, oneofs: true });

describe('diagnostics on the wire', () => {
  test('an error at a nested attribute path', () => {
    const d = wire(diagnosticToProto({ severity: 'error', summary: 'Invalid email', detail: 'not an address', path: ['emails', 0, 'value'] }));
    expect(d.severity).toBe('ERROR');
    expect(d.summary).toBe('Invalid email');
    expect(d.detail).toBe('not an address');
    expect(d.attribute.steps).toEqual([
      { attribute_name: 'emails', selector: 'attribute_name' },
      { element_key_int: 0, selector: 'element_key_int' },
      { attribute_name: 'value', selector: 'attribute_name' },
    ]);
    expect(pathFromProto(d.attribute)).toEqual(['emails', 0, 'value']);
  });

  test('a warning at a map key, and a diagnostic without a path', () => {
    const d = wire(diagnosticToProto({ severity: 'warning', summary: 'Header ignored', path: ['headers', { key: 'X-Api' }] }));
    expect(d.severity).toBe('WARNING');
    expect(d.attribute.steps[1]).toMatchObject({ element_key_string: 'X-Api' });
    expect(pathFromProto(d.attribute)).toEqual(['headers', { key: 'X-Api' }]);
    expect(wire(diagnosticToProto({ severity: 'error', summary: 'x' })).attribute).toBeUndefined();
  });
});

describe('errors become diagnostics', () => {
  test('DiagnosticError keeps summary, detail and path', () => {
    expect(errorToDiagnostics(new DiagnosticError('Bad name', 'too long', ['name']))).toEqual([
      { severity: 'error', summary: 'Bad name', detail: 'too long', path: ['name'] },
    ]);
  });

  test('plain errors get a summary naming the operation and keep the message as detail', () => {
    expect(errorToDiagnostics(new Error('connection refused'), 'Creating scim_user')).toEqual([
      { severity: 'error', summary: 'Creating scim_user failed', detail: 'connection refused' },
    ]);
    expect(errorToDiagnostics('weird', undefined)[0]).toMatchObject({ summary: 'Provider error', detail: 'weird' });
  });

  test('an aborted operation says Terraform asked to stop', () => {
    const err = new Error('aborted');
    err.name = 'AbortError';
    expect(errorToDiagnostics(err)[0].summary).toBe('Operation cancelled');
  });

  test('PluginError is a DiagnosticError with a stable code', () => {
    const e = new PluginError('PLUGIN_BAD_VALUE', 'x', 'y', ['a']);
    expect(e).toBeInstanceOf(DiagnosticError);
    expect(e.code).toBe('PLUGIN_BAD_VALUE');
  });

  test('paths read the way HCL users write them', () => {
    expect(formatPath(['name', 'given_name'])).toBe('name.given_name');
    expect(formatPath(['emails', 2, 'value'])).toBe('emails[2].value');
    expect(formatPath(['headers', { key: 'X-A' }])).toBe('headers["X-A"]');
  });
});

describe('paths located for Terraform', () => {
  const block: BlockSchema = {
    description: 'b',
    attributes: {
      name: { optional: true, description: 'n', nested: { nesting: 'single', attributes: { given_name: { type: 'string', optional: true, description: 'g' } } } },
      emails: { optional: true, description: 'e', nested: { nesting: 'set', attributes: { value: { type: 'string', required: true, description: 'v' } } } },
      aliases: { type: { list: 'string' }, optional: true, description: 'a' },
      headers: { type: { map: 'string' }, optional: true, description: 'h' },
    },
    blocks: { rule: { nesting: 'list', block: { description: 'r', attributes: { match: { type: 'string', optional: true, description: 'm' } } } } },
  };
  const at = (path: any[]) => locateForTerraform({ severity: 'error', summary: 's', detail: 'd', path }, block);

  test('paths Terraform resolves are kept as they are', () => {
    expect(at(['aliases', 2])).toEqual({ severity: 'error', summary: 's', detail: 'd', path: ['aliases', 2] });
    expect(at(['headers', { key: 'X' }]).path).toEqual(['headers', { key: 'X' }]);
    expect(at(['rule', 1, 'match']).path).toEqual(['rule', 1, 'match']);
  });

  test('paths into nested attributes or set elements stop at the attribute and name the full path', () => {
    expect(at(['name', 'given_name'])).toMatchObject({ path: ['name'], detail: 'd (at name.given_name)' });
    expect(at(['emails', 0, 'value'])).toMatchObject({ path: ['emails'], detail: 'd (at emails[0].value)' });
  });
});
