// The static responses (GetProviderSchema, GetMetadata) that a start-up snapshot carries pre-encoded: sent
// as the stored bytes only when they encode exactly the response the provider computes now, and those bytes
// decode to what encoding the response in the call would give.
import { ProviderServer } from '../../providers/scim/plugin/provider-server';
import type { Logger } from '../../providers/scim/plugin/provider-definition';
import { EncodedMessage, serviceDefinition } from '../../providers/scim/plugin/protocol/grpc-services';
import { encodeStaticResponses, prepareStaticResponses, staticResponse, STATIC_RPCS } from '../../providers/scim/plugin/static-responses';
import { createTestkitProvider } from './fixtures/testkit-provider';

const silent: Logger = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const methods = serviceDefinition('tfplugin6.Provider');

test('outside a snapshot build nothing is stored, and every response is encoded in the call', async () => {
  expect(await prepareStaticResponses(createTestkitProvider)).toEqual([]);
  const schema = await new ProviderServer(createTestkitProvider(), silent).rpcs().GetProviderSchema!({});
  expect(staticResponse('GetProviderSchema', schema)).toBe(schema);
});

test('a response equal to the stored one goes out as the stored bytes, which decode like the live response', async () => {
  expect(await encodeStaticResponses(createTestkitProvider())).toEqual([...STATIC_RPCS]);
  const rpcs = new ProviderServer(createTestkitProvider(), silent).rpcs();
  for (const name of STATIC_RPCS) {
    const live = await rpcs[name]!({});
    const sent = staticResponse(name, live);
    expect(sent).toBeInstanceOf(EncodedMessage);
    const method = methods[name]!;
    expect(method.responseDeserialize(method.responseSerialize(sent))).toEqual(method.responseDeserialize(method.responseSerialize(live)));
  }
});

test('a response that differs from the stored one (another schema) is encoded in the call', async () => {
  await encodeStaticResponses(createTestkitProvider());
  const other = createTestkitProvider();
  other.schema = { ...other.schema, block: { ...other.schema.block, description: 'another description' } };
  const live = await new ProviderServer(other, silent).rpcs().GetProviderSchema!({});
  const sent = staticResponse('GetProviderSchema', live);
  expect(sent).toBe(live);
  const method = methods.GetProviderSchema!;
  expect(method.responseDeserialize(method.responseSerialize(sent)).provider.block.description).toBe('another description');
  // Other RPCs are never replaced.
  expect(staticResponse('ValidateProviderConfig', { diagnostics: [] })).toEqual({ diagnostics: [] });
});
