import type { FileHandle } from 'node:fs/promises';
import zlib from 'node:zlib';
import { deflateFileSync } from './deflate.js';

/**
 * A deliberately small ZIP writer and a strict reader for evidence bundles.
 *
 * Why not fflate's zipSync: it converts `mtime` to a DOS date with local-time getters, so the
 * same bundle written in two time zones differs (and a DST gap can move a timestamp); and it
 * builds the whole archive in one buffer. Here every header field is derived from the entry and
 * one UTC timestamp, entries are written in the order given, and the compressed streams come
 * from fflate (pure JavaScript, so identical on every machine — unlike node:zlib, whose output
 * depends on the zlib build Node ships).
 *
 * No ZIP64, no comments, no extra fields, no data descriptors: the reader rejects anything the
 * writer would not have produced, so every byte of an archive is accounted for.
 */

export type ZipMethod = 'store' | 'deflate';

export interface ZipEntry {
  name: string;
  method: ZipMethod;
  /** the bytes as stored in the archive (compressed for `deflate`) */
  stored: Uint8Array;
  crc32: number;
  /** uncompressed size */
  size: number;
}

const METHOD_CODE: Record<ZipMethod, number> = { store: 0, deflate: 8 };
const VERSION_NEEDED = 20;
/** made by: Unix (3), spec 2.0 — so unzip restores ordinary file permissions */
const VERSION_MADE_BY = (3 << 8) | 20;
/** bit 11: names are UTF-8 */
const FLAGS = 0x0800;
/** -rw-r--r-- regular file */
const EXTERNAL_ATTRS = (0o100644 << 16) >>> 0;
const LOCAL_SIG = 0x04034b50;
const CENTRAL_SIG = 0x02014b50;
const END_SIG = 0x06054b50;
const MAX32 = 0xffffffff;

let crcTable: Int32Array | undefined;
function crc32js(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
  }
  let crc = -1;
  for (let i = 0; i < data.length; i++) crc = crcTable[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

const nativeCrc32 = (zlib as unknown as { crc32?: (d: Uint8Array) => number }).crc32;

export function crc32(data: Uint8Array): number {
  return nativeCrc32 ? nativeCrc32(data) >>> 0 : crc32js(data);
}

/** DOS date and time of a UTC instant (2-second resolution), independent of the local time zone. */
export function dosDateTime(iso: string): { date: number; time: number } {
  const d = new Date(iso);
  const year = d.getUTCFullYear();
  if (Number.isNaN(d.getTime()) || year < 1980 || year > 2107)
    throw new RangeError(`cannot store ${iso} as a ZIP timestamp (1980–2107)`);
  return {
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
  };
}

/** An entry; `stored` is the compressed stream when it was made elsewhere (see deflate.ts). */
export function makeEntry(name: string, data: Uint8Array, method: ZipMethod, stored?: Uint8Array): ZipEntry {
  const bytes = method === 'deflate' ? (stored ?? deflateFileSync(data)) : data;
  return { name, method, stored: bytes, crc32: crc32(data), size: data.length };
}

function header(
  entry: ZipEntry,
  nameBytes: Uint8Array,
  dos: { date: number; time: number },
  central: number | null,
): Buffer {
  const fixed = central === null ? 30 : 46;
  const b = Buffer.alloc(fixed + nameBytes.length);
  let o = 0;
  b.writeUInt32LE(central === null ? LOCAL_SIG : CENTRAL_SIG, o);
  o += 4;
  if (central !== null) {
    b.writeUInt16LE(VERSION_MADE_BY, o);
    o += 2;
  }
  b.writeUInt16LE(VERSION_NEEDED, o);
  b.writeUInt16LE(FLAGS, o + 2);
  b.writeUInt16LE(METHOD_CODE[entry.method], o + 4);
  b.writeUInt16LE(dos.time, o + 6);
  b.writeUInt16LE(dos.date, o + 8);
  b.writeUInt32LE(entry.crc32, o + 10);
  b.writeUInt32LE(entry.stored.length, o + 14);
  b.writeUInt32LE(entry.size, o + 18);
  b.writeUInt16LE(nameBytes.length, o + 22);
  b.writeUInt16LE(0, o + 24); // extra field length
  o += 26;
  if (central !== null) {
    b.writeUInt16LE(0, o); // comment length
    b.writeUInt16LE(0, o + 2); // disk number
    b.writeUInt16LE(0, o + 4); // internal attributes
    b.writeUInt32LE(EXTERNAL_ATTRS, o + 6);
    b.writeUInt32LE(central, o + 10); // offset of the local header
    o += 14;
  }
  b.set(nameBytes, o);
  return b;
}

/**
 * The archive as a sequence of byte chunks, in file order. The same entries and timestamp always
 * give the same bytes.
 */
export function* zipChunks(entries: ZipEntry[], mtime: string): Generator<Uint8Array> {
  if (entries.length > 0xffff) throw new RangeError('too many files for a ZIP without ZIP64');
  const dos = dosDateTime(mtime);
  const names = entries.map((e) => Buffer.from(e.name, 'utf8'));
  const offsets: number[] = [];
  let offset = 0;
  for (const [i, e] of entries.entries()) {
    if (e.size > MAX32 || e.stored.length > MAX32)
      throw new RangeError(`${e.name} is too large for a ZIP without ZIP64`);
    offsets.push(offset);
    const local = header(e, names[i]!, dos, null);
    yield local;
    yield e.stored;
    offset += local.length + e.stored.length;
  }
  if (offset > MAX32) throw new RangeError('archive too large for a ZIP without ZIP64');
  const centralStart = offset;
  for (const [i, e] of entries.entries()) {
    const central = header(e, names[i]!, dos, offsets[i]!);
    yield central;
    offset += central.length;
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_SIG, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(offset - centralStart, 12);
  end.writeUInt32LE(centralStart, 16);
  yield end;
}

export async function writeZip(handle: FileHandle, entries: ZipEntry[], mtime: string): Promise<void> {
  // Small headers are gathered so the file gets few, large writes.
  let pending: Uint8Array[] = [];
  let pendingSize = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    await handle.write(pending.length === 1 ? pending[0]! : Buffer.concat(pending));
    pending = [];
    pendingSize = 0;
  };
  for (const chunk of zipChunks(entries, mtime)) {
    if (chunk.length >= 1 << 20) {
      await flush();
      await handle.write(chunk);
    } else {
      pending.push(chunk);
      pendingSize += chunk.length;
      if (pendingSize >= 1 << 20) await flush();
    }
  }
  await flush();
}

export interface ReadEntry extends ZipEntry {
  method: ZipMethod;
}

export class ZipFormatError extends Error {
  override readonly name = 'ZipFormatError';
}

/**
 * Parse an archive strictly: one end record at the very end, a central directory that lists
 * every entry, local headers that agree with it. Compressed data is returned as stored; see
 * `inflateEntry`. Throws ZipFormatError for anything else (truncation, trailing bytes, ZIP64 ...).
 */
export function readZip(buf: Uint8Array): ReadEntry[] {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length < 22) throw new ZipFormatError('not a ZIP archive (too short: truncated?)');
  const endAt = b.length - 22;
  if (b.readUInt32LE(endAt) !== END_SIG)
    throw new ZipFormatError('no ZIP end record at the end of the file (truncated, or bytes appended)');
  const count = b.readUInt16LE(endAt + 10);
  const cdSize = b.readUInt32LE(endAt + 12);
  const cdStart = b.readUInt32LE(endAt + 16);
  if (
    b.readUInt16LE(endAt + 4) !== 0 ||
    b.readUInt16LE(endAt + 6) !== 0 ||
    b.readUInt16LE(endAt + 8) !== count
  )
    throw new ZipFormatError('multi-disk ZIP archives are not bundles');
  if (b.readUInt16LE(endAt + 20) !== 0) throw new ZipFormatError('the ZIP end record has a comment');
  if (cdStart + cdSize !== endAt)
    throw new ZipFormatError('the ZIP central directory is not where the end record says');
  const entries: ReadEntry[] = [];
  let p = cdStart;
  for (let i = 0; i < count; i++) {
    if (p + 46 > endAt || b.readUInt32LE(p) !== CENTRAL_SIG)
      throw new ZipFormatError(`central directory entry ${i + 1} of ${count} is damaged`);
    const methodCode = b.readUInt16LE(p + 10);
    const crc = b.readUInt32LE(p + 16);
    const csize = b.readUInt32LE(p + 20);
    const usize = b.readUInt32LE(p + 24);
    const nameLen = b.readUInt16LE(p + 28);
    const extraLen = b.readUInt16LE(p + 30);
    const commentLen = b.readUInt16LE(p + 32);
    const localAt = b.readUInt32LE(p + 42);
    if (p + 46 + nameLen + extraLen + commentLen > endAt)
      throw new ZipFormatError(`central directory entry ${i + 1} runs past the directory`);
    const nameBytes = b.subarray(p + 46, p + 46 + nameLen);
    const name = new TextDecoder('utf-8', { fatal: true }).decode(nameBytes);
    const method: ZipMethod | undefined =
      methodCode === 0 ? 'store' : methodCode === 8 ? 'deflate' : undefined;
    if (!method) throw new ZipFormatError(`${name}: unsupported compression method ${methodCode}`);
    if (localAt + 30 > cdStart || b.readUInt32LE(localAt) !== LOCAL_SIG)
      throw new ZipFormatError(`${name}: local header missing or damaged`);
    const localNameLen = b.readUInt16LE(localAt + 26);
    const localExtraLen = b.readUInt16LE(localAt + 28);
    const dataAt = localAt + 30 + localNameLen + localExtraLen;
    if (dataAt + csize > cdStart) throw new ZipFormatError(`${name}: data runs past the central directory`);
    if (method === 'store' && csize !== usize)
      throw new ZipFormatError(`${name}: stored entry with two sizes`);
    entries.push({ name, method, stored: b.subarray(dataAt, dataAt + csize), crc32: crc, size: usize });
    p += 46 + nameLen + extraLen + commentLen;
  }
  if (p !== endAt) throw new ZipFormatError('bytes between the central directory and the end record');
  return entries;
}

/** The uncompressed bytes of an entry; never more than its declared size (no ZIP bombs). */
export function inflateEntry(entry: ZipEntry): Buffer {
  if (entry.method === 'store')
    return Buffer.from(entry.stored.buffer, entry.stored.byteOffset, entry.stored.byteLength);
  // Inflating is unambiguous, so node:zlib (fast) is fine here even though deflate output is not.
  // One output chunk of the declared size: no concatenation of many small ones.
  const size = Math.max(1, entry.size);
  return zlib.inflateRawSync(entry.stored, {
    maxOutputLength: size,
    chunkSize: Math.min(Math.max(size + 1, 64), 1 << 30),
  });
}

/**
 * True when `buf` is exactly the archive the writer makes from these entries and timestamp:
 * with the compressed streams pinned elsewhere (the manifest), this accounts for every byte.
 * Returns the offset of the first differing byte, or -1.
 */
export function firstDifferenceFromCanonical(buf: Uint8Array, entries: ZipEntry[], mtime: string): number {
  let offset = 0;
  for (const chunk of zipChunks(entries, mtime)) {
    if (offset + chunk.length > buf.length) {
      for (let i = 0; offset + i < buf.length; i++) if (buf[offset + i] !== chunk[i]) return offset + i;
      return buf.length;
    }
    if (!Buffer.from(buf.buffer, buf.byteOffset + offset, chunk.length).equals(chunk)) {
      for (let i = 0; i < chunk.length; i++) if (buf[offset + i] !== chunk[i]) return offset + i;
    }
    offset += chunk.length;
  }
  return offset === buf.length ? -1 : offset;
}
