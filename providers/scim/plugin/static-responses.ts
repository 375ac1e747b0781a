// The responses that depend on the provider definition alone (GetProviderSchema, GetMetadata), encoded
// once while Node builds the start-up snapshot (scripts/startup-snapshot.ts) instead of in every provider
// process: Terraform starts the provider 3–4 times per command, and the first process answers little
// else. The same pass generates protobufjs's codecs of every message type (set-up-types.ts). At run time
// the provider still computes each response (the handlers log as usual), and it is sent as the stored
// bytes only when it is exactly the response the bytes were made from (compared as JSON text); otherwise,
// and without a snapshot, it is encoded as any other.
import * as v8 from 'node:v8';
import type { Logger, ProviderDefinition } from './provider-definition';
import { ProviderServer } from './provider-server';
import { EncodedMessage, serviceDefinition, type Message } from './protocol/grpc-services';
import { loadProtocolRoot } from './protocol/protocol-root';
import { setUpMessageTypes } from './protocol/set-up-types';

/** The tfplugin6.Provider methods whose response does not depend on the request or the environment. */
export const STATIC_RPCS = ['GetProviderSchema', 'GetMetadata'] as const;

const stored = new Map<string, { json: string; bytes: Buffer }>();

const quiet: Logger = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** JSON text of a response; Buffers (schema type bytes) as their bytes. */
function responseText(response: Message): string {
  return JSON.stringify(response);
}

/**
 * While a start-up snapshot is being built: sets up every message type and encodes the static responses
 * of a throwaway definition from `factory` (it must not depend on the environment for its schema; a
 * difference only costs the stored bytes). Does nothing otherwise. Resolves with the RPCs stored.
 */
export async function prepareStaticResponses(factory: () => ProviderDefinition<unknown>): Promise<string[]> {
  if (!v8.startupSnapshot?.isBuildingSnapshot()) return [];
  return encodeStaticResponses(factory());
}

/** Encodes the static responses of `definition` for `staticResponse` (also used by tests). */
export async function encodeStaticResponses(definition: ProviderDefinition<unknown>): Promise<string[]> {
  setUpMessageTypes(loadProtocolRoot());
  const rpcs = new ProviderServer(definition, quiet).rpcs();
  const methods = serviceDefinition('tfplugin6.Provider');
  for (const name of STATIC_RPCS) {
    const response = await rpcs[name]!({});
    stored.set(name, { json: responseText(response), bytes: methods[name]!.responseSerialize(response) });
  }
  return [...stored.keys()];
}

/** `response` of RPC `name`, as the stored bytes when they encode exactly this response. */
export function staticResponse(name: string, response: Message): Message {
  const known = stored.get(name);
  if (!known || response instanceof EncodedMessage) return response;
  return responseText(response) === known.json ? new EncodedMessage(known.bytes) : response;
}
