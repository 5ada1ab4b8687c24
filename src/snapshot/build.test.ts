import { describe, expect, it } from 'vitest';
import { buildSnapshot, mergeSnapshots } from './build.js';
import type { Source } from './schema.js';

const source: Source = {
  id: 'okta:acme',
  collector: 'okta',
  target: 'acme',
  status: 'ok',
  error: null,
  gaps: [],
  startedAt: '2026-11-20T08:00:00.000Z',
  finishedAt: '2026-11-20T08:00:01.000Z',
  apiCalls: 1,
  itemCount: 0,
  kinds: ['user'],
};
const user = {
  id: 'okta:acme:user:00u1',
  kind: 'user' as const,
  provider: 'okta',
  source: 'okta:acme',
  rawRef: 'okta:acme#1',
  userType: 'human' as const,
  status: 'active' as const,
  username: 'anna.novak@acme.example',
  displayName: 'Anna Novak',
  email: 'anna.novak@acme.example',
  privileged: true,
  mfaEnrolled: true,
  mfaEnforced: true,
  lastLoginAt: null,
};
const raw = {
  'okta:acme#1': {
    source: 'okta:acme',
    api: 'GET /api/v1/users',
    capturedAt: '2026-11-20T08:00:00.000Z',
    payload: [
      {
        profile: { login: 'anna.novak@acme.example', displayName: 'Anna Novak', dn: 'cn=Anna Novak,ou=it' },
        password: 'x1',
      },
    ],
  },
};

describe('buildSnapshot', () => {
  it('pseudonymizes people in entities and raw payloads alike, and redacts secrets', () => {
    const snap = buildSnapshot({
      collectedAt: new Date('2026-11-20T08:00:00Z'),
      scope: { name: 't' },
      results: [{ source, entities: [user], raw }],
      pseudonymizeKey: 'k',
    });
    const text = JSON.stringify(snap);
    expect(text).not.toMatch(/anna|novak/i);
    expect(text).not.toContain('x1');
    expect(snap.entities.user[0]?.username).toMatch(/^pseudo:[0-9a-f]{16}$/);
    expect(snap.redactions).toEqual(['/raw/okta:acme#1/payload/0/password']);
  });

  it('marks a source error when a normalizer emits an invalid entity, keeping the rest', () => {
    const snap = buildSnapshot({
      collectedAt: new Date('2026-11-20T08:00:00Z'),
      scope: { name: 't' },
      results: [{ source, entities: [user, { ...user, id: 'bad', status: 'gone' } as never], raw: {} }],
    });
    expect(snap.sources[0]).toMatchObject({ status: 'error', itemCount: 1 });
    expect(snap.sources[0]?.error).toMatch(/normalized entity bad is invalid: status/);
  });

  it('keeps the first of two entities one source reports with the same id, and says so', () => {
    const snap = buildSnapshot({
      collectedAt: new Date('2026-11-20T08:00:00Z'),
      scope: { name: 't' },
      results: [{ source, entities: [user, { ...user, username: 'someone.else@acme.example' }], raw: {} }],
    });
    expect(snap.entities.user.map((u) => u.username)).toEqual(['anna.novak@acme.example']);
    expect(snap.sources[0]).toMatchObject({
      status: 'partial',
      gaps: ['entity okta:acme:user:00u1 reported twice; first one kept'],
    });
  });

  it('lists each kind in id order, whatever order the source answered in', () => {
    const ids = ['okta:acme:user:b', 'okta:acme:user:B', 'okta:acme:user:a10', 'okta:acme:user:a9'];
    const snap = buildSnapshot({
      collectedAt: new Date('2026-11-20T08:00:00Z'),
      scope: { name: 't' },
      results: [{ source, entities: ids.map((id) => ({ ...user, id })), raw: {} }],
    });
    expect(snap.entities.user.map((u) => u.id)).toEqual([
      'okta:acme:user:B',
      'okta:acme:user:a10',
      'okta:acme:user:a9',
      'okta:acme:user:b',
    ]);
  });

  it('merges snapshots by entity id', () => {
    const a = buildSnapshot({
      collectedAt: new Date('2026-11-20T08:00:00Z'),
      scope: { name: 't' },
      results: [{ source, entities: [user], raw: {} }],
    });
    const b = buildSnapshot({
      collectedAt: new Date('2026-11-20T09:00:00Z'),
      scope: { name: 't' },
      results: [
        {
          source: { ...source, id: 'okta:other' },
          entities: [user, { ...user, id: 'okta:other:user:2' }],
          raw: {},
        },
      ],
    });
    const m = mergeSnapshots([a, b]);
    expect(m.entities.user.map((u) => u.id)).toEqual(['okta:acme:user:00u1', 'okta:other:user:2']);
    expect(m.sources.map((s) => s.id)).toEqual(['okta:acme', 'okta:other']);
    expect(m.collectedAt).toBe('2026-11-20T09:00:00.000Z');
  });
});
