// A minimal DER encoder (ITU-T X.690 Distinguished Encoding Rules): the few ASN.1 types a self-signed
// X.509 certificate needs (SEQUENCE, SET, INTEGER, BOOLEAN, OBJECT IDENTIFIER, UTF8String, OCTET
// STRING, BIT STRING, UTCTime / GeneralizedTime, context-specific tags). Every function returns the
// complete encoding (tag, length, contents) of one value; auto-mtls.ts composes them.

/** One complete encoding: identifier octet `tag` (low tag number form), definite length, `contents`. */
export function tlv(tag: number, contents: Uint8Array): Buffer {
  if (!Number.isInteger(tag) || tag < 0 || tag > 0xff || (tag & 0x1f) === 0x1f) throw new RangeError(`DER: unsupported tag 0x${tag.toString(16)}`);
  return Buffer.concat([Buffer.of(tag), encodeLength(contents.length), contents]);
}

/** Definite length: short form below 128, otherwise 0x80 | number of length octets, then big-endian octets. */
function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.of(length);
  const octets: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) octets.unshift(n % 256);
  return Buffer.from([0x80 | octets.length, ...octets]);
}

export function sequence(...items: Uint8Array[]): Buffer {
  return tlv(0x30, Buffer.concat(items));
}

/** SET OF: DER orders the element encodings ascending (shorter first when one is a prefix of the other). */
export function setOf(...items: Uint8Array[]): Buffer {
  return tlv(0x31, Buffer.concat([...items].sort((a, b) => Buffer.compare(a, b))));
}

export function boolean(value: boolean): Buffer {
  return tlv(0x01, Buffer.of(value ? 0xff : 0x00));
}

/** INTEGER from a non-negative safe integer or from big-endian unsigned magnitude bytes (two's complement
 * needs a leading 0x00 when the top bit is set; redundant leading zeros are dropped). */
export function integer(value: number | Uint8Array): Buffer {
  let bytes: Buffer;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`DER: INTEGER ${value} is not a non-negative safe integer`);
    const octets: number[] = [];
    for (let n = value; n > 0; n = Math.floor(n / 256)) octets.unshift(n % 256);
    bytes = Buffer.from(octets.length ? octets : [0]);
  } else {
    let start = 0;
    while (start < value.length - 1 && value[start] === 0) start++;
    bytes = Buffer.from(value.subarray(start));
    if (bytes.length === 0) bytes = Buffer.of(0);
  }
  if (bytes[0]! & 0x80) bytes = Buffer.concat([Buffer.of(0), bytes]);
  return tlv(0x02, bytes);
}

/** OBJECT IDENTIFIER from dotted decimal, e.g. '2.5.4.3': the first two arcs share one sub-identifier
 * (40 × first + second), each sub-identifier is base 128, high bit set on all but its last octet. */
export function objectIdentifier(dotted: string): Buffer {
  const arcs = dotted.split('.').map((a) => (/^\d+$/.test(a) ? Number(a) : NaN));
  if (arcs.length < 2 || arcs.some((a) => !Number.isSafeInteger(a)) || arcs[0]! > 2 || (arcs[0]! < 2 && arcs[1]! > 39)) {
    throw new RangeError(`DER: "${dotted}" is not an object identifier`);
  }
  const out: number[] = [];
  for (const sub of [arcs[0]! * 40 + arcs[1]!, ...arcs.slice(2)]) {
    const septets: number[] = [];
    for (let n = sub; ; n = Math.floor(n / 128)) {
      septets.unshift((n % 128) | (septets.length ? 0x80 : 0));
      if (n < 128) break;
    }
    out.push(...septets);
  }
  return tlv(0x06, Buffer.from(out));
}

export function utf8String(value: string): Buffer {
  return tlv(0x0c, Buffer.from(value, 'utf8'));
}

export function octetString(value: Uint8Array): Buffer {
  return tlv(0x04, value);
}

/** BIT STRING of whole octets (no unused bits), e.g. a public key or a signature. */
export function bitString(value: Uint8Array): Buffer {
  return tlv(0x03, Buffer.concat([Buffer.of(0), value]));
}

/** BIT STRING of a named bit list (e.g. KeyUsage): `bits` are bit numbers, bit 0 being the most
 * significant bit of the first octet; DER drops trailing zero bits and counts the unused ones. */
export function namedBits(bits: readonly number[]): Buffer {
  if (bits.some((b) => !Number.isInteger(b) || b < 0)) throw new RangeError(`DER: invalid bit numbers ${bits.join(', ')}`);
  if (!bits.length) return tlv(0x03, Buffer.of(0));
  const highest = Math.max(...bits);
  const octets = Buffer.alloc(Math.floor(highest / 8) + 1);
  for (const b of bits) octets[b >> 3]! |= 0x80 >> (b & 7);
  return tlv(0x03, Buffer.concat([Buffer.of(7 - (highest & 7)), octets]));
}

/** X.509 Time (RFC 5280 §4.1.2.5): UTCTime YYMMDDHHMMSSZ for the years 1950–2049, GeneralizedTime
 * YYYYMMDDHHMMSSZ otherwise; whole seconds, UTC. */
export function time(date: Date): Buffer {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('DER: invalid date');
  const year = date.getUTCFullYear();
  if (year < 0 || year > 9999) throw new RangeError(`DER: year ${year} cannot be encoded`);
  const two = (n: number) => String(n).padStart(2, '0');
  const rest = `${two(date.getUTCMonth() + 1)}${two(date.getUTCDate())}${two(date.getUTCHours())}${two(date.getUTCMinutes())}${two(date.getUTCSeconds())}Z`;
  return year >= 1950 && year <= 2049
    ? tlv(0x17, Buffer.from(`${two(year % 100)}${rest}`, 'latin1'))
    : tlv(0x18, Buffer.from(`${String(year).padStart(4, '0')}${rest}`, 'latin1'));
}

/** [n] EXPLICIT: a constructed context-specific tag wrapping complete encodings. */
export function explicit(n: number, ...items: Uint8Array[]): Buffer {
  return tlv(0xa0 | n, Buffer.concat(items));
}

/** [n] IMPLICIT of a primitive type: a primitive context-specific tag around the contents octets. */
export function implicitPrimitive(n: number, contents: Uint8Array): Buffer {
  return tlv(0x80 | n, contents);
}
