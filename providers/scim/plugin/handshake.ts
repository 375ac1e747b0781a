// The go-plugin handshake: recognise a launch by Terraform (magic cookie), agree on protocol 6, and
// format the single line the provider prints on stdout:
//   1|6|tcp|127.0.0.1:PORT|grpc|<server certificate, base64 DER without padding>
export const MAGIC_COOKIE_KEY = 'TF_PLUGIN_MAGIC_COOKIE';
export const MAGIC_COOKIE_VALUE = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';
export const CORE_PROTOCOL_VERSION = 1;
export const APP_PROTOCOL_VERSION = 6;

export class HandshakeError extends Error {
  constructor(
    readonly code: 'PLUGIN_NOT_LAUNCHED_BY_TERRAFORM' | 'PLUGIN_PROTOCOL_MISMATCH',
    message: string,
  ) {
    super(message);
    this.name = 'HandshakeError';
  }
}

/** Throws HandshakeError with a message for a human when the process was not started by Terraform
 * or Terraform does not speak protocol 6. */
export function checkLaunch(env: NodeJS.ProcessEnv, providerAddress: string): void {
  if (env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) {
    throw new HandshakeError(
      'PLUGIN_NOT_LAUNCHED_BY_TERRAFORM',
      `This is the Terraform provider ${providerAddress}, a plugin that Terraform starts itself; it is not meant to be run by hand.\n` +
        `Use it from a Terraform configuration with required_providers { ... source = "${providerAddress}" } ` +
        'and TF_CLI_CONFIG_FILE pointing at .scimform/terraformrc (written by `npm ci` / `npm run build:provider`).',
    );
  }
  const offered = (env.PLUGIN_PROTOCOL_VERSIONS ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  if (offered.length && !offered.includes(String(APP_PROTOCOL_VERSION))) {
    throw new HandshakeError(
      'PLUGIN_PROTOCOL_MISMATCH',
      `Terraform offered plugin protocol version(s) ${offered.join(', ')}, but ${providerAddress} speaks only version ${APP_PROTOCOL_VERSION} (Terraform 1.0 or newer).`,
    );
  }
}

export function handshakeLine(port: number, certDer: Buffer | undefined): string {
  const cert = certDer ? certDer.toString('base64').replace(/=+$/, '') : '';
  return `${CORE_PROTOCOL_VERSION}|${APP_PROTOCOL_VERSION}|tcp|127.0.0.1:${port}|grpc|${cert}\n`;
}
