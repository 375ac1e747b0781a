// The AutoMTLS server certificate as Terraform (Go's crypto/x509) and OpenSSL read it: a self-signed
// ECDSA P-256 / SHA-256 certificate for localhost (O=scimform), CA, with the key usages go-plugin
// expects; and the DER encoder it is built with, checked against X.690 encodings.
import * as crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { generateServerCertificate, toPem } from '../../providers/scim/plugin/auto-mtls';
import * as der from '../../providers/scim/plugin/der-encoding';

/** A tiny DER reader for the assertions: tag, contents and children of constructed values. */
interface Node {
  tag: number;
  contents: Buffer;
  children: Node[];
}
function parse(buf: Buffer): Node[] {
  const out: Node[] = [];
  let off = 0;
  while (off < buf.length) {
    const tag = buf[off++];
    let len = buf[off++];
    if (len & 0x80) {
      const n = len & 0x7f;
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + buf[off++];
    }
    const contents = buf.subarray(off, off + len);
    off += len;
    out.push({ tag, contents, children: tag & 0x20 ? parse(contents) : [] });
  }
  expect(off).toBe(buf.length);
  return out;
}
const hex = (b: Buffer) => b.toString('hex');

describe('DER encoding (X.690)', () => {
  test('lengths: short form below 128, long form with the fewest octets above', () => {
    expect(hex(der.octetString(Buffer.alloc(127)).subarray(0, 2))).toBe('047f');
    expect(hex(der.octetString(Buffer.alloc(128)).subarray(0, 3))).toBe('048180');
    expect(hex(der.octetString(Buffer.alloc(256)).subarray(0, 4))).toBe('04820100');
    expect(hex(der.octetString(Buffer.alloc(70000)).subarray(0, 5))).toBe('0483011170');
  });

  test('INTEGER: minimal two’s complement of non-negative values', () => {
    expect(hex(der.integer(0))).toBe('020100');
    expect(hex(der.integer(2))).toBe('020102');
    expect(hex(der.integer(127))).toBe('02017f');
    expect(hex(der.integer(128))).toBe('02020080');
    expect(hex(der.integer(256))).toBe('02020100');
    expect(hex(der.integer(Buffer.from('0000ff', 'hex')))).toBe('020200ff');
    expect(hex(der.integer(Buffer.from('7fee', 'hex')))).toBe('02027fee');
    expect(() => der.integer(-1)).toThrow(RangeError);
  });

  test('OBJECT IDENTIFIER: base-128 sub-identifiers, first two arcs combined', () => {
    expect(hex(der.objectIdentifier('1.2.840.113549'))).toBe('06062a864886f70d');
    expect(hex(der.objectIdentifier('2.5.4.3'))).toBe('0603550403');
    expect(hex(der.objectIdentifier('1.2.840.10045.4.3.2'))).toBe('06082a8648ce3d040302');
    expect(hex(der.objectIdentifier('2.999.3'))).toBe('0603883703');
    expect(() => der.objectIdentifier('1')).toThrow(RangeError);
    expect(() => der.objectIdentifier('1.40')).toThrow(RangeError);
  });

  test('BOOLEAN, strings, BIT STRING, named bits, SET OF order, context tags', () => {
    expect(hex(der.boolean(true))).toBe('0101ff');
    expect(hex(der.boolean(false))).toBe('010100');
    expect(hex(der.utf8String('é'))).toBe('0c02c3a9');
    expect(hex(der.bitString(Buffer.from('0a3b', 'hex')))).toBe('0303000a3b');
    expect(hex(der.namedBits([0, 2, 5]))).toBe('030202a4'); // KeyUsage digitalSignature, keyEncipherment, keyCertSign
    expect(hex(der.namedBits([8]))).toBe('0303070080');
    expect(hex(der.namedBits([7]))).toBe('03020001');
    expect(hex(der.namedBits([]))).toBe('030100');
    expect(hex(der.setOf(der.integer(2), der.integer(1)))).toBe('3106020101020102');
    expect(hex(der.explicit(0, der.integer(2)))).toBe('a003020102');
    expect(hex(der.implicitPrimitive(2, Buffer.from('a')))).toBe('820161');
  });

  test('Time: UTCTime for 1950–2049, GeneralizedTime otherwise, whole seconds in UTC', () => {
    expect(der.time(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678))).toString('latin1')).toBe('\x17\x0d260102030405Z');
    expect(der.time(new Date(Date.UTC(2049, 11, 31, 23, 59, 59, 999))).toString('latin1')).toBe('\x17\x0d491231235959Z');
    expect(der.time(new Date(Date.UTC(2050, 0, 1, 0, 0, 0, 1))).toString('latin1')).toBe('\x18\x0f20500101000000Z');
    expect(der.time(new Date(Date.UTC(1949, 11, 31))).toString('latin1')).toBe('\x18\x0f19491231000000Z');
  });
});

describe('the AutoMTLS server certificate', () => {
  test('is a self-signed ECDSA P-256 certificate for localhost, O=scimform, valid from a minute ago', () => {
    const before = Date.now();
    const cert = generateServerCertificate();
    const x509 = new crypto.X509Certificate(cert.certDer);
    expect(x509.subject).toBe('O=scimform\nCN=localhost');
    expect(x509.issuer).toBe(x509.subject);
    expect(x509.subjectAltName).toBe('DNS:localhost');
    expect(x509.checkHost('localhost')).toBe('localhost');
    expect(x509.ca).toBe(true);
    expect(x509.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']); // serverAuth, clientAuth
    expect(x509.verify(x509.publicKey)).toBe(true);
    const key = crypto.createPrivateKey(cert.keyPem);
    expect(x509.checkPrivateKey(key)).toBe(true);
    expect(key.asymmetricKeyType).toBe('ec');
    expect(key.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    // Times have whole seconds: from one minute before now, for 30 days.
    const from = Date.parse(x509.validFrom);
    const to = Date.parse(x509.validTo);
    expect(from).toBeGreaterThan(before - 62_000);
    expect(from).toBeLessThanOrEqual(Date.now() - 59_000);
    expect(to - from).toBeGreaterThanOrEqual(30 * 24 * 3600_000 + 59_000);
    expect(to - from).toBeLessThanOrEqual(30 * 24 * 3600_000 + 61_000);
    expect(cert.certPem).toBe(toPem('CERTIFICATE', cert.certDer));
    expect(new crypto.X509Certificate(cert.certPem).fingerprint256).toBe(x509.fingerprint256);
  });

  test('has exactly the structure go-plugin uses: v3, 16-byte positive serial, ecdsa-with-SHA256, critical basicConstraints and keyUsage', () => {
    const { certDer } = generateServerCertificate(1);
    const [certificate] = parse(certDer);
    const [tbs, sigAlg, sigValue] = certificate.children;
    expect(certificate.children).toHaveLength(3);
    const ecdsaWithSha256 = der.objectIdentifier('1.2.840.10045.4.3.2');
    expect(hex(der.sequence(ecdsaWithSha256))).toBe(hex(der.tlv(sigAlg.tag, sigAlg.contents)));
    expect(sigValue.tag).toBe(0x03);
    expect(sigValue.contents[0]).toBe(0); // no unused bits

    const [version, serial, sig, issuer, validity, subject, spki, extensions] = tbs.children;
    expect(tbs.children).toHaveLength(8);
    expect(hex(der.tlv(version.tag, version.contents))).toBe('a003020102');
    expect(serial.tag).toBe(0x02);
    expect(serial.contents).toHaveLength(16);
    expect(serial.contents[0] & 0x80).toBe(0);
    expect(serial.contents[0]).not.toBe(0);
    expect(hex(sig.contents)).toBe(hex(sigAlg.contents));
    const name = '3027311130' + '0f060355040a0c08' + Buffer.from('scimform').toString('hex') + '311230100603550403' + '0c09' + Buffer.from('localhost').toString('hex');
    expect(hex(der.tlv(issuer.tag, issuer.contents))).toBe(name);
    expect(hex(der.tlv(subject.tag, subject.contents))).toBe(name);
    expect(validity.children.map((t) => t.tag)).toEqual([0x17, 0x17]); // UTCTime before 2050
    for (const t of validity.children) expect(t.contents.toString('latin1')).toMatch(/^\d{12}Z$/);
    expect(spki.children[0].children.map((o) => hex(o.contents))).toEqual(['2a8648ce3d0201', '2a8648ce3d030107']); // id-ecPublicKey, prime256v1

    expect(extensions.tag).toBe(0xa3);
    const exts = extensions.children[0].children.map((e) => hex(der.tlv(e.tag, e.contents)));
    expect(exts).toEqual([
      '300f0603551d130101ff040530030101ff', // basicConstraints, critical: cA TRUE
      '300e0603551d0f0101ff0404030202a4', // keyUsage, critical: digitalSignature, keyEncipherment, keyCertSign
      '301d0603551d250416301406082b0601050507030106082b06010505070302', // extKeyUsage: serverAuth, clientAuth
      '30140603551d11040d300b82096c6f63616c686f7374', // subjectAltName: dNSName localhost
    ]);
  });

  test('uses GeneralizedTime for an expiry in 2050 or later', () => {
    const hours = Math.ceil((Date.UTC(2050, 0, 2) - Date.now()) / 3600_000);
    const [certificate] = parse(generateServerCertificate(hours).certDer);
    const validity = certificate.children[0].children[4];
    expect(validity.children.map((t) => t.tag)).toEqual([0x17, 0x18]);
    expect(validity.children[1].contents.toString('latin1')).toMatch(/^2050010[12]\d{6}Z$/);
  });

  test('each certificate has its own key and serial', () => {
    const a = new crypto.X509Certificate(generateServerCertificate().certDer);
    const b = new crypto.X509Certificate(generateServerCertificate().certDer);
    expect(a.serialNumber).not.toBe(b.serialNumber);
    expect(a.publicKey.export({ type: 'spki', format: 'der' }).equals(b.publicKey.export({ type: 'spki', format: 'der' }))).toBe(false);
  });

  const openssl = spawnSync('openssl', ['version'], { encoding: 'utf8' });
  (openssl.status === 0 ? test : test.skip)('reads as expected with `openssl x509 -text`', () => {
    const { certPem } = generateServerCertificate();
    const r = spawnSync('openssl', ['x509', '-noout', '-text'], { input: certPem, encoding: 'utf8' });
    expect(r.status).toBe(0);
    const text = r.stdout.replace(/[ \t]+/g, ' ');
    expect(text).toMatch(/Version: 3 \(0x2\)/);
    expect(text).toMatch(/Signature Algorithm: ecdsa-with-SHA256/);
    expect(text).toMatch(/Issuer: O ?= ?scimform, CN ?= ?localhost/);
    expect(text).toMatch(/Subject: O ?= ?scimform, CN ?= ?localhost/);
    expect(text).toMatch(/NIST CURVE: P-256/);
    expect(text).toMatch(/X509v3 Basic Constraints: critical\n CA:TRUE\n/);
    expect(text).toMatch(/X509v3 Key Usage: critical\n Digital Signature, Key Encipherment, Certificate Sign\n/);
    expect(text).toMatch(/X509v3 Extended Key Usage: ?\n TLS Web Server Authentication, TLS Web Client Authentication\n/);
    expect(text).toMatch(/X509v3 Subject Alternative Name: ?\n DNS:localhost\n/);
  });
});
