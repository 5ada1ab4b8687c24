import { describe, expect, it } from 'vitest';
import { pseudonym, redact } from './redact.js';

describe('redact', () => {
  it('replaces secret fields and secret-looking values, listing pointers not values', () => {
    const input = {
      name: 'bucket-a',
      Password: 'hunter2',
      nested: { clientSecret: 'abc', passwordMinLength: 12, keyId: 'arn:aws:kms:eu-central-1:1:key/x' },
      env: { DB_URL: 'x' },
      list: ['-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----', 'plain'],
      conn: 'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=Zm9vYmFy==;EndpointSuffix=core',
      akid: 'AKIAIOSFODNN7EXAMPLE',
      url: 'https://admin:s3cret@historian.local/api',
      jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefghijklmnop',
    };
    const { value, paths } = redact(input, '/raw');
    const out = JSON.stringify(value);
    for (const secret of [
      'hunter2',
      '"abc"',
      'MIIE',
      'Zm9vYmFy',
      'AKIAIOSFODNN7EXAMPLE',
      's3cret',
      'eyJhbGci',
    ]) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('bucket-a');
    expect(out).toContain('"passwordMinLength":12');
    expect(out).toContain('arn:aws:kms');
    expect(out).toContain('plain');
    expect(paths).toEqual(
      expect.arrayContaining([
        '/raw/Password',
        '/raw/nested/clientSecret',
        '/raw/env',
        '/raw/list/0',
        '/raw/conn',
      ]),
    );
    expect((value as { Password: string }).Password).toMatch(/^\[REDACTED sha256:[0-9a-f]{12}\]$/);
  });

  it('pseudonymizes with a keyed hash, stable per key', () => {
    expect(pseudonym('Anna.Novak@acme.example', 'k1')).toBe(pseudonym('anna.novak@acme.example', 'k1'));
    expect(pseudonym('anna', 'k1')).not.toBe(pseudonym('anna', 'k2'));
    expect(pseudonym('anna', 'k1')).not.toContain('anna');
  });
});

describe('secret field names', () => {
  it('matches secret names and endings, not look-alikes', async () => {
    const { isSecretKey } = await import('./redact.js');
    for (const k of [
      'password',
      'userPassword',
      'client_secret',
      'apiKey',
      'SecretAccessKey',
      'unicodePwd',
      'sas',
      'env',
      'Authorization',
      'AccountKey',
      'msDS-ManagedPassword',
      'connectionString',
    ])
      expect(isSecretKey(k), k).toBe(true);
    for (const k of [
      'signatureAlgorithm',
      'accessKeys',
      'bypass',
      'authorizationSource',
      'passwordLastSetAt',
      'passwordChanged',
      'lastPasswordChangeDateTime',
      'passwordMinLength',
      'keySource',
      'pwdLastSet',
      'tokenLifetimeMinutes',
      'credentials',
    ])
      expect(isSecretKey(k), k).toBe(false);
  });

  it('keeps flags, counts and empty containers under secret names', () => {
    const { value } = redact({ password: {}, token: null, secret: true, passwords: 3 });
    expect(value).toEqual({ password: {}, token: null, secret: true, passwords: 3 });
  });
});
