import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SUITES, suiteName, weaknessOf, weakSuitesFor } from './ciphers.js';

describe('cipher suite table', () => {
  it('has each code and name once', () => {
    expect(new Set(SUITES.map((s) => s.code)).size).toBe(SUITES.length);
    expect(new Set(SUITES.map((s) => s.name)).size).toBe(SUITES.length);
  });

  it('agrees with `openssl ciphers -V` on every suite this OpenSSL knows', () => {
    const listing = execFileSync('openssl', ['ciphers', '-V', 'ALL:COMPLEMENTOFALL:eNULL:@SECLEVEL=0'], {
      encoding: 'utf8',
    });
    const known = new Map<string, number>();
    for (const line of listing.split('\n')) {
      const m = /0x([0-9A-F]{2}),0x([0-9A-F]{2})\s+-\s+(\S+)/.exec(line);
      if (m) known.set(m[3] ?? '', Number.parseInt(`${m[1]}${m[2]}`, 16));
    }
    const checked = SUITES.filter((s) => known.has(s.openssl));
    // RC4, DES, 3DES and export suites are compiled out of current OpenSSL builds; the rest must match
    expect(checked.length).toBeGreaterThan(30);
    for (const s of checked) expect(known.get(s.openssl), s.name).toBe(s.code);
  });
});

describe('weaknessOf', () => {
  it('judges suites by what they are, and CBC-SHA1 only under TLS 1.0/1.1', () => {
    expect(weaknessOf('TLS_RSA_WITH_3DES_EDE_CBC_SHA', '1.2')).toBe('3des');
    expect(weaknessOf('TLS_ECDHE_RSA_WITH_RC4_128_SHA', '1.2')).toBe('rc4');
    expect(weaknessOf('TLS_RSA_WITH_NULL_SHA256', '1.2')).toBe('null');
    expect(weaknessOf('TLS_DH_anon_WITH_AES_128_GCM_SHA256', '1.2')).toBe('anon');
    expect(weaknessOf('TLS_RSA_EXPORT_WITH_RC4_40_MD5', '1.0')).toBe('export');
    expect(weaknessOf('TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', '1.0')).toBe('cbc-sha1');
    expect(weaknessOf('TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', '1.2')).toBeNull();
    expect(weaknessOf('TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', '1.2')).toBeNull();
    expect(weaknessOf('TLS_AES_256_GCM_SHA384', '1.3')).toBeNull();
    // not in the table: judged by name
    expect(weaknessOf('TLS_KRB5_WITH_3DES_EDE_CBC_SHA', '1.2')).toBe('3des');
    expect(weaknessOf('TLS_PSK_WITH_AES_128_CBC_SHA', '1.1')).toBe('cbc-sha1');
  });

  it('offers only suites a server could pick under each version', () => {
    expect(weakSuitesFor('1.3')).toEqual([]);
    expect(weakSuitesFor('1.0').some((s) => s.name.endsWith('_GCM_SHA256'))).toBe(false);
    expect(weakSuitesFor('1.2').some((s) => s.weakness === 'cbc-sha1')).toBe(false);
    expect(weakSuitesFor('1.1').some((s) => s.weakness === 'cbc-sha1')).toBe(true);
    expect(suiteName(0x000a)).toBe('TLS_RSA_WITH_3DES_EDE_CBC_SHA');
    expect(suiteName(0x1301)).toBe('0x1301');
  });
});
