// How the provider's launcher hands TLS trust to the Node process it starts from the start-up snapshot.
// Node builds OpenSSL's default certificate store eagerly: ~140 bundled roots parsed for the gRPC server's
// TLS context, and the whole NODE_EXTRA_CA_CERTS file at start-up when that is set (often a system bundle
// of ~150 more). Together that was about half of a schema-only provider process's CPU, paid 3–4 times per
// terraform command per app. The launcher (scripts/build-provider.ts) therefore starts node with OpenSSL's
// store and an empty default file (`--use-openssl-ca`, SSL_CERT_FILE=/dev/null) and NODE_EXTRA_CA_CERTS
// emptied, and passes the latter on in SCIMFORM_DEFAULT_CA; at run time the entry asks the SCIM transport
// to trust Node's bundled roots plus that file for https endpoints without `ca_file`, which is what Node's
// default store holds (client/tls-trust.ts). The gRPC server never uses the default store: it trusts only
// the client certificate Terraform passes. Only for a node whose default store *is* its bundled roots: a
// node built with `--openssl-use-def-ca-store` (Homebrew's, Debian's, Fedora's) trusts the system's store,
// which the provider cannot name itself, so there the launcher leaves everything to Node. The install
// writes a marker next to the start-up snapshot of a node of the first kind (scripts/startup-snapshot.ts).

/** The variable the launcher sets: `bundled:` followed by the NODE_EXTRA_CA_CERTS it emptied (maybe nothing). */
export const DEFAULT_CA_VAR = 'SCIMFORM_DEFAULT_CA';
const BUNDLED = 'bundled:';

/** Shell words placed before `exec node` in the launcher's snapshot path, and the node option that goes with them. */
export const LAUNCH_ENVIRONMENT = `${DEFAULT_CA_VAR}="${BUNDLED}$NODE_EXTRA_CA_CERTS" NODE_EXTRA_CA_CERTS= SSL_CERT_FILE=/dev/null SSL_CERT_DIR=/dev/null`;
export const LAUNCH_NODE_OPTION = '--use-openssl-ca';

/** Suffix of the marker file next to a start-up snapshot blob: that node trusts its bundled roots by default. */
export const BUNDLED_CA_MARKER_SUFFIX = '.bundled-ca';

/** Whether a node with this `process.config` trusts its bundled roots by default (not OpenSSL's store). */
export function defaultsToBundledRoots(config: { target_defaults?: { defines?: string[] } }): boolean {
  return !(config.target_defaults?.defines ?? []).includes('NODE_OPENSSL_CERT_STORE');
}

/** What the launcher said, if it started this process with an empty default store: the extra CA file to trust. */
export function launcherTrust(env: NodeJS.ProcessEnv): { extraCaFile?: string } | undefined {
  const value = env[DEFAULT_CA_VAR];
  if (!value?.startsWith(BUNDLED)) return undefined;
  const extraCaFile = value.slice(BUNDLED.length);
  return extraCaFile ? { extraCaFile } : {};
}
