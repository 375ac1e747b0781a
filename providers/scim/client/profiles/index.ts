// Registry of connector profiles. Adding an app: write profiles/<name>.ts and add one line below.
import { unknownProfileError } from '../errors';
import type { ConnectorProfile } from './connector-profile';
import { generic } from './generic';
import { promapp } from './promapp';
import { proxy } from './proxy';
import { proxyclick } from './proxyclick';

export type { ConnectorProfile } from './connector-profile';

export const profiles: Record<string, ConnectorProfile> = {
  generic,
  proxyclick,
  promapp,
  proxy,
};

/** The profile registered under `name`; throws SCIM_UNKNOWN_PROFILE listing the valid names. */
export function getProfile(name: string): ConnectorProfile {
  const p = Object.prototype.hasOwnProperty.call(profiles, name) ? profiles[name] : undefined;
  if (!p) throw unknownProfileError(name, Object.keys(profiles));
  return p;
}
