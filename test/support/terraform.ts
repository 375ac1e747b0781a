// Test harness for running the real `terraform` binary: a temporary working directory with HCL, the
// offline CLI configuration (.scimform/terraformrc by default, so `scimform/scim` comes from the repo's
// filesystem mirror), and helpers for init/plan/apply/import/destroy/show. The scim provider bundle is
// built and installed once per `npm test` run by test/support/global-setup.ts, before any worker starts;
// workers only check that it is current and never rewrite a lock file (each test owns its workspace).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import {
  DEFAULT_CLI_CONFIG,
  findTerraform,
  installProvider,
  type InstallOptions,
  type InstallResult,
} from '../../scripts/install-provider';
import { TERRAFORM_GOGC } from '../../cli/terraform-runner';

export interface TfResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** stdout + stderr of a run with whitespace runs collapsed (Terraform wraps diagnostic text at ~78 columns). */
export const output = (r: TfResult): string => `${r.stdout}\n${r.stderr}`.replace(/\s+/g, ' ');

export interface WorkdirOptions {
  /** CLI config (TF_CLI_CONFIG_FILE); default the repo's .scimform/terraformrc, built on demand. */
  cliConfigFile?: string;
  /** Timeout of one terraform command in ms (default 180 s). */
  timeoutMs?: number;
}

export class TerraformCommandError extends Error {
  constructor(
    readonly args: string[],
    readonly result: TfResult,
  ) {
    super(`terraform ${args.join(' ')} exited with ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`);
    this.name = 'TerraformCommandError';
  }
}

let scimInstall: Promise<InstallResult> | undefined;

/** The scim provider in .scimform/mirror (built by the jest globalSetup; rebuilt here only when its sources
 * changed since). Touches no lock file: every test workspace is private and inits after this. */
export function ensureProviderInstalled(): Promise<InstallResult> {
  scimInstall ??= installProvider({ skipIfCurrent: true, lockSearchRoots: [] });
  return scimInstall;
}

/** Installs another provider (e.g. a test fixture) into its own mirror and CLI config under `dir`. */
export async function installProviderInto(dir: string, options: Omit<InstallOptions, 'mirrorDir' | 'cliConfigFile' | 'recordFile'>): Promise<InstallResult> {
  fs.mkdirSync(dir, { recursive: true });
  return installProvider({
    lockSearchRoots: [],
    ...options,
    mirrorDir: path.join(dir, 'mirror'),
    cliConfigFile: path.join(dir, 'terraformrc'),
    recordFile: path.join(dir, 'provider-build.json'),
  });
}

export class TerraformWorkdir {
  private constructor(
    readonly dir: string,
    readonly env: NodeJS.ProcessEnv,
    private readonly terraform: string,
    private readonly timeoutMs: number,
  ) {}

  /** A fresh temporary directory holding `main.tf` = hcl. Throws TerraformNotFoundError (one clear
   * message) when terraform is not installed. */
  static async create(hcl: string, env: Record<string, string> = {}, options: WorkdirOptions = {}): Promise<TerraformWorkdir> {
    const terraform = findTerraform();
    let cliConfigFile = options.cliConfigFile;
    if (!cliConfigFile) {
      await ensureProviderInstalled();
      cliConfigFile = DEFAULT_CLI_CONFIG;
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-tf-'));
    const wd = new TerraformWorkdir(
      dir,
      {
        ...process.env,
        TF_CLI_CONFIG_FILE: cliConfigFile,
        CHECKPOINT_DISABLE: '1',
        TF_IN_AUTOMATION: '1',
        TF_INPUT: '0',
        TF_LOG: '',
        TF_LOG_PATH: '',
        TF_PLUGIN_CACHE_DIR: '',
        // The same Go GC target as scimform's own terraform runs (cli/terraform-runner.ts): less CPU, same behaviour.
        GOGC: process.env.GOGC || TERRAFORM_GOGC,
        ...env,
      },
      terraform,
      options.timeoutMs ?? 180_000,
    );
    wd.setHcl(hcl);
    return wd;
  }

  setHcl(hcl: string): void {
    fs.writeFileSync(path.join(this.dir, 'main.tf'), hcl);
  }

  /** Runs terraform with exactly `args` in the working directory. */
  run(args: string[], extraEnv: Record<string, string> = {}): Promise<TfResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.terraform, args, { cwd: this.dir, env: { ...this.env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      const timer = setTimeout(() => {
        stderr += `\n[harness] terraform ${args.join(' ')} timed out after ${this.timeoutMs} ms; killed\n`;
        child.kill('SIGKILL');
      }, this.timeoutMs);
      child.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code: code ?? -1, stdout, stderr });
      });
    });
  }

  /** `terraform init` (offline, from the filesystem mirror); throws TerraformCommandError on failure. */
  async init(args: string[] = []): Promise<TfResult> {
    const all = ['init', '-input=false', '-no-color', ...args];
    const r = await this.run(all);
    if (r.code !== 0) throw new TerraformCommandError(all, r);
    return r;
  }

  plan(args: string[] = []): Promise<TfResult> {
    return this.run(['plan', '-input=false', '-no-color', ...args]);
  }

  apply(args: string[] = []): Promise<TfResult> {
    return this.run(['apply', '-input=false', '-no-color', '-auto-approve', ...args]);
  }

  destroy(args: string[] = []): Promise<TfResult> {
    return this.run(['destroy', '-input=false', '-no-color', '-auto-approve', ...args]);
  }

  import(address: string, id: string, args: string[] = []): Promise<TfResult> {
    return this.run(['import', '-input=false', '-no-color', ...args, address, id]);
  }

  /** `terraform show -json <planFile>` parsed. */
  async showPlanJson(planFile: string): Promise<any> {
    const args = ['show', '-json', '-no-color', planFile];
    const r = await this.run(args);
    if (r.code !== 0) throw new TerraformCommandError(args, r);
    return JSON.parse(r.stdout);
  }

  /** `terraform show -json` of the current state, parsed. */
  async state(): Promise<any> {
    const args = ['show', '-json', '-no-color'];
    const r = await this.run(args);
    if (r.code !== 0) throw new TerraformCommandError(args, r);
    return JSON.parse(r.stdout);
  }

  /** Removes the working directory. */
  async cleanup(): Promise<void> {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The resources of a `terraform show -json` state (root module), by address. */
export function stateResources(state: any): Record<string, any> {
  const out: Record<string, any> = {};
  for (const r of state?.values?.root_module?.resources ?? []) out[r.address] = r;
  return out;
}
