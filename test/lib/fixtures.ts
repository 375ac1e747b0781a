// Shared test fixtures for the construct tests: a small directory, an app factory, and synth helpers
// that return the synthesized stack as JSON (validations on, as `cdktf synth` runs them).
import * as os from 'node:os';
import * as path from 'node:path';
import { Testing, type App } from 'cdktf';
import 'cdktf/lib/testing/adapters/jest'; // typings of toHaveResourceWithProperties & co.
import { Credential, Directory, ScimApp, type PersonSpec, type ScimAppProps, type TeamSpec } from '../../lib';

export const people: PersonSpec[] = [
  { key: 'grace', givenName: 'Grace', familyName: 'Hopper', email: 'grace@example.com', title: 'CTO', department: 'Engineering', employeeNumber: '1001', teams: ['eng'] },
  { key: 'ada', givenName: 'Ada', familyName: 'Lovelace', email: 'Ada.Lovelace@example.com', title: 'Engineer', department: 'Engineering', manager: 'grace', employeeNumber: '1002', teams: ['eng'] },
  { key: 'linus', givenName: 'Linus', familyName: 'Torvalds', email: 'linus@example.com', department: 'Engineering', teams: ['eng'], attributes: { contractor: true } },
  { key: 'tim', givenName: 'Tim', familyName: 'Berners-Lee', email: 'tim@example.com', teams: ['eng'], status: 'leaver', leaveDate: '2020-01-31' },
  { key: 'mary', givenName: 'Mary', familyName: 'Jackson', email: 'mary@example.com', title: 'Head of Sales', department: 'Sales', employeeNumber: '2001', teams: ['sales'] },
];
export const teams: TeamSpec[] = [
  { key: 'eng', displayName: 'Engineering' },
  { key: 'sales', displayName: 'Sales' },
];

export const SANDBOX = 'http://127.0.0.1:9/generic/scim/v2';

/** A fresh app whose state and logs would go to a temp dir (synth writes neither). */
export function testApp(): App {
  process.env.SCIMFORM_STATE_DIR ??= path.join(os.tmpdir(), 'scimform-test-state');
  process.env.SCIMFORM_LOG_DIR ??= path.join(os.tmpdir(), 'scimform-test-logs');
  return Testing.app();
}

export function directory(app: App, extra: { people?: PersonSpec[]; teams?: TeamSpec[] } = {}): Directory {
  return new Directory(app, 'Org', {
    people: [...people, ...(extra.people ?? [])],
    teams: [...teams, ...(extra.teams ?? [])],
    asOf: new Date('2025-06-01T00:00:00Z'),
  });
}

/** An app; one scim_user per person unless `props.accounts` says otherwise (rosters: rosters.test.ts). */
export function scimApp(app: App, dir: Directory, props: Partial<ScimAppProps> = {}, id = 'wiki'): ScimApp {
  return new ScimApp(app, id, {
    directory: dir,
    endpoint: SANDBOX,
    credentials: { token: Credential.env('SCIMFORM_TEST_TOKEN') },
    accounts: 'users',
    ...props,
  });
}

export interface SynthJson {
  resource?: {
    scim_user?: Record<string, Record<string, unknown>>;
    scim_group?: Record<string, Record<string, unknown>>;
  };
  provider?: { scim?: Record<string, unknown>[] };
  variable?: Record<string, Record<string, unknown>>;
  terraform?: { backend?: Record<string, Record<string, unknown>> };
  '//'?: { scimform?: Record<string, unknown> };
}

/** Synthesizes with validations (throws the validation error like `cdktf synth`). */
export function synth(stack: ScimApp): string {
  return Testing.synth(stack, true);
}

export function synthJson(stack: ScimApp): SynthJson {
  return JSON.parse(synth(stack)) as SynthJson;
}

export const users = (j: SynthJson) => j.resource?.scim_user ?? {};
export const groups = (j: SynthJson) => j.resource?.scim_group ?? {};
