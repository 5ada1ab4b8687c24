import { describe, expect, it } from 'vitest';
import { looksSecret, redactionMarker } from '../snapshot/redact.js';
import { SEEDED_SECRETS } from './__fixtures__/plant.js';
import {
  mayContainSecret,
  mightLookSecret,
  redactYamlText,
  rescrub,
  sanitizeResults,
  serializeResults,
} from './scrub.js';

describe('scrub', () => {
  it('the cheap screen never waves through what looksSecret would catch', () => {
    const samples = [
      ...SEEDED_SECRETS,
      'Pwd=x',
      'a://b:c@h',
      '?sig=abcdefghijklmnopqrstuvwxyz',
      'ghp_abcdefghijklmnopqrstuvwxyzABCDEFGHIJ01',
      `00${'a'.repeat(40)}`,
      'Bearer abcdefghijklmnopqrstu',
    ];
    for (const s of samples) if (looksSecret(s)) expect(mightLookSecret(s), s).toBe(true);
    expect(mightLookSecret('eu-central-1')).toBe(false);
    expect(mightLookSecret('aws:s3:acme-bucket-1')).toBe(false);
  });

  it('re-redacting is idempotent: existing markers stay as they are', () => {
    const marker = redactionMarker('hunter2');
    const value = { password: marker, nested: { token: 'abc-live', ok: 'plain' } };
    const r = rescrub(value, '/p');
    expect(r.paths).toEqual(['/p/nested/token']);
    expect(r.value).toEqual({
      password: marker,
      nested: { token: redactionMarker('abc-live'), ok: 'plain' },
    });
    const clean = { password: marker, note: 'fine' };
    expect(rescrub(clean).value).toBe(clean);
  });

  it('redacts YAML in place, keeping layout and comments, and leaves clean YAML byte for byte', () => {
    const clean = '# plant\nversion: 1 # first\nscope: { name: x }\n';
    expect(redactYamlText(clean)).toEqual({ text: clean, paths: [] });
    const dirty = `# deploy with Bearer ${'z'.repeat(24)}\nversion: 1\ncollectors:\n  - type: ldap # directory\n    url: ldaps://dc.example\n    bindPassword: "${SEEDED_SECRETS[0]}"\nowners:\n  default: postgres://a:${SEEDED_SECRETS[7]}@h/x\n`;
    const red = redactYamlText(dirty);
    expect(red.paths).toEqual(['(comments)', '/collectors/0/bindPassword', '/owners/default']);
    expect(red.text).not.toContain(SEEDED_SECRETS[0]);
    expect(red.text).not.toContain(SEEDED_SECRETS[7]);
    expect(red.text).not.toContain('z'.repeat(24));
    expect(red.text).toContain('# directory');
    expect(red.text).toContain('url: ldaps://dc.example');
    expect(red.text).toMatch(/bindPassword: "\[REDACTED sha256:[0-9a-f]{12}\]"/);
  });

  it('sanitizes results only when something looks secret', () => {
    const results = { sources: [{ error: 'timeout' }], checks: [{ message: 'ok' }] };
    expect(sanitizeResults(results).results).toBe(results);
    const dirty = { sources: [{ error: `denied for ${SEEDED_SECRETS[1]}` }] };
    const s = sanitizeResults(dirty);
    expect(s.paths).toEqual(['/sources/0/error']);
    expect(serializeResults(s.results)).not.toContain(SEEDED_SECRETS[1]);
    expect(mayContainSecret(serializeResults(s.results))).toBe(false);
    expect(mayContainSecret(`x\n${SEEDED_SECRETS[2]}\n`)).toBe(true);
  });
});
