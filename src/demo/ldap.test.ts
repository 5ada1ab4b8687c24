import { afterEach, describe, expect, it, vi } from 'vitest';
import { ldapCollector } from '../collectors/ldap/index.js';
import { runCollector } from '../collectors/run.js';
import type { EntityInput } from '../snapshot/schema.js';
import { EXAMPLE_DIR } from './index.js';
import { findSlapd, ldapDemoService, shiftGeneralizedTimes } from './ldap.js';

type Of<K extends string> = Extract<EntityInput, { kind: K }>;

describe('shiftGeneralizedTimes', () => {
  it('moves LDAP times by whole days and leaves the permanent-lock marker alone', () => {
    const ldif = 'pwdLastSuccess: 20261120061212Z\npwdAccountLockedTime: 000001010000Z\n';
    expect(shiftGeneralizedTimes(ldif, 12)).toBe(
      'pwdLastSuccess: 20261202061212Z\npwdAccountLockedTime: 000001010000Z\n',
    );
    expect(shiftGeneralizedTimes(ldif, 0)).toBe(ldif);
  });
});

describe('LDAP demo service', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('skips itself with a message when slapd is not installed', async () => {
    vi.stubEnv('PLANTPROOF_SLAPD', '/nonexistent/slapd');
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const started = await ldapDemoService.start({ exampleDir: EXAMPLE_DIR });
    expect(started.collectors).toEqual([]);
    expect(String(write.mock.calls[0]?.[0])).toMatch(
      /slapd is not installed .*skipping the LDAP directory demo/,
    );
    await started.close();
  });

  it.skipIf(!findSlapd() && process.env.PLANTPROOF_SKIP_SERVER_TESTS === '1')(
    "serves the demo plant's directory over StartTLS to a read-only bind",
    async () => {
      const started = await ldapDemoService.start({ exampleDir: EXAMPLE_DIR });
      try {
        const [entry] = started.collectors;
        const { type, ...raw } = entry ?? { type: '' };
        expect(type).toBe('ldap');
        const { source, entities } = await runCollector(
          'ldap',
          ldapCollector.options.parse(raw),
          EXAMPLE_DIR,
          {
            env: { ...process.env, ...started.env },
          },
        );
        expect(source).toMatchObject({ id: 'ldap:acme-plant.local', status: 'ok', gaps: [] });
        const users = new Map(
          entities.filter((e): e is Of<'user'> => e.kind === 'user').map((u) => [u.username, u]),
        );
        expect(users.get('t.becker')).toMatchObject({ status: 'disabled', privileged: true });
        expect(users.get('p.klein')?.status).toBe('locked');
        expect(users.get('a.fischer')).toMatchObject({ privileged: true }); // OT Admins, nested in Domain Admins
        expect(users.get('svc-backup')).toMatchObject({ userType: 'service', privileged: true });
        expect(users.get('vendor.rockwell')?.groups).toEqual(['Vendor Remote Access']);
        const stale = Date.parse(users.get('r.hoffmann')?.lastLoginAt ?? '');
        expect((Date.now() - stale) / 86_400_000).toBeGreaterThan(200);
        // ids come from the seeded entryUUIDs: the same on every run
        expect(users.get('j.meier')?.id).toBe(
          'ldap:acme-plant.local:user:7f5be513-93bd-5640-ba7e-05865a7a59a1',
        );
        const policy = entities.find(
          (e): e is Of<'identity_policy'> => e.kind === 'identity_policy' && e.appliesToAll === true,
        );
        expect(policy).toMatchObject({ passwordMinLength: 8, lockoutThreshold: 5 });
        expect(entities.find((e) => e.kind === 'account')).toMatchObject({ transportSecurity: 'starttls' });
      } finally {
        await started.close();
      }
    },
    30_000,
  );
});
