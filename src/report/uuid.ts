import { createHash } from 'node:crypto';

/** Namespace of every UUID plantproof derives; fixed forever so the same names give the same UUIDs. */
export const PLANTPROOF_UUID_NAMESPACE = '6f1c3c9e-2d4b-5a7e-9c41-8b2f0e6d5a13';

const parseUuid = (uuid: string): Buffer => Buffer.from(uuid.replace(/-/g, ''), 'hex');

/** RFC 4122 version-5 UUID (SHA-1 of namespace + name): deterministic, so reports are byte-for-byte reproducible. */
export function uuidV5(name: string, namespace: string = PLANTPROOF_UUID_NAMESPACE): string {
  const hash = createHash('sha1').update(parseUuid(namespace)).update(name, 'utf8').digest();
  const b = Buffer.from(hash.subarray(0, 16));
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
