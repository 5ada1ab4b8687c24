import { randomBytes } from 'node:crypto';
import type { TlsVersion } from '../../snapshot/schema.js';

/*
 * A handcrafted TLS 1.0-1.2 ClientHello. Node's OpenSSL is built without RC4, DES and 3DES, so it
 * cannot ask a server whether it would accept them; the first flight of a handshake can. The server's
 * answer (ServerHello with the suite it picked, or an alert) is all we read: no keys are exchanged.
 */

export const WIRE_VERSION: Record<Exclude<TlsVersion, '1.3'>, number> = {
  '1.0': 0x0301,
  '1.1': 0x0302,
  '1.2': 0x0303,
};

const VERSION_OF_WIRE = new Map<number, TlsVersion>([
  [0x0301, '1.0'],
  [0x0302, '1.1'],
  [0x0303, '1.2'],
  [0x0304, '1.3'],
]);

const u8 = (n: number) => Buffer.from([n & 0xff]);
const u16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
const u24 = (n: number) => Buffer.from([(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
const vec16 = (b: Buffer) => Buffer.concat([u16(b.length), b]);
const ext = (type: number, body: Buffer) => Buffer.concat([u16(type), vec16(body)]);

const GROUPS = [0x001d, 0x0017, 0x0018, 0x0019, 0x0100, 0x0101];
const SIGNATURE_ALGORITHMS = [
  0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0807, 0x0201, 0x0203, 0x0202,
];

export function buildClientHello(
  version: Exclude<TlsVersion, '1.3'>,
  suites: readonly number[],
  servername?: string,
) {
  const extensions: Buffer[] = [];
  if (servername) {
    const name = Buffer.from(servername, 'ascii');
    extensions.push(ext(0x0000, vec16(Buffer.concat([u8(0), vec16(name)]))));
  }
  extensions.push(ext(0x000a, vec16(Buffer.concat(GROUPS.map(u16)))));
  extensions.push(ext(0x000b, Buffer.from([1, 0])));
  extensions.push(ext(0x000d, vec16(Buffer.concat(SIGNATURE_ALGORITHMS.map(u16)))));
  extensions.push(ext(0xff01, Buffer.from([0])));
  const body = Buffer.concat([
    u16(WIRE_VERSION[version]),
    randomBytes(32),
    u8(0),
    vec16(Buffer.concat(suites.map(u16))),
    Buffer.from([1, 0]),
    vec16(Buffer.concat(extensions)),
  ]);
  const handshake = Buffer.concat([u8(1), u24(body.length), body]);
  // record layer version 1.0: the most tolerant choice for old stacks
  return Buffer.concat([u8(0x16), u16(0x0301), u16(handshake.length), handshake]);
}

export type HelloReply =
  | { kind: 'hello'; version: TlsVersion | null; cipher: number }
  | { kind: 'alert'; level: number; description: number }
  | { kind: 'incomplete' }
  | { kind: 'garbage'; sample: string };

/** Read the first record a server sends back after a ClientHello. */
export function parseServerReply(data: Buffer): HelloReply {
  if (data.length < 5) return { kind: 'incomplete' };
  const type = data[0];
  const major = data[1];
  const length = data.readUInt16BE(3);
  const sample = () => ({ kind: 'garbage' as const, sample: data.subarray(0, 48).toString('hex') });
  if ((type !== 0x15 && type !== 0x16) || major !== 3 || length > 16_384 + 2048) return sample();
  if (data.length < 5 + length) return { kind: 'incomplete' };
  const body = data.subarray(5, 5 + length);
  if (type === 0x15) {
    if (body.length < 2) return sample();
    return { kind: 'alert', level: body[0] ?? 0, description: body[1] ?? 0 };
  }
  // handshake: a ServerHello (type 2) must come first
  if (body.length < 4 || body[0] !== 2) return sample();
  const hsLen = body.readUIntBE(1, 3);
  const hello = body.subarray(4, 4 + hsLen);
  if (hello.length < 38) return { kind: 'incomplete' };
  let version: TlsVersion | null = VERSION_OF_WIRE.get(hello.readUInt16BE(0)) ?? null;
  let at = 2 + 32;
  const sidLen = hello[at] ?? 0;
  at += 1 + sidLen;
  if (hello.length < at + 3) return { kind: 'incomplete' };
  const cipher = hello.readUInt16BE(at);
  at += 3;
  if (hello.length >= at + 2) {
    const extEnd = Math.min(hello.length, at + 2 + hello.readUInt16BE(at));
    at += 2;
    while (at + 4 <= extEnd) {
      const t = hello.readUInt16BE(at);
      const l = hello.readUInt16BE(at + 2);
      // supported_versions: the real version of a TLS 1.3 ServerHello
      if (t === 0x002b && l === 2) version = VERSION_OF_WIRE.get(hello.readUInt16BE(at + 4)) ?? version;
      at += 4 + l;
    }
  }
  return { kind: 'hello', version, cipher };
}

/** TLS alert descriptions that appear when a server turns a probe down. */
export const ALERTS: Record<number, string> = {
  10: 'unexpected_message',
  40: 'handshake_failure',
  47: 'illegal_parameter',
  50: 'decode_error',
  70: 'protocol_version',
  71: 'insufficient_security',
  80: 'internal_error',
  86: 'inappropriate_fallback',
  112: 'unrecognized_name',
};
