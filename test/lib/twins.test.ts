// Twins: two resources of one app that would address the same account or group are refused at synth,
// naming both people (or teams) and the app — as a plain function and through a ScimApp.
import { groupTwins, userTwins } from '../../lib/twins';
import { directory, scimApp, synth, testApp } from './fixtures';

describe('twins', () => {
  test('userName equal case-insensitively, or the same externalId (case-exact), names both people and the app', () => {
    const problems = userTwins('Wiki', [
      { person: 'ada', userName: 'Ada@example.com', externalId: 'E1' },
      { person: 'ada2', userName: 'ada@EXAMPLE.com', externalId: 'E2' },
      { person: 'bob', userName: 'bob@example.com', externalId: 'E3' },
      { person: 'bob2', userName: 'bob2@example.com', externalId: 'E3' },
      { person: 'carl', userName: 'carl@example.com', externalId: 'e3' },
    ]);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^SCIMFORM_DUPLICATE_USERNAME: userName "Ada@example.com" would be given to ada and ada2 in Wiki/);
    expect(problems[1]).toMatch(/^SCIMFORM_DUPLICATE_EXTERNAL_ID: externalId "E3" would be given to people bob and bob2 in Wiki/);
  });

  test('distinct people and empty externalIds are fine', () => {
    expect(
      userTwins('Wiki', [
        { person: 'a', userName: 'a@x.org', externalId: '' },
        { person: 'b', userName: 'b@x.org', externalId: '' },
        { person: 'c', userName: 'c@x.org' },
      ]),
    ).toEqual([]);
  });

  test('group displayName equal case-insensitively, or the same externalId, names both teams', () => {
    const problems = groupTwins('Proxy', [
      { team: 'eng', displayName: 'Engineering', externalId: 'g1' },
      { team: 'eng2', displayName: 'ENGINEERING', externalId: 'g2' },
      { team: 'ops', displayName: 'Ops', externalId: 'g2' },
    ]);
    expect(problems).toEqual([
      expect.stringMatching(/^SCIMFORM_DUPLICATE_GROUP: group displayName "Engineering" would be pushed for teams eng and eng2 in Proxy/),
      expect.stringMatching(/^SCIMFORM_DUPLICATE_EXTERNAL_ID: externalId "g2" would be given to teams eng2 and ops in Proxy/),
    ]);
  });

  test('through a ScimApp: two people mapped to one externalId fail synth', () => {
    const app = testApp();
    const wiki = scimApp(app, directory(app), { mappings: { externalId: () => 'same-id' } });
    wiki.assignPerson('ada');
    wiki.assignPerson('grace');
    expect(() => synth(wiki)).toThrow(/SCIMFORM_DUPLICATE_EXTERNAL_ID: externalId "same-id" would be given to people ada and grace in wiki/);
  });
});
