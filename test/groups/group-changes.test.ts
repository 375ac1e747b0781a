// The decisions of a scim_group update, without Terraform: which planned attributes are written against the
// group as the server has it now, which membership operations are sent, the conflict error, and the new state
// (planned values; the server's only where the plan said "known after apply").
import { attributeWrites, memberWrites, settledState } from '../../providers/scim/resources/group-changes';
import { DiagnosticError, Unknown, type ObjectValue } from '../../providers/scim/plugin/provider-definition';

const ref = { displayName: 'Team', id: 'g1' };
const prior = { display_name: 'Team', external_id: 'team-1' };

describe('attributeWrites', () => {
  it('writes a planned attribute the server still has at its prior value, and nothing the plan does not change', () => {
    expect(attributeWrites(ref, prior, { ...prior, external_id: 'team-2' }, { displayName: 'Renamed by admin', externalId: 'team-1' })).toEqual({ externalId: 'team-2' });
  });

  it('skips a planned attribute the server already has (display names compared case-insensitively)', () => {
    expect(attributeWrites(ref, prior, { display_name: 'Core', external_id: 'team-2' }, { displayName: 'CORE', externalId: 'team-2' })).toEqual({});
  });

  it('writes a case-only rename', () => {
    expect(attributeWrites(ref, prior, { ...prior, display_name: 'TEAM' }, { displayName: 'Team', externalId: 'team-1' })).toEqual({ displayName: 'TEAM' });
  });

  it('treats an empty external_id as absent, and clears it with null', () => {
    expect(attributeWrites(ref, { ...prior, external_id: '' }, { ...prior, external_id: '' }, { displayName: 'Team' })).toEqual({});
    expect(attributeWrites(ref, prior, { ...prior, external_id: '' }, { displayName: 'Team', externalId: 'team-1' })).toEqual({ externalId: null });
  });

  it('refuses a planned attribute the server has at a third value, naming group, attribute and the three values', () => {
    let err: unknown;
    try {
      attributeWrites(ref, prior, { ...prior, external_id: 'team-2' }, { displayName: 'Team', externalId: 'hr-7' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DiagnosticError);
    expect((err as DiagnosticError).message).toContain('scim_group "Team" (SCIM id g1) was changed in the app since the plan');
    expect((err as DiagnosticError).message).toContain('- external_id: the plan changes it from "team-1" to "team-2", but the group now has "hr-7"');
  });
});

describe('memberWrites', () => {
  it('sends only the planned adds and removes, minus what the server already shows', () => {
    // planned: drop b, add d; another admin already removed b and c, and added x.
    expect(memberWrites(['a', 'b', 'c'], ['a', 'c', 'd'], ['a', 'x'])).toEqual({ add: ['d'], remove: [] });
    expect(memberWrites(['a', 'b'], ['a'], ['a', 'b'])).toEqual({ add: [], remove: ['b'] });
  });

  it('takes over an unmanaged membership as a whole, and leaves a released one alone', () => {
    expect(memberWrites(null, ['a'], ['a', 'x'])).toEqual({ add: [], remove: ['x'] });
    expect(memberWrites(['a'], null, ['a', 'x'])).toEqual({ add: [], remove: [] });
  });
});

describe('settledState', () => {
  it('keeps every known planned value and takes the server value only for unknown ones, nested too', () => {
    const planned: ObjectValue = { id: 'g1', external_id: '', members: ['a'], meta: { created: 't0', version: Unknown } };
    const server: ObjectValue = { id: 'g1', external_id: null, members: ['a', 'x'], meta: { created: 't0', version: 'W/"2"' } };
    expect(settledState(planned, server)).toEqual({ id: 'g1', external_id: '', members: ['a'], meta: { created: 't0', version: 'W/"2"' } });
  });
});
