// go-plugin AutoMTLS, server side: a fresh ECDSA P-256 key and a self-signed certificate for
// `localhost` (serverAuth and clientAuth) per process. Terraform pins the certificate from the
// handshake line; we trust only the client certificate Terraform passed in PLUGIN_CLIENT_CERT.
// The certificate is encoded with our own DER encoder (der-encoding.ts) and signed with node:crypto.
import * as crypto from 'node:crypto';
import { bitString, boolean, explicit, implicitPrimitive, integer, namedBits, objectIdentifier, octetString, sequence, setOf, time, utf8String } from './der-encoding';

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  organizationName: '2.5.4.10',
  commonName: '2.5.4.3',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
};

/** KeyUsage bit numbers (RFC 5280 §4.2.1.3). */
const KEY_USAGE = { digitalSignature: 0, keyEncipherment: 2, keyCertSign: 5 };

export interface ServerCertificate {
  certPem: string;
  keyPem: string;
  /** DER bytes; the handshake line carries them base64-encoded without padding. */
  certDer: Buffer;
}

/** Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING (DER of the value) } */
function extension(extnID: string, value: Buffer, critical = false): Buffer {
  return critical ? sequence(objectIdentifier(extnID), boolean(true), octetString(value)) : sequence(objectIdentifier(extnID), octetString(value));
}

/** RelativeDistinguishedName with one AttributeTypeAndValue, the value a UTF8String. */
function rdn(type: string, value: string): Buffer {
  return setOf(sequence(objectIdentifier(type), utf8String(value)));
}

/** A self-signed certificate for `localhost`, valid from one minute ago for `validHours`. */
export function generateServerCertificate(validHours = 30 * 24): ServerCertificate {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ type: 'spki', format: 'der' }); // SubjectPublicKeyInfo, as X.509 embeds it
  const algorithm = sequence(objectIdentifier(OID.ecdsaWithSha256)); // no parameters for ECDSA (RFC 5758)
  const name = sequence(rdn(OID.organizationName, 'scimform'), rdn(OID.commonName, 'localhost'));
  const serial = crypto.randomBytes(16);
  serial[0] &= 0x7f; // positive INTEGER
  serial[0] |= 0x01; // no leading zero byte
  const now = Date.now();
  const tbsDer = sequence(
    explicit(0, integer(2)), // version v3
    integer(serial),
    algorithm,
    name, // issuer
    sequence(time(new Date(now - 60_000)), time(new Date(now + validHours * 3600_000))), // validity
    name, // subject
    spki,
    explicit(
      3,
      sequence(
        extension(OID.basicConstraints, sequence(boolean(true)), true), // cA TRUE, no path length
        extension(OID.keyUsage, namedBits([KEY_USAGE.digitalSignature, KEY_USAGE.keyEncipherment, KEY_USAGE.keyCertSign]), true),
        extension(OID.extKeyUsage, sequence(objectIdentifier(OID.serverAuth), objectIdentifier(OID.clientAuth))),
        extension(OID.subjectAltName, sequence(implicitPrimitive(2, Buffer.from('localhost', 'ascii')))), // dNSName [2] IA5String
      ),
    ),
  );
  const signature = crypto.sign('sha256', tbsDer, privateKey); // DER ECDSA-Sig-Value, as X.509 wants
  const certDer = sequence(tbsDer, algorithm, bitString(signature));
  return {
    certDer,
    certPem: toPem('CERTIFICATE', certDer),
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

export function toPem(label: string, der: Buffer): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}
