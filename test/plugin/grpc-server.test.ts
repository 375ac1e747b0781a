// The provider's own gRPC server (plugin/grpc-server.ts) under a real gRPC client (grpc-js, as Terraform's
// grpc-go would call it): unary answers, errors with their status and message, messages of several MiB in
// both directions, unknown methods; and the framing of the byte stream on its own.
import * as grpc from '@grpc/grpc-js';
import { frame, frameReader, GrpcError, GrpcServer, GrpcStatus } from '../../providers/scim/plugin/grpc-server';
import { serviceDefinition, type Message } from '../../providers/scim/plugin/protocol/grpc-services';

describe('framing', () => {
  test('splits messages however the bytes arrive, and refuses compressed ones', () => {
    const got: string[] = [];
    const read = frameReader((p) => got.push(p.toString()));
    const bytes = Buffer.concat([frame(Buffer.from('first')), frame(Buffer.alloc(0)), frame(Buffer.from('third message'))]);
    for (let i = 0; i < bytes.length; i += 3) read(bytes.subarray(i, i + 3));
    expect(got).toEqual(['first', '', 'third message']);
    const compressed = frame(Buffer.from('x'));
    compressed[0] = 1;
    expect(() => frameReader(() => undefined)(compressed)).toThrow(/compressed messages are not supported/);
  });
});

describe('served over HTTP/2 to a gRPC client', () => {
  let server: GrpcServer;
  let port: number;
  const clients: grpc.Client[] = [];
  const seen: number[] = [];

  beforeAll(async () => {
    server = new GrpcServer();
    server.addService(serviceDefinition('grpc.health.v1.Health'), {
      Check: async (req: Message) => {
        seen.push(String(req.service).length);
        if (req.service === 'fail') throw new GrpcError(GrpcStatus.INTERNAL, 'handler failed: état 100% ✗');
        return { status: 'SERVING' };
      },
    });
    server.addService(serviceDefinition('tfplugin6.Provider'), {
      GetProviderSchema: async () => ({ provider: { version: 1, block: { description: 'd'.repeat(6 * 1024 * 1024) } } }),
    });
    port = await server.listen('127.0.0.1', undefined);
  });

  afterAll(() => {
    clients.forEach((c) => c.close());
    server.forceShutdown();
  });

  const call = (service: Parameters<typeof serviceDefinition>[0], method: string, req: object) => {
    const Ctor = grpc.makeGenericClientConstructor(serviceDefinition(service), service);
    const c = new Ctor(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), { 'grpc.max_receive_message_length': -1, 'grpc.max_send_message_length': -1 });
    clients.push(c);
    return new Promise<any>((resolve, reject) => (c as any)[method](req, (err: Error | null, res: unknown) => (err ? reject(err) : resolve(res))));
  };

  test('answers a unary call', async () => {
    expect((await call('grpc.health.v1.Health', 'Check', { service: 'plugin' })).status).toBe(1);
  });

  test('a failing handler is a status with its message, percent-encoded on the wire and read back intact', async () => {
    await expect(call('grpc.health.v1.Health', 'Check', { service: 'fail' })).rejects.toMatchObject({ code: grpc.status.INTERNAL, details: 'handler failed: état 100% ✗' });
  });

  test('carries messages of several MiB both ways', async () => {
    await call('grpc.health.v1.Health', 'Check', { service: 's'.repeat(5 * 1024 * 1024) });
    expect(seen).toContain(5 * 1024 * 1024);
    const schema = await call('tfplugin6.Provider', 'GetProviderSchema', {});
    expect(schema.provider.block.description).toHaveLength(6 * 1024 * 1024);
  });

  test('a method without a handler is UNIMPLEMENTED, naming it', async () => {
    await expect(call('tfplugin6.Provider', 'StopProvider', {})).rejects.toMatchObject({ code: grpc.status.UNIMPLEMENTED, details: expect.stringContaining('/tfplugin6.Provider/StopProvider') });
  });
});

describe('start-up order', () => {
  test('a client that connects the moment the port is known is served; a server whose TLS cannot be set up reports it and refuses connections', async () => {
    const net = await import('node:net');
    const server = new GrpcServer();
    server.addService(serviceDefinition('grpc.health.v1.Health'), { Check: async () => ({ status: 'SERVING' }) });
    // From the check phase of the event loop: the server's own setImmediate (which makes the HTTP/2 server)
    // then runs only after the next poll phase, which accepts the connection below.
    await new Promise((resolve) => setImmediate(resolve));
    const port = await server.listen('127.0.0.1', undefined);
    // Connects in the same turn as the port is known, before the HTTP/2 server exists.
    const http2 = await import('node:http2');
    const session = http2.connect(`http://127.0.0.1:${port}`);
    const answer = await new Promise<{ status: unknown; grpcStatus: unknown; bytes: number }>((resolve, reject) => {
      const stream = session.request({ ':method': 'POST', ':path': '/grpc.health.v1.Health/Check', 'content-type': 'application/grpc' });
      let status: unknown;
      let bytes = 0;
      stream.on('response', (h) => (status = h[':status']));
      stream.on('data', (d: Buffer) => (bytes += d.length));
      stream.on('trailers', (t) => resolve({ status, grpcStatus: t['grpc-status'], bytes }));
      stream.on('error', reject);
      stream.on('close', () => reject(new Error('the stream closed without an answer')));
      session.on('close', () => reject(new Error('the connection closed without an answer')));
      stream.end(frame(Buffer.alloc(0)));
    });
    session.close();
    expect(answer).toEqual({ status: 200, grpcStatus: '0', bytes: 5 + 2 }); // one message: status SERVING (field 1 = 1)
    server.forceShutdown();

    const failures: Error[] = [];
    const broken = new GrpcServer((err) => failures.push(err));
    const garbage = Buffer.from('not a PEM key');
    const brokenPort = await broken.listen('127.0.0.1', { key: garbage, cert: garbage, clientCa: garbage });
    const deadline = Date.now() + 5000;
    while (!failures.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(failures).toHaveLength(1);
    const refused = await new Promise<string>((resolve) => {
      const socket = net.connect(brokenPort, '127.0.0.1');
      socket.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      socket.on('close', () => resolve('closed'));
    });
    expect(['ECONNREFUSED', 'ECONNRESET', 'closed']).toContain(refused);
  });
});

test('whenDisconnected resolves at once without clients, and when the last client hangs up', async () => {
  const server = new GrpcServer();
  server.addService(serviceDefinition('grpc.health.v1.Health'), { Check: async () => ({ status: 'SERVING' }) });
  const port = await server.listen('127.0.0.1', undefined);
  await server.whenDisconnected(60_000); // nobody connected yet
  const http2 = await import('node:http2');
  const session = http2.connect(`http://127.0.0.1:${port}`);
  await new Promise<void>((resolve, reject) => {
    const stream = session.request({ ':method': 'POST', ':path': '/grpc.health.v1.Health/Check', 'content-type': 'application/grpc' });
    stream.on('trailers', () => resolve());
    stream.on('error', reject);
    stream.resume();
    stream.end(frame(Buffer.alloc(0)));
  });
  let resolved = false;
  const waiting = server.whenDisconnected(60_000).then(() => (resolved = true));
  await new Promise((r) => setTimeout(r, 50));
  expect(resolved).toBe(false); // still connected
  session.close();
  await waiting; // long before the 60 s timeout
  expect(resolved).toBe(true);
  server.forceShutdown();
});
