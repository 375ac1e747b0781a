// Runs a ProviderDefinition as a Terraform provider process: checks the go-plugin handshake
// environment, serves tfplugin6 (plus go-plugin's controller, stdio, broker and health services) over
// gRPC with AutoMTLS on 127.0.0.1, prints the one handshake line on stdout and keeps stdout clean
// afterwards. Logs go to stderr as hclog JSON. SIGINT is ignored (Terraform sends StopProvider);
// GRPCController.Shutdown ends the process.
import * as fs from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import type { Logger, ProviderDefinition } from './provider-definition';
import { ProviderServer } from './provider-server';
import { serviceDefinition, type Message } from './protocol/grpc-services';
import { loadProtocolRoot } from './protocol/protocol-root';
import { generateServerCertificate } from './auto-mtls';
import { checkLaunch, handshakeLine, HandshakeError } from './handshake';
import { createHclogLogger } from './hclog';
import { installFastIpv6Check } from './ipv6-check';

export interface ServeOptions {
  /** Provider version (from package.json), logged at start-up. */
  version: string;
  /** Source address used in messages; default `scimform/<typeName>`. */
  address?: string;
  env?: NodeJS.ProcessEnv;
  log?: Logger;
}

export interface ServingProvider {
  port: number;
  server: grpc.Server;
  provider: ProviderServer<unknown>;
  /** Stops handlers and the gRPC server; `serve` then exits the process. */
  shutdown(): Promise<void>;
}

/** Starts the provider. When the process was not launched by Terraform, prints why on stderr and
 * sets exit code 1. Resolves once the handshake line has been printed. */
export async function serve<P>(
  definition: ProviderDefinition<P> | (() => ProviderDefinition<P>),
  options: ServeOptions,
): Promise<ServingProvider | undefined> {
  keepStdoutForHandshake();
  const env = options.env ?? process.env;
  let def: ProviderDefinition<P> | undefined;
  const address = () => options.address ?? `scimform/${def?.typeName ?? 'provider'}`;
  try {
    def = typeof definition === 'function' ? definition() : definition;
    checkLaunch(env, address());
  } catch (err) {
    process.stderr.write(`${err instanceof HandshakeError ? err.message : `Provider failed to start: ${(err as Error)?.stack ?? err}`}\n`);
    process.exitCode = 1;
    return undefined;
  }
  const log = options.log ?? createHclogLogger();
  installProcessGuards(log);
  try {
    const serving = await start(def, env, log, () => exitSoon(0));
    log.debug('provider started', { address: address(), version: options.version, port: serving.port, uptime_ms: Math.round(process.uptime() * 1000) });
    return serving;
  } catch (err) {
    log.error('provider failed to start', { error: (err as Error)?.message ?? String(err) });
    process.stderr.write(`Provider ${address()} failed to start: ${(err as Error)?.message ?? err}\n`);
    process.exitCode = 1;
    return undefined;
  }
}

async function start<P>(def: ProviderDefinition<P>, env: NodeJS.ProcessEnv, log: Logger, onShutdown: () => void): Promise<ServingProvider> {
  const provider = new ProviderServer(def, log);
  const server = new grpc.Server({
    'grpc.max_receive_message_length': -1,
    'grpc.max_send_message_length': -1,
  });

  const rpcs = provider.rpcs();
  const implementation: grpc.UntypedServiceImplementation = {};
  for (const [name, rpc] of Object.entries(rpcs)) {
    implementation[name] = (call: grpc.ServerUnaryCall<Message, Message>, callback: grpc.sendUnaryData<Message>) => {
      // grpc-js emits 'cancelled' when any call's stream closes, also after a normal answer; the provider
      // server ignores it then (see Rpc).
      rpc(call.request, (abort) => call.once('cancelled', () => abort(() => abortError('Terraform cancelled the request')))).then(
        (res) => callback(null, res),
        (err) => callback({ code: grpc.status.INTERNAL, details: String((err as Error)?.message ?? err) }),
      );
    };
  }
  server.addService(serviceDefinition('tfplugin6.Provider'), implementation);

  let shuttingDown: Promise<void> | undefined;
  const shutdown = () =>
    (shuttingDown ??= (async () => {
      log.debug('provider shutting down');
      await Promise.race([provider.stop('Terraform shut the provider down').catch(() => undefined), delay(2000)]);
      server.forceShutdown();
    })());

  server.addService(serviceDefinition('plugin.GRPCController'), {
    Shutdown: (_call: grpc.ServerUnaryCall<Message, Message>, callback: grpc.sendUnaryData<Message>) => {
      callback(null, {});
      // Let the response leave before the server goes away.
      setTimeout(() => void shutdown().finally(onShutdown), 10);
    },
  });
  server.addService(serviceDefinition('plugin.GRPCStdio'), {
    // We never write to stdout/stderr through go-plugin's stdio channel (logs go to stderr, which
    // go-plugin reads directly); keep the stream open until Terraform closes it.
    StreamStdio: (call: grpc.ServerWritableStream<Message, Message>) => {
      call.on('cancelled', () => call.end());
    },
  });
  server.addService(serviceDefinition('plugin.GRPCBroker'), {
    // No extra plugin connections are ever brokered; accept and drain the stream.
    StartStream: (call: grpc.ServerDuplexStream<Message, Message>) => {
      call.on('data', () => undefined);
      call.on('end', () => call.end());
      call.on('error', () => undefined);
    },
  });
  server.addService(serviceDefinition('grpc.health.v1.Health'), {
    Check: (_call: grpc.ServerUnaryCall<Message, Message>, callback: grpc.sendUnaryData<Message>) => callback(null, { status: 'SERVING' }),
  });

  const clientCert = env.PLUGIN_CLIENT_CERT;
  let credentials: grpc.ServerCredentials;
  let certDer: Buffer | undefined;
  if (clientCert) {
    const cert = generateServerCertificate();
    certDer = cert.certDer;
    credentials = grpc.ServerCredentials.createSsl(
      Buffer.from(clientCert),
      [{ private_key: Buffer.from(cert.keyPem), cert_chain: Buffer.from(cert.certPem) }],
      true,
    );
  } else {
    log.warn('PLUGIN_CLIENT_CERT is not set: serving without TLS');
    credentials = grpc.ServerCredentials.createInsecure();
  }

  installFastIpv6Check();
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', credentials, (err, p) => (err ? reject(err) : resolve(p))),
  );
  writeHandshake(handshakeLine(port, certDer));
  // The message types are needed from the first call on; build them while Terraform connects.
  setImmediate(() => {
    try {
      loadProtocolRoot();
    } catch {
      // The first call that needs the types reports the failure.
    }
  });
  return { port, server, provider: provider as ProviderServer<unknown>, shutdown };
}

// ---------------------------------------------------------------------------------------------------
// Process hygiene

let handshakeWrite: ((line: string) => void) | undefined;

/** From here on, console output and stray stdout writes go to stderr; only the handshake line is
 * written to the real stdout. */
function keepStdoutForHandshake(): void {
  if (handshakeWrite) return;
  handshakeWrite = (line) => fs.writeSync(1, line);
  const toStderr = (...args: unknown[]) => console.error(...args);
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  console.trace = toStderr;
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) =>
    (process.stderr.write as (...a: unknown[]) => boolean)(chunk, ...rest)) as typeof process.stdout.write;
}

function writeHandshake(line: string): void {
  handshakeWrite!(line);
}

let guardsInstalled = false;

function installProcessGuards(log: Logger): void {
  if (guardsInstalled) return;
  guardsInstalled = true;
  // Terraform forwards Ctrl-C as StopProvider; the signal itself must not kill us mid-apply.
  process.on('SIGINT', () => log.debug('ignoring SIGINT; waiting for Terraform to call StopProvider'));
  // If Terraform dies without shutting us down (killed), do not linger as an orphan.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) {
      log.warn('Terraform exited without shutting the provider down; exiting');
      process.exit(0);
    }
  }, 2000).unref();
  process.on('unhandledRejection', (reason) => log.error('unhandled promise rejection', { error: (reason as Error)?.message ?? String(reason) }));
  process.on('uncaughtException', (err) => log.error('uncaught exception', { error: err?.message ?? String(err), stack: err?.stack }));
}

function exitSoon(code: number): void {
  setTimeout(() => process.exit(code), 5);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function abortError(message: string): Error {
  const err = new Error(message);
  err.name = 'AbortError';
  return err;
}
