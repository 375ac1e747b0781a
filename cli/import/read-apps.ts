// Reads every app of the current configuration, read-only: synth (as plan does) names each app's endpoint,
// profile and credential sources; the credentials are resolved exactly as for plan (credentialEnv); then
// one listing of the users and one of the groups per app, through the provider's SCIM client (paged,
// retried; only GET requests are ever sent).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import type { ScimformPaths } from '../../lib/paths';
import { getProfile, ScimClient, type ScimAuth } from '../../providers/scim/client';
import { cliError } from '../cli-errors';
import type { Progress } from '../workflow/progress';
import { credentialEnv, type SynthesizedStack } from '../workflow/stack-metadata';
import type { AppSnapshot } from './import-model';

/** Each app's `target` and `onDestroy` as the current apps.yaml declares them (copied into the new one). */
export function currentAppTargets(orgDir: string): Map<string, { target?: AppSnapshot['target']; onDestroy?: string }> {
  const out = new Map<string, { target?: AppSnapshot['target']; onDestroy?: string }>();
  const file = ['yaml', 'yml', 'json'].map((e) => path.join(orgDir, `apps.${e}`)).find((f) => fs.existsSync(f));
  if (!file) return out;
  try {
    const data = parse(fs.readFileSync(file, 'utf8')) as { apps?: { key?: string; target?: AppSnapshot['target']; onDestroy?: string }[] };
    for (const a of data?.apps ?? []) if (a?.key) out.set(a.key, { target: a.target, onDestroy: a.onDestroy });
  } catch {
    /* synth has already validated the file; an unreadable one only loses the targets */
  }
  return out;
}

function authOf(stack: SynthesizedStack, env: NodeJS.ProcessEnv): ScimAuth {
  const vars = credentialEnv(stack, env);
  if (vars.TF_VAR_scim_token) return { kind: 'bearer', token: vars.TF_VAR_scim_token };
  if (vars.TF_VAR_scim_username && vars.TF_VAR_scim_password) {
    return { kind: 'basic', username: vars.TF_VAR_scim_username, password: vars.TF_VAR_scim_password };
  }
  throw cliError('SCIMFORM_MISSING_CREDENTIAL', `${stack.meta?.title ?? stack.name}: synth named no credentials for ${stack.meta?.endpoint}; declare them for this app.`);
}

/** Lists the users and groups of one app (one listing each). */
export async function readApp(stack: SynthesizedStack, env: NodeJS.ProcessEnv = process.env): Promise<Omit<AppSnapshot, 'target' | 'onDestroy'>> {
  const meta = stack.meta;
  if (!meta) throw cliError('SCIMFORM_NOT_A_SCIMFORM_STACK', `stack ${stack.name} has no scimform metadata (is it a ScimApp?)`);
  const profile = getProfile(meta.profile);
  const client = new ScimClient({ endpoint: meta.endpoint, auth: authOf(stack, env), profile, readCache: false });
  try {
    const users = await client.listUsers();
    const groups = profile.supportsGroups ? await client.listGroups() : [];
    return {
      key: meta.app,
      title: meta.title,
      profile: meta.profile,
      canBePending: profile.pendingUserCannotDeactivate,
      supportsGroups: profile.supportsGroups,
      users,
      groups,
    };
  } finally {
    await client.close();
  }
}

/** Reads every stack in order, with a progress line per app on stderr. */
export async function readApps(stacks: SynthesizedStack[], paths: ScimformPaths, progress: Progress, env: NodeJS.ProcessEnv = process.env): Promise<AppSnapshot[]> {
  const declared = currentAppTargets(paths.orgDir);
  const order = [...declared.keys()];
  const rank = (s: SynthesizedStack) => (order.includes(s.meta?.app ?? s.name) ? order.indexOf(s.meta?.app ?? s.name) : order.length);
  const out: AppSnapshot[] = [];
  // The first app of apps.yaml gives people their values; the others get overrides where they differ.
  for (const stack of [...stacks].sort((a, b) => rank(a) - rank(b))) {
    progress.stack(stack.name, `reading users and groups from ${stack.meta?.endpoint ?? '?'} (read-only) …`);
    const started = Date.now();
    const snap = await readApp(stack, env).catch((e: unknown) => {
      throw cliError(
        'SCIMFORM_IMPORT_READ_FAILED',
        `${stack.meta?.title ?? stack.name}: could not read ${stack.meta?.endpoint ?? 'its endpoint'}: ${(e as Error)?.message ?? String(e)}. ` +
          'Nothing was written; fix the endpoint or credentials (or leave the app out with --stack) and run import again.',
      );
    });
    progress.stack(stack.name, `${snap.users.length} user(s), ${snap.groups.length} group(s) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    out.push({ ...snap, ...declared.get(snap.key) });
  }
  return out;
}
