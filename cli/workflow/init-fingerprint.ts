// What `terraform init` of a stack depends on, as one hash: the stack's terraform block (backend, providers)
// and the provider build in the mirror. A stack is re-initialised when it changes (stack-terraform.ts), and a
// saved plan is bound to it (plan-inputs.ts).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ScimformPaths } from '../../lib/paths';

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return listFiles(p);
    const st = fs.statSync(p);
    return [`${p}:${st.size}:${Math.round(st.mtimeMs)}`];
  });
}

/** What `terraform init` depends on: the stack's terraform block and the provider build in the mirror. */
export function initFingerprint(stackDir: string, paths: ScimformPaths): string {
  const tf = (JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as { terraform?: unknown }).terraform;
  const rc = fs.existsSync(paths.terraformrc) ? fs.readFileSync(paths.terraformrc, 'utf8') : '';
  const mirrors = [...rc.matchAll(/path\s*=\s*"([^"]+)"/g)].map((m) => m[1]);
  return createHash('sha256')
    .update(JSON.stringify({ tf, rc, files: mirrors.flatMap((m) => listFiles(m)).sort() }))
    .digest('hex');
}

