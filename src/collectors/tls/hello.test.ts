import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildClientHello, parseServerReply } from './hello.js';

const replies = JSON.parse(
  readFileSync(new URL('./__fixtures__/server-replies.json', import.meta.url), 'utf8'),
) as Record<string, string>;
const bytes = (name: string) => Buffer.from(replies[name] ?? '', 'hex');

describe('buildClientHello', () => {
  it('writes a TLS handshake record with the offered suites and SNI', () => {
    const hello = buildClientHello('1.1', [0x000a, 0xc012], 'plc1.plant.example');
    expect(hello[0]).toBe(0x16);
    expect(hello.readUInt16BE(3)).toBe(hello.length - 5);
    expect(hello[5]).toBe(1); // ClientHello
    expect(hello.readUInt16BE(9)).toBe(0x0302); // client_version TLS 1.1
    const suitesAt = 9 + 2 + 32 + 1;
    expect(hello.readUInt16BE(suitesAt)).toBe(4);
    expect(hello.readUInt16BE(suitesAt + 2)).toBe(0x000a);
    expect(hello.readUInt16BE(suitesAt + 4)).toBe(0xc012);
    expect(hello.includes(Buffer.from('plc1.plant.example'))).toBe(true);
  });
});

describe('parseServerReply (recorded replies)', () => {
  it('reads version and suite of TLS 1.0, 1.2 and 1.3 ServerHellos', () => {
    expect(parseServerReply(bytes('tls10-serverhello-cbc-sha'))).toMatchObject({
      kind: 'hello',
      version: '1.0',
    });
    expect(parseServerReply(bytes('tls12-serverhello'))).toEqual({
      kind: 'hello',
      version: '1.2',
      cipher: 0xc030,
    });
    // legacy_version says 1.2; supported_versions says 1.3
    expect(parseServerReply(bytes('tls13-serverhello'))).toMatchObject({ kind: 'hello', version: '1.3' });
  });

  it('reads alerts', () => {
    expect(parseServerReply(bytes('alert-protocol-version'))).toEqual({
      kind: 'alert',
      level: 2,
      description: 70,
    });
    expect(parseServerReply(bytes('alert-handshake-failure'))).toEqual({
      kind: 'alert',
      level: 2,
      description: 40,
    });
  });

  it('waits for the rest of a record, and calls anything else garbage', () => {
    const full = bytes('tls12-serverhello');
    expect(parseServerReply(full.subarray(0, 20))).toEqual({ kind: 'incomplete' });
    expect(parseServerReply(Buffer.from('HTTP/1.1 400 Bad Request\r\n'))).toMatchObject({ kind: 'garbage' });
    expect(parseServerReply(Buffer.from([0x16, 0x03, 0x03, 0x00, 0x04, 0x0b, 0, 0, 0]))).toMatchObject({
      kind: 'garbage',
    });
  });
});
