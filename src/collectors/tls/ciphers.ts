import type { TlsVersion } from '../../snapshot/schema.js';

/** Why a cipher suite counts as weak. */
export const WEAKNESS = {
  null: 'no encryption at all (NULL cipher)',
  export: 'export-grade key of 40-56 bits, broken in minutes (FREAK, Logjam)',
  rc4: 'RC4 keystream biases recover plaintext (RFC 7465 forbids it)',
  des: 'single DES, 56-bit key, brute-forced in hours',
  '3des': '64-bit block cipher, plaintext recovery after ~32 GB (Sweet32)',
  md5: 'MD5 message authentication',
  anon: 'anonymous key exchange: no server authentication, trivially intercepted',
  'cbc-sha1': 'CBC with SHA-1 MAC under TLS 1.0/1.1 (BEAST, Lucky13, POODLE-style padding oracles)',
} as const;
export type Weakness = keyof typeof WEAKNESS;

export interface SuiteInfo {
  code: number;
  /** IANA name, the form stored on entities */
  name: string;
  /** OpenSSL name, to cross-check the table against `openssl ciphers -V` */
  openssl: string;
  /** weak under every version; `cbc-sha1` suites only under TLS 1.0 and 1.1 */
  weakness: Weakness | null;
}

const s = (code: number, name: string, openssl: string, weakness: Weakness | null): SuiteInfo => ({
  code,
  name,
  openssl,
  weakness,
});

/**
 * The suites the prober offers in handcrafted ClientHellos. Weak ones are tried for each version a
 * server accepts; the rest only confirm that a version is accepted at all when Node's own OpenSSL
 * (which leaves RC4, DES and 3DES out) cannot complete a handshake. Codes from the IANA TLS registry.
 */
export const SUITES: readonly SuiteInfo[] = [
  // no encryption
  s(0x0001, 'TLS_RSA_WITH_NULL_MD5', 'NULL-MD5', 'null'),
  s(0x0002, 'TLS_RSA_WITH_NULL_SHA', 'NULL-SHA', 'null'),
  s(0x003b, 'TLS_RSA_WITH_NULL_SHA256', 'NULL-SHA256', 'null'),
  s(0xc006, 'TLS_ECDHE_ECDSA_WITH_NULL_SHA', 'ECDHE-ECDSA-NULL-SHA', 'null'),
  s(0xc010, 'TLS_ECDHE_RSA_WITH_NULL_SHA', 'ECDHE-RSA-NULL-SHA', 'null'),
  s(0xc015, 'TLS_ECDH_anon_WITH_NULL_SHA', 'AECDH-NULL-SHA', 'null'),
  // export grade
  s(0x0003, 'TLS_RSA_EXPORT_WITH_RC4_40_MD5', 'EXP-RC4-MD5', 'export'),
  s(0x0006, 'TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5', 'EXP-RC2-CBC-MD5', 'export'),
  s(0x0008, 'TLS_RSA_EXPORT_WITH_DES40_CBC_SHA', 'EXP-DES-CBC-SHA', 'export'),
  s(0x0014, 'TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA', 'EXP-DHE-RSA-DES-CBC-SHA', 'export'),
  s(0x0062, 'TLS_RSA_EXPORT1024_WITH_DES_CBC_SHA', 'EXP1024-DES-CBC-SHA', 'export'),
  s(0x0064, 'TLS_RSA_EXPORT1024_WITH_RC4_56_SHA', 'EXP1024-RC4-SHA', 'export'),
  // RC4
  s(0x0004, 'TLS_RSA_WITH_RC4_128_MD5', 'RC4-MD5', 'rc4'),
  s(0x0005, 'TLS_RSA_WITH_RC4_128_SHA', 'RC4-SHA', 'rc4'),
  s(0xc007, 'TLS_ECDHE_ECDSA_WITH_RC4_128_SHA', 'ECDHE-ECDSA-RC4-SHA', 'rc4'),
  s(0xc011, 'TLS_ECDHE_RSA_WITH_RC4_128_SHA', 'ECDHE-RSA-RC4-SHA', 'rc4'),
  // single DES
  s(0x0009, 'TLS_RSA_WITH_DES_CBC_SHA', 'DES-CBC-SHA', 'des'),
  s(0x0015, 'TLS_DHE_RSA_WITH_DES_CBC_SHA', 'DHE-RSA-DES-CBC-SHA', 'des'),
  // triple DES
  s(0x000a, 'TLS_RSA_WITH_3DES_EDE_CBC_SHA', 'DES-CBC3-SHA', '3des'),
  s(0x0016, 'TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA', 'DHE-RSA-DES-CBC3-SHA', '3des'),
  s(0xc008, 'TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA', 'ECDHE-ECDSA-DES-CBC3-SHA', '3des'),
  s(0xc012, 'TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA', 'ECDHE-RSA-DES-CBC3-SHA', '3des'),
  // anonymous key exchange
  s(0x0018, 'TLS_DH_anon_WITH_RC4_128_MD5', 'ADH-RC4-MD5', 'anon'),
  s(0x001b, 'TLS_DH_anon_WITH_3DES_EDE_CBC_SHA', 'ADH-DES-CBC3-SHA', 'anon'),
  s(0x0034, 'TLS_DH_anon_WITH_AES_128_CBC_SHA', 'ADH-AES128-SHA', 'anon'),
  s(0x003a, 'TLS_DH_anon_WITH_AES_256_CBC_SHA', 'ADH-AES256-SHA', 'anon'),
  s(0x006c, 'TLS_DH_anon_WITH_AES_128_CBC_SHA256', 'ADH-AES128-SHA256', 'anon'),
  s(0x006d, 'TLS_DH_anon_WITH_AES_256_CBC_SHA256', 'ADH-AES256-SHA256', 'anon'),
  s(0x00a6, 'TLS_DH_anon_WITH_AES_128_GCM_SHA256', 'ADH-AES128-GCM-SHA256', 'anon'),
  s(0x00a7, 'TLS_DH_anon_WITH_AES_256_GCM_SHA384', 'ADH-AES256-GCM-SHA384', 'anon'),
  s(0xc018, 'TLS_ECDH_anon_WITH_AES_128_CBC_SHA', 'AECDH-AES128-SHA', 'anon'),
  s(0xc019, 'TLS_ECDH_anon_WITH_AES_256_CBC_SHA', 'AECDH-AES256-SHA', 'anon'),
  // CBC with SHA-1: weak under TLS 1.0/1.1 only
  s(0x002f, 'TLS_RSA_WITH_AES_128_CBC_SHA', 'AES128-SHA', 'cbc-sha1'),
  s(0x0035, 'TLS_RSA_WITH_AES_256_CBC_SHA', 'AES256-SHA', 'cbc-sha1'),
  s(0x0033, 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA', 'DHE-RSA-AES128-SHA', 'cbc-sha1'),
  s(0x0039, 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA', 'DHE-RSA-AES256-SHA', 'cbc-sha1'),
  s(0x0041, 'TLS_RSA_WITH_CAMELLIA_128_CBC_SHA', 'CAMELLIA128-SHA', 'cbc-sha1'),
  s(0x0084, 'TLS_RSA_WITH_CAMELLIA_256_CBC_SHA', 'CAMELLIA256-SHA', 'cbc-sha1'),
  s(0x0045, 'TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA', 'DHE-RSA-CAMELLIA128-SHA', 'cbc-sha1'),
  s(0x0088, 'TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA', 'DHE-RSA-CAMELLIA256-SHA', 'cbc-sha1'),
  s(0x0096, 'TLS_RSA_WITH_SEED_CBC_SHA', 'SEED-SHA', 'cbc-sha1'),
  s(0x0007, 'TLS_RSA_WITH_IDEA_CBC_SHA', 'IDEA-CBC-SHA', 'cbc-sha1'),
  s(0xc009, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA', 'ECDHE-ECDSA-AES128-SHA', 'cbc-sha1'),
  s(0xc00a, 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA', 'ECDHE-ECDSA-AES256-SHA', 'cbc-sha1'),
  s(0xc013, 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'ECDHE-RSA-AES128-SHA', 'cbc-sha1'),
  s(0xc014, 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA', 'ECDHE-RSA-AES256-SHA', 'cbc-sha1'),
  // sound suites, offered only to confirm that a TLS 1.2 server answers at all
  s(0xc02f, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'ECDHE-RSA-AES128-GCM-SHA256', null),
  s(0xc030, 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'ECDHE-RSA-AES256-GCM-SHA384', null),
  s(0xc02b, 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'ECDHE-ECDSA-AES128-GCM-SHA256', null),
  s(0xc02c, 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 'ECDHE-ECDSA-AES256-GCM-SHA384', null),
  s(0xcca8, 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', 'ECDHE-RSA-CHACHA20-POLY1305', null),
  s(0xcca9, 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', 'ECDHE-ECDSA-CHACHA20-POLY1305', null),
  s(0x009e, 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', 'DHE-RSA-AES128-GCM-SHA256', null),
  s(0x009f, 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384', 'DHE-RSA-AES256-GCM-SHA384', null),
  s(0x009c, 'TLS_RSA_WITH_AES_128_GCM_SHA256', 'AES128-GCM-SHA256', null),
  s(0x009d, 'TLS_RSA_WITH_AES_256_GCM_SHA384', 'AES256-GCM-SHA384', null),
  s(0xc027, 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', 'ECDHE-RSA-AES128-SHA256', null),
  s(0xc028, 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384', 'ECDHE-RSA-AES256-SHA384', null),
  s(0xc023, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256', 'ECDHE-ECDSA-AES128-SHA256', null),
  s(0xc024, 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384', 'ECDHE-ECDSA-AES256-SHA384', null),
  s(0x003c, 'TLS_RSA_WITH_AES_128_CBC_SHA256', 'AES128-SHA256', null),
  s(0x003d, 'TLS_RSA_WITH_AES_256_CBC_SHA256', 'AES256-SHA256', null),
  s(0x0067, 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256', 'DHE-RSA-AES128-SHA256', null),
  s(0x006b, 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256', 'DHE-RSA-AES256-SHA256', null),
];

const byCode = new Map(SUITES.map((x) => [x.code, x]));
const byName = new Map(SUITES.map((x) => [x.name, x]));

export function suiteName(code: number): string {
  return byCode.get(code)?.name ?? `0x${code.toString(16).padStart(4, '0').toUpperCase()}`;
}

/**
 * Why a suite negotiated under `version` is weak, or null. Works on IANA names so that suites
 * outside the table (as Node reports them in `standardName`) are judged too.
 */
export function weaknessOf(name: string, version: TlsVersion): Weakness | null {
  const known = byName.get(name)?.weakness;
  const legacy = version === '1.0' || version === '1.1';
  if (known !== undefined && known !== null) return known === 'cbc-sha1' && !legacy ? null : known;
  if (name.startsWith('TLS_AES_') || name.startsWith('TLS_CHACHA20_')) return null;
  if (/_WITH_NULL_|NULL_WITH_NULL/.test(name)) return 'null';
  if (/EXPORT/.test(name)) return 'export';
  if (/_anon_/.test(name)) return 'anon';
  if (/_RC4_/.test(name)) return 'rc4';
  if (/_3DES_/.test(name)) return '3des';
  if (/_DES(40)?_CBC_/.test(name)) return 'des';
  if (/_MD5$/.test(name)) return 'md5';
  if (legacy && /_CBC_SHA$/.test(name)) return 'cbc-sha1';
  return null;
}

/** The weak suites to offer a server that accepts `version` (SHA-256 and GCM suites exist only from TLS 1.2). */
export function weakSuitesFor(version: TlsVersion): SuiteInfo[] {
  if (version === '1.3') return [];
  const legacy = version === '1.0' || version === '1.1';
  return SUITES.filter((x) => {
    if (x.weakness === null) return false;
    if (x.weakness === 'cbc-sha1' && !legacy) return false;
    if (legacy && /_SHA256$|_SHA384$|_GCM_/.test(x.name)) return false;
    return true;
  });
}

/** Every suite in the table that can be negotiated under `version`: to confirm a version is accepted. */
export function allSuitesFor(version: TlsVersion): SuiteInfo[] {
  const legacy = version === '1.0' || version === '1.1';
  return SUITES.filter((x) => !(legacy && /_SHA256$|_SHA384$|_GCM_|CHACHA20/.test(x.name)));
}
