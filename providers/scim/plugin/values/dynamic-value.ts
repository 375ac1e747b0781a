// tfplugin6 DynamicValue messages as objects of a schema's type: decoding (msgpack, else JSON) and the check
// that a state a handler returns holds no unknown value.
import { unknownAfterApply } from '../errors';
import { bytesOrUndefined, type Message } from '../protocol/grpc-services';
import type { ObjectValue } from '../provider-definition';
import type { CtyType } from './tf-types';
import { decodeJsonState, decodeMsgpack, findUnknown } from './value-codec';

/** Decodes a DynamicValue (msgpack, else JSON) as an object of `type`; null when absent or null. */
export function decodeObject(dv: Message | null | undefined, type: CtyType): ObjectValue | null {
  const msgpack = bytesOrUndefined(dv?.msgpack);
  if (msgpack) return decodeMsgpack(msgpack, type) as ObjectValue | null;
  const json = bytesOrUndefined(dv?.json);
  if (json) return decodeJsonState(JSON.parse(json.toString('utf8')), type) as ObjectValue | null;
  return null;
}

/** Throws when `state` (after `operation`) still holds an unknown value: Terraform would reject it. */
export function checkKnown(state: ObjectValue, type: CtyType, operation: string): void {
  const at = findUnknown(state, type);
  if (at) throw unknownAfterApply(at, operation);
}
