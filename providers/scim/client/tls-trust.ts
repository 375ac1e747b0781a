// The certificate authorities an https SCIM connection trusts when the app sets no `ca_file`. Normally that
// is Node's default store, and this module stays out of the way. A process whose launcher emptied OpenSSL's
// default store (the provider's start-up: scripts/build-provider.ts, docs/guides/provider-cpu.md) names the
// same authorities itself, and only when it first opens an https connection: Node's bundled roots plus the
// file NODE_EXTRA_CA_CERTS named, read as Node reads it (a file that cannot be read is a warning, not an error).
import * as fs from 'node:fs';

let explicitDefault: { extraCaFile?: string; warn: (message: string) => void } | undefined;
let resolved: { secureContext: import('node:tls').SecureContext } | undefined;

/**
 * From now on, https connections without a CA file trust Node's bundled roots and the PEM file `extraCaFile`
 * (the NODE_EXTRA_CA_CERTS the launcher took out of Node's way; `warn` hears that it cannot be read) instead of Node's default store. For a process
 * started with an empty default store; called at run time, never while a start-up snapshot is built.
 */
export function trustBundledRootsByDefault(extraCaFile?: string, warn: (message: string) => void = (m) => process.emitWarning(m)): void {
  explicitDefault = { extraCaFile: extraCaFile || undefined, warn };
  resolved = undefined;
}

/** Back to Node's default store (tests). */
export function trustNodeDefaultStore(): void {
  explicitDefault = undefined;
  resolved = undefined;
}

/**
 * The TLS options for an https connection without a CA file: undefined means Node's default store. Otherwise
 * one secure context per process holding those authorities, shared by every connection (a `ca` list would be
 * parsed again for each connection: ~150 certificates).
 */
export function defaultTlsOptions(): { secureContext: import('node:tls').SecureContext } | undefined {
  if (!explicitDefault) return undefined;
  if (resolved) return resolved;
  // node:tls is required here, not at the top: Node 20 cannot load it while it builds a start-up snapshot.
  const tls = require('node:tls') as typeof import('node:tls');
  const cas = [...tls.rootCertificates];
  const file = explicitDefault.extraCaFile;
  if (file) {
    try {
      cas.push(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      explicitDefault.warn(`Ignoring extra certs from \`${file}\`, load failed: ${(e as Error).message}`);
    }
  }
  return (resolved = { secureContext: tls.createSecureContext({ ca: cas }) });
}
