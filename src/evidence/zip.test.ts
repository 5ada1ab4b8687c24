import { execFileSync } from 'node:child_process';
import { mkdtemp, open, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { deflateFileSync, SMALL_FILE_MAX } from './deflate.js';
import { dosDateTime, inflateEntry, makeEntry, readZip, writeZip, ZipFormatError, zipChunks } from './zip.js';

const entries = () => [
  makeEntry('b/one.txt', Buffer.from('hello, auditor\n'), 'deflate'),
  makeEntry('b/two.json', Buffer.from('{"a":1}\n'), 'store'),
  makeEntry('b/empty', Buffer.alloc(0), 'deflate'),
];

describe('zip', () => {
  it('writes DOS timestamps from UTC, whatever the local time zone', () => {
    expect(dosDateTime('2026-11-22T08:15:00.000Z')).toEqual({
      date: ((2026 - 1980) << 9) | (11 << 5) | 22,
      time: (8 << 11) | (15 << 5) | 0,
    });
    expect(() => dosDateTime('1979-12-31T23:59:59Z')).toThrow(RangeError);
  });

  it('round-trips, and other tools read what it writes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pp-zip-'));
    const file = join(dir, 'b.zip');
    const h = await open(file, 'w');
    await writeZip(h, entries(), '2026-11-22T08:15:00.000Z');
    await h.close();
    const bytes = await readFile(file);
    const read = readZip(bytes);
    expect(read.map((e) => [e.name, e.method, inflateEntry(e).toString()])).toEqual([
      ['b/one.txt', 'deflate', 'hello, auditor\n'],
      ['b/two.json', 'store', '{"a":1}\n'],
      ['b/empty', 'deflate', ''],
    ]);
    const viaFflate = unzipSync(bytes);
    expect(Buffer.from(viaFflate['b/one.txt']!).toString()).toBe('hello, auditor\n');
    let unzipAvailable = true;
    try {
      execFileSync('unzip', ['-v'], { stdio: 'ignore' });
    } catch {
      unzipAvailable = false;
    }
    if (unzipAvailable) {
      const listing = execFileSync('unzip', ['-l', file], {
        encoding: 'utf8',
        env: { ...process.env, TZ: 'UTC' },
      });
      expect(listing).toMatch(/2026-11-22 08:15\s+b\/one\.txt|11-22-2026 08:15\s+b\/one\.txt/);
      execFileSync('unzip', ['-tq', file]);
    }
    expect(Buffer.concat([...zipChunks(entries(), '2026-11-22T08:15:00.000Z')]).equals(bytes)).toBe(true);
  });

  it('rejects what it would not have written', () => {
    const bytes = Buffer.concat([...zipChunks(entries(), '2026-11-22T08:15:00.000Z')]);
    expect(() => readZip(bytes.subarray(0, bytes.length - 1))).toThrow(ZipFormatError);
    expect(() => readZip(Buffer.concat([bytes, Buffer.from([0])]))).toThrow(ZipFormatError);
    expect(() => readZip(Buffer.from('not a zip at all, not even close'))).toThrow(ZipFormatError);
    const bomb = readZip(bytes)[0]!;
    expect(() => inflateEntry({ ...bomb, size: 3 })).toThrow();
  });

  it('compresses deterministically, large files included', () => {
    const big = Buffer.alloc(SMALL_FILE_MAX + 1000, 'abc123');
    const a = deflateFileSync(big);
    expect(Buffer.from(deflateFileSync(big)).equals(Buffer.from(a))).toBe(true);
    expect(inflateEntry(makeEntry('x', big, 'deflate', a)).equals(big)).toBe(true);
  });
});
