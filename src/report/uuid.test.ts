import { describe, expect, it } from 'vitest';
import { uuidV5 } from './uuid.js';

describe('uuidV5', () => {
  it('matches the RFC 4122 version-5 algorithm (DNS namespace, "python.org")', () => {
    expect(uuidV5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '886313e1-3b8a-5372-9b90-0c9aee199e5d',
    );
  });

  it('is stable and distinct per name, and carries version 5 and the RFC variant', () => {
    const a = uuidV5('risk:plant:check:storage.encrypted_at_rest');
    expect(uuidV5('risk:plant:check:storage.encrypted_at_rest')).toBe(a);
    expect(uuidV5('risk:plant:check:storage.tls_only')).not.toBe(a);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
