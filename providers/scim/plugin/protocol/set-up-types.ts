// Sets up every message type of a protobufjs Root ahead of time: protobufjs generates each type's
// encode/decode/fromObject/toObject functions the first time a message of that type is used, which is a
// large part of a provider process's first calls. Done while building the start-up snapshot
// (static-responses.ts), the generated functions are part of the snapshot and no process pays for them.
import type * as protobuf from 'protobufjs';

/** Generates the codecs of every message type in `ns` (nested types included); returns how many. */
export function setUpMessageTypes(ns: protobuf.NamespaceBase): number {
  let count = 0;
  for (const nested of ns.nestedArray) {
    const item = nested as protobuf.ReflectionObject & { setup?: () => unknown; ctor?: unknown; nestedArray?: protobuf.ReflectionObject[] };
    // Types (they have fields and a setup step) and namespaces both nest further types.
    if ('fieldsArray' in item && typeof item.setup === 'function') {
      item.setup();
      void item.ctor; // the message constructor decode uses, also generated on first use
      count++;
    }
    if (Array.isArray(item.nestedArray)) count += setUpMessageTypes(item as unknown as protobuf.NamespaceBase);
  }
  return count;
}
