// One connector-profile registry: the constructs read each profile's name, title, auth and group support
// from the provider's registry (providers/scim/client/profiles/) and add only their default mappings.
import { appProfiles, profileNames } from '../../lib/app-profiles';
import { profiles } from '../../providers/scim/client/profiles';

test('every provider profile is a construct profile, with the provider\'s facts', () => {
  expect([...profileNames].sort()).toEqual(Object.keys(profiles).sort());
  for (const n of profileNames) {
    const { name, title, auth, supportsGroups } = profiles[n]!;
    expect(appProfiles[n]).toMatchObject({ name, title, auth, supportsGroups });
  }
});

test('a profile whose userName mirrors the email maps both from the email', () => {
  const person = { email: 'Ada@Example.com', userName: 'ada' } as never;
  expect(profiles.proxyclick!.userNameIsEmail).toBe(true);
  expect(appProfiles.proxyclick.userMappings.userName(person, {} as never)).toBe('Ada@Example.com');
  expect(appProfiles.generic.userMappings.userName(person, {} as never)).toBe('ada');
});
