// The provider's gRPC server, on node:http2 directly: unary calls plus the two streams go-plugin opens
// (GRPCStdio's server stream, GRPCBroker's bidirectional stream), over TLS that requires the client
// certificate Terraform announced (AutoMTLS), or plaintext h2c when there is none. It replaces
// @grpc/grpc-js in the provider process: evaluating grpc-js (and the Node modules it loads beyond
// http2 and tls) was the largest part of every start-up above bare `node`, and Terraform starts the
// provider 3–4 times per command. Messages are encoded by the method definitions (grpc-services.ts).
// Wire format (gRPC over HTTP/2): POST /<service>/<method>, each message a 5-byte prefix (flag 0 = not
// compressed, 4-byte big-endian length) and the protobuf bytes; status in the trailers `grpc-status`
// and `grpc-message` (percent-encoded), or in the headers alone when there is no message.
// node:http2 is loaded when the server starts listening, not when this module is evaluated: Node cannot
// put http2 and tls into a start-up snapshot (startup-snapshot.ts), so they must stay out of module scope.
// The built-in modules they load that a snapshot can hold are loaded while it is built (HTTP2_PRELOADS).
import * as v8 from 'node:v8';
import type * as http2 from 'node:http2';
import type * as net from 'node:net';
import type { Message } from './protocol/grpc-services';

/**
 * Built-in modules that node:http2 and node:tls load and that Node supports in a start-up snapshot (no
 * "not yet fully verified" warning): loaded while the snapshot is built, they cost a provider process
 * nothing (about half of loading node:http2). Loading assert there also keeps node:http2 from creating
 * process.stderr at run time (assert's colour check reads it).
 */
export const HTTP2_PRELOADS = ['node:assert', 'node:crypto', 'node:diagnostics_channel', 'node:fs/promises', 'node:net', 'node:stream'];
if (v8.startupSnapshot?.isBuildingSnapshot()) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  for (const name of HTTP2_PRELOADS) require(name);
}

/** The gRPC status codes this server sends. */
export const GrpcStatus = { OK: 0, CANCELLED: 1, UNKNOWN: 2, INTERNAL: 13, UNIMPLEMENTED: 12 } as const;

/** What the server needs of a method definition (grpc-services.ts makes them). */
export interface GrpcMethod {
  path: string;
  requestStream: boolean;
  responseStream: boolean;
  requestDeserialize(bytes: Buffer): Message;
  responseSerialize(value: Message): Buffer;
}

/** Unary handler: resolves with the response; `onCancel` registers a listener called if the client
 * cancels (or the connection drops) before the response is sent. */
export type UnaryHandler = (request: Message, onCancel: (listener: () => void) => void) => Promise<Message>;

/** A streaming call as its handler sees it. */
export interface StreamCall {
  /** Every request message, decoded. */
  onMessage(listener: (message: Message) => void): void;
  /** The client finished sending (half-close). */
  onEnd(listener: () => void): void;
  write(message: Message): void;
  /** Ends the call with status OK. */
  end(): void;
}
export type StreamHandler = (call: StreamCall) => void;

export interface TlsIdentity {
  key: Buffer;
  cert: Buffer;
  /** The only client certificate accepted (it is its own CA). */
  clientCa: Buffer;
}

export class GrpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'GrpcError';
  }
}

interface Route {
  method: GrpcMethod;
  handler: UnaryHandler | StreamHandler;
}

const NGHTTP2_INTERNAL_ERROR = 2;
const RESPONSE_HEADERS = { ':status': 200, 'content-type': 'application/grpc' };

export class GrpcServer {
  /** `onFailure`: the HTTP/2 server could not be made after `listen` resolved (the listener is closed). */
  constructor(private readonly onFailure: (err: Error) => void = () => undefined) {}

  private readonly routes = new Map<string, Route>();
  private readonly sessions = new Set<http2.ServerHttp2Session>();
  private server: http2.Http2Server | undefined;
  private listener: net.Server | undefined;
  private readonly disconnected: (() => void)[] = [];

  /** Registers handlers by method name; a handler for a method the service does not declare is an error. */
  addService(methods: Record<string, GrpcMethod>, handlers: Record<string, UnaryHandler | StreamHandler>): void {
    for (const [name, handler] of Object.entries(handlers)) {
      const method = methods[name];
      if (!method) throw new Error(`gRPC server: no method ${name} in the service definition (declared: ${Object.keys(methods).join(', ')})`);
      this.routes.set(method.path, { method, handler });
    }
  }

  /**
   * Listens on `host` with an ephemeral port; resolves with the port as soon as the plain TCP listener is
   * up. The HTTP/2 (and TLS) server is made right after, in the next turn of the event loop: the caller
   * prints the handshake line first, so loading node:http2 and building the TLS context overlap with
   * Terraform connecting. Connections accepted before it exists wait for it.
   */
  listen(host: string, tls: TlsIdentity | undefined): Promise<number> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const listener = (require('node:net') as typeof net).createServer();
    this.listener = listener;
    const waiting: net.Socket[] = [];
    listener.on('connection', (socket) => (this.server ? this.server.emit('connection', socket) : waiting.push(socket)));
    return new Promise((resolve, reject) => {
      listener.once('error', reject);
      listener.listen(0, host, () => {
        listener.off('error', reject);
        resolve((listener.address() as net.AddressInfo).port);
        setImmediate(() => {
          let server: http2.Http2Server;
          try {
            server = this.http2Server(tls);
          } catch (err) {
            // Nothing can be served: refuse connections at once rather than leave Terraform waiting.
            listener.close();
            for (const socket of waiting.splice(0)) socket.destroy();
            listener.on('connection', (socket) => socket.destroy());
            this.onFailure(err instanceof Error ? err : new Error(String(err)));
            return;
          }
          for (const socket of waiting.splice(0)) server.emit('connection', socket);
        });
      });
    });
  }

  /** The HTTP/2 server the listener hands its connections to (it listens on no port itself). */
  private http2Server(tls: TlsIdentity | undefined): http2.Http2Server {
    // Node's session memory limit (10 MB by default) would reset connections carrying large plans.
    const options: http2.ServerOptions = { maxSessionMemory: Number.MAX_SAFE_INTEGER, maxSendHeaderBlockLength: Number.MAX_SAFE_INTEGER };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createSecureServer, createServer } = require('node:http2') as typeof http2;
    const server = tls
      ? createSecureServer({ ...options, key: tls.key, cert: tls.cert, ca: tls.clientCa, requestCert: true, rejectUnauthorized: true })
      : createServer(options);
    this.server = server;
    server.on('session', (session) => {
      this.sessions.add(session);
      session.on('close', () => {
        this.sessions.delete(session);
        if (!this.sessions.size) this.disconnected.splice(0).forEach((resolve) => resolve());
      });
      session.on('error', () => undefined);
    });
    // A client that fails the TLS handshake (wrong certificate) is refused; nothing to report here.
    server.on('tlsClientError', () => undefined);
    server.on('stream', (stream, headers) => this.dispatch(stream, headers));
    return server;
  }

  /** Resolves once no client is connected any more, or after `timeoutMs`. */
  whenDisconnected(timeoutMs: number): Promise<void> {
    if (!this.sessions.size) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.disconnected.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Closes every connection and the listener at once. */
  forceShutdown(): void {
    this.listener?.close();
    for (const session of this.sessions) session.destroy();
  }

  private dispatch(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void {
    stream.on('error', () => undefined);
    const contentType = String(headers['content-type'] ?? '');
    if (headers[':method'] !== 'POST' || !contentType.startsWith('application/grpc')) {
      stream.respond({ ':status': 415 }, { endStream: true });
      return;
    }
    const route = this.routes.get(String(headers[':path']));
    if (!route) return endWithStatus(stream, GrpcStatus.UNIMPLEMENTED, `unknown method ${headers[':path']}`);
    const messages: Message[] = [];
    let onMessage: ((m: Message) => void) | undefined;
    let failed = false;
    const reader = frameReader((payload) => {
      const message = route.method.requestDeserialize(payload);
      if (onMessage) onMessage(message);
      else messages.push(message);
    });
    stream.on('data', (chunk: Buffer) => {
      if (failed) return;
      try {
        reader(chunk);
      } catch (err) {
        failed = true;
        endWithStatus(stream, err instanceof GrpcError ? err.code : GrpcStatus.INTERNAL, `could not read the request: ${(err as Error).message}`);
      }
    });
    if (route.method.requestStream || route.method.responseStream) {
      const endListeners: (() => void)[] = [];
      stream.on('end', () => endListeners.forEach((l) => l()));
      stream.respond(RESPONSE_HEADERS, { waitForTrailers: true });
      stream.once('wantTrailers', () => stream.sendTrailers({ 'grpc-status': String(GrpcStatus.OK) }));
      (route.handler as StreamHandler)({
        onMessage: (listener) => {
          onMessage = listener;
          messages.splice(0).forEach(listener);
        },
        onEnd: (listener) => endListeners.push(listener),
        write: (message) => {
          if (!stream.closed && !stream.destroyed) stream.write(frame(route.method.responseSerialize(message)));
        },
        end: () => {
          if (!stream.closed && !stream.destroyed && !stream.writableEnded) stream.end();
        },
      });
      return;
    }
    let answered = false;
    const cancelListeners: (() => void)[] = [];
    stream.on('close', () => {
      if (!answered) cancelListeners.splice(0).forEach((l) => l());
    });
    stream.on('end', () => {
      if (failed) return;
      if (messages.length !== 1) return endWithStatus(stream, GrpcStatus.INTERNAL, `expected one request message, got ${messages.length}`);
      (route.handler as UnaryHandler)(messages[0]!, (listener) => cancelListeners.push(listener)).then(
        (response) => {
          answered = true;
          if (stream.closed || stream.destroyed) return;
          let body: Buffer;
          try {
            body = frame(route.method.responseSerialize(response));
          } catch (err) {
            return endWithStatus(stream, GrpcStatus.INTERNAL, `could not encode the response: ${(err as Error).message}`);
          }
          stream.respond(RESPONSE_HEADERS, { waitForTrailers: true });
          stream.once('wantTrailers', () => stream.sendTrailers({ 'grpc-status': String(GrpcStatus.OK) }));
          stream.end(body);
        },
        (err) => {
          answered = true;
          endWithStatus(stream, err instanceof GrpcError ? err.code : GrpcStatus.INTERNAL, String((err as Error)?.message ?? err));
        },
      );
    });
  }
}

/** A response without messages: the status travels in the headers ("Trailers-Only"). */
function endWithStatus(stream: http2.ServerHttp2Stream, code: number, message: string): void {
  if (stream.closed || stream.destroyed) return;
  if (stream.headersSent) {
    stream.close(NGHTTP2_INTERNAL_ERROR);
    return;
  }
  stream.respond({ ...RESPONSE_HEADERS, 'grpc-status': String(code), 'grpc-message': encodeStatusMessage(message) }, { endStream: true });
}

/** grpc-message is percent-encoded: printable ASCII except '%' stays as it is. */
export function encodeStatusMessage(message: string): string {
  return message.replace(/[^\x20-\x24\x26-\x7e]/gu, (c) => encodeURIComponent(c));
}

/** One length-prefixed message. */
export function frame(payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(5 + payload.length);
  out[0] = 0;
  out.writeUInt32BE(payload.length, 1);
  payload.copy(out, 5);
  return out;
}

/** Splits a byte stream into messages; calls `onPayload` with each complete one. */
export function frameReader(onPayload: (payload: Buffer) => void): (chunk: Buffer) => void {
  let pending: Buffer[] = [];
  let pendingLength = 0;
  return (chunk) => {
    pending.push(chunk);
    pendingLength += chunk.length;
    while (pendingLength >= 5) {
      if (pending[0]!.length < 5) pending = [Buffer.concat(pending, pendingLength)];
      const length = pending[0]!.readUInt32BE(1);
      if (pendingLength < 5 + length) return; // joined once the whole message is here
      const head = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingLength);
      if (head[0] !== 0) throw new GrpcError(GrpcStatus.UNIMPLEMENTED, 'compressed messages are not supported (send them uncompressed)');
      onPayload(head.subarray(5, 5 + length));
      const rest = head.subarray(5 + length);
      pending = rest.length ? [rest] : [];
      pendingLength = rest.length;
    }
  };
}
