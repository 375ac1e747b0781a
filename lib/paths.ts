// Where scimform reads and writes on this machine: the org files, the sandbox data dir, local state,
// provisioning logs and the synth output. Every path has a default under the project and an env override,
// so tests and CI can point everything at temporary directories.
import * as path from 'node:path';

export interface ScimformPaths {
  /** Project root (the folder holding package.json). */
  readonly root: string;
  /** `.scimform/` — generated config, sandbox data, state and logs (git-ignored). */
  readonly dotDir: string;
  /** Org files (`people.yaml`, `teams.yaml`). Env `SCIMFORM_ORG_DIR`. */
  readonly orgDir: string;
  /** Sandbox data dir holding `credentials.json`. Env `SCIMFORM_SANDBOX_DIR`. */
  readonly sandboxDir: string;
  /** Local Terraform state, one `<stack>.tfstate` per app. Env `SCIMFORM_STATE_DIR`. */
  readonly stateDir: string;
  /** Provisioning logs (JSON lines, one file per app). Env `SCIMFORM_LOG_DIR`. */
  readonly logDir: string;
  /** cdktf synth output. Env `SCIMFORM_OUTDIR` (or cdktf's own `CDKTF_OUTDIR`). */
  readonly outDir: string;
  /** Terraform CLI config naming the provider mirror. Env `SCIMFORM_TERRAFORMRC`. */
  readonly terraformrc: string;
}

type Env = Record<string, string | undefined>;

/** Resolves every scimform path (absolute) from `root` (default: the current directory) and `env`. */
export function scimformPaths(env: Env = process.env, root: string = process.cwd()): ScimformPaths {
  const abs = (p: string | undefined, fallback: string) => path.resolve(root, p && p.trim() !== '' ? p : fallback);
  const dotDir = path.resolve(root, '.scimform');
  return {
    root: path.resolve(root),
    dotDir,
    orgDir: abs(env.SCIMFORM_ORG_DIR, 'org'),
    sandboxDir: abs(env.SCIMFORM_SANDBOX_DIR, path.join(dotDir, 'sandbox')),
    stateDir: abs(env.SCIMFORM_STATE_DIR, path.join(dotDir, 'state')),
    logDir: abs(env.SCIMFORM_LOG_DIR, path.join(dotDir, 'logs')),
    outDir: abs(env.SCIMFORM_OUTDIR ?? env.CDKTF_OUTDIR, 'cdktf.out'),
    terraformrc: abs(env.SCIMFORM_TERRAFORMRC, path.join(dotDir, 'terraformrc')),
  };
}
