import { describe, expect, it } from 'vitest';
import { completeRangedAttributes, guidToString, sidToString, toDirEntry } from './client.js';
import type { DirEntry } from './schema.js';

describe('binary attributes', () => {
  it('formats SIDs, including builtin ones', () => {
    // S-1-5-32-544 (BUILTIN\Administrators)
    const builtin = Buffer.from([1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 0x02, 0, 0]);
    expect(sidToString(builtin)).toBe('S-1-5-32-544');
    expect(sidToString(Buffer.from([1, 5, 0]))).toBeNull();
  });

  it('formats GUIDs in the mixed-endian order AD stores them', () => {
    const bytes = Buffer.from('33221100554477668899aabbccddeeff', 'hex');
    expect(guidToString(bytes)).toBe('00112233-4455-6677-8899-aabbccddeeff');
    expect(guidToString(Buffer.alloc(3))).toBeNull();
  });

  it('lower-cases attribute names and keeps every value as text', () => {
    const e = toDirEntry({
      dn: 'cn=x',
      sAMAccountName: 'x',
      memberOf: ['a', 'b'],
      objectSid: Buffer.from([1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0]),
    });
    expect(e).toEqual({
      dn: 'cn=x',
      attrs: { samaccountname: ['x'], memberof: ['a', 'b'], objectsid: ['S-1-5-18'] },
    });
  });
});

describe('completeRangedAttributes', () => {
  it('fetches the rest of a ranged member attribute page by page', async () => {
    const members = Array.from({ length: 7 }, (_, i) => `cn=u${i},dc=x`);
    const asked: string[] = [];
    const fetch = async (_dn: string, attribute: string): Promise<DirEntry> => {
      asked.push(attribute);
      const start = Number(/range=(\d+)-/.exec(attribute)?.[1]);
      const end = Math.min(start + 2, members.length - 1);
      const last = end === members.length - 1;
      return {
        dn: 'cn=g',
        attrs: { [`member;range=${start}-${last ? '*' : end}`]: members.slice(start, end + 1) },
      };
    };
    const first: DirEntry = { dn: 'cn=g', attrs: { cn: ['g'], 'member;range=0-1': members.slice(0, 2) } };
    const done = await completeRangedAttributes(first, fetch);
    expect(done.attrs.member).toEqual(members);
    expect(done.attrs.cn).toEqual(['g']);
    expect(asked).toEqual(['member;range=2-*', 'member;range=5-*']);
  });
});
