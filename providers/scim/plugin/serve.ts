// Runs a ProviderDefinition as a Terraform provider process: checks the go-plugin handshake
// environment, serves tfplugin6 (plus go-plugin's controller, stdio, broker and health services) over
// gRPC (our own server on node:http2, grpc-server.ts) with AutoMTLS on 127.0.0.1, prints the one handshake line on stdout and keeps stdout clean
// afterwards. Logs go to stderr as hclog JSON. SIGINT is ignored (Terraform sends StopProvider);
// GRPCController.Shutdown ends the process.
import * as fs from 'node:fs';
import type { Logger, ProviderDefinition } from './provider-definition';
import { ProviderServer } from './provider-server';
import { serviceDefinition } from './protocol/grpc-services';
import { loadProtocolRoot } from './protocol/protocol-root';
import { generateServerCertificate } from './auto-mtls';
import { checkLaunch, handshakeLine, HandshakeError } from './handshake';
import { createHclogLogger } from './hclog';
import { GrpcServer, GrpcStatus, GrpcError, type StreamCall, type TlsIdentity, type UnaryHandler } from './grpc-server';
import { staticResponse } from './static-responses';

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
  server: GrpcServer;
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
  const server = new GrpcServer((err) => {
    log.error('provider failed to start', { error: err.message });
    process.stderr.write(
      `The provider printed its handshake but could not start its gRPC server: ${err.message}\n` +
        'Node.js could not set up HTTP/2 with TLS; check that `node -e "require(\'node:http2\')"` works, then run Terraform again.\n',
    );
    exitSoon(1);
  });

  const rpcs = provider.rpcs();
  const implementation: Record<string, UnaryHandler> = {};
  for (const [name, rpc] of Object.entries(rpcs)) {
    // The server reports a cancellation only before the answer; the provider server ignores a late one anyway (see Rpc).
    implementation[name] = (request, onCancel) =>
      rpc(request, (abort) => onCancel(() => abort(() => abortError('Terraform cancelled the request')))).then(
        (response) => staticResponse(name, response),
        (err) => {
          throw new GrpcError(GrpcStatus.INTERNAL, String((err as Error)?.message ?? err));
        },
      );
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
    Shutdown: async () => {
      // The answer must reach Terraform before the connections go. Terraform closes its connection as soon
      // as it has it, and waits for this process to end: stop then (or after SHUTDOWN_GRACE_MS at most).
      void server
        .whenDisconnected(SHUTDOWN_GRACE_MS)
        .then(shutdown)
        .finally(onShutdown);
      return {};
    },
  });
  server.addService(serviceDefinition('plugin.GRPCStdio'), {
    // We never write to stdout/stderr through go-plugin's stdio channel (logs go to stderr, which
    // go-plugin reads directly); keep the stream open until Terraform closes it.
    StreamStdio: () => undefined,
  });
  server.addService(serviceDefinition('plugin.GRPCBroker'), {
    // No extra plugin connections are ever brokered; accept and drain the stream.
    StartStream: (call: StreamCall) => {
      call.onMessage(() => undefined);
      call.onEnd(() => call.end());
    },
  });
  server.addService(serviceDefinition('grpc.health.v1.Health'), {
    Check: async () => ({ status: 'SERVING' }),
  });

  const clientCert = env.PLUGIN_CLIENT_CERT;
  let tls: TlsIdentity | undefined;
  let certDer: Buffer | undefined;
  if (clientCert) {
    const cert = generateServerCertificate();
    certDer = cert.certDer;
    tls = { key: Buffer.from(cert.keyPem), cert: Buffer.from(cert.certPem), clientCa: Buffer.from(clientCert) };
  } else {
    log.warn('PLUGIN_CLIENT_CERT is not set: serving without TLS');
  }

  const port = await server.listen('127.0.0.1', tls);
  writeHandshake(handshakeLine(port, certDer));
  // The message types are needed from the first call on; build them while Terraform connects. Then say
  // that start-up is over: the bundle's loader writes its code cache on this event (scripts/build-provider.ts).
  setImmediate(() => {
    try {
      loadProtocolRoot();
    } catch {
      // The first call that needs the types reports the failure.
    }
    (process as NodeJS.EventEmitter).emit(PROVIDER_READY_EVENT);
  });
  return { port, server, provider: provider as ProviderServer<unknown>, shutdown };
}

/** How long after answering GRPCController.Shutdown the provider waits for Terraform to hang up. */
export const SHUTDOWN_GRACE_MS = 250;

/** Emitted on `process` once the handshake line is out and the message types are built. */
export const PROVIDER_READY_EVENT = 'scimform:provider-ready';

// ---------------------------------------------------------------------------------------------------
// Process hygiene

let handshakeWrite: ((line: string) => void) | undefined;

/** From here on, console output and stray stdout writes go to stderr; only the handshake line is
 * written to the real stdout. `process.stdout` is patched when first used: creating the stream (a pipe
 * under Terraform) costs CPU that a provider process which never touches it need not pay. */
function keepStdoutForHandshake(): void {
  if (handshakeWrite) return;
  handshakeWrite = (line) => fs.writeSync(1, line);
  const toStderr = (...args: unknown[]) => console.error(...args);
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  console.trace = toStderr;
  const redirect = (stdout: NodeJS.WriteStream): NodeJS.WriteStream => {
    stdout.write = ((chunk: unknown, ...rest: unknown[]) =>
      (process.stderr.write as (...a: unknown[]) => boolean)(chunk, ...rest)) as typeof process.stdout.write;
    return stdout;
  };
  const original = Object.getOwnPropertyDescriptor(process, 'stdout');
  if (!original?.get || !original.configurable) {
    redirect(process.stdout);
    return;
  }
  Object.defineProperty(process, 'stdout', {
    configurable: true,
    enumerable: original.enumerable,
    get() {
      const stdout = redirect(original.get!.call(process) as NodeJS.WriteStream);
      Object.defineProperty(process, 'stdout', { configurable: true, enumerable: original.enumerable, get: () => stdout });
      return stdout;
    },
  });
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

/** Exits once the current work is done (log lines on stderr are written synchronously). */
function exitSoon(code: number): void {
  setImmediate(() => process.exit(code));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function abortError(message: string): Error {
  const err = new Error(message);
  err.name = 'AbortError';
  return err;
}
