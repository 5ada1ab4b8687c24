import { describe, expect, it } from 'vitest';
import { fixtureResults } from '../../test/fixtures/results.js';
import { diffResults, formatDiffText } from './diff.js';

const previous = fixtureResults('previous');
const current = fixtureResults('current');

describe('diffResults', () => {
  const diff = diffResults(previous, current);
  const reqs = (list: { framework: string; id: string }[]) => list.map((c) => `${c.framework} ${c.id}`);
  const finds = (list: { check: string; resource: string }[]) => list.map((c) => `${c.check} ${c.resource}`);

  it('sorts requirements into regressed, fixed, still failing and other changes', () => {
    expect(reqs(diff.requirements.regressed)).toEqual(['soc2 CC6.7', 'cmmc-l2 AC.L2-3.1.1']);
    expect(reqs(diff.requirements.fixed)).toEqual(['iso27001-2022 A.8.24']);
    expect(diff.requirements.new).toEqual([]);
    expect(diff.requirements.stillFailing).toHaveLength(13);
    // satisfied → error when the identity source failed: not a regression, not a pass
    expect(diff.requirements.changed.map((c) => [c.id, c.before, c.after])).toEqual([
      ['CC6.2', 'satisfied', 'error'],
      ['SR 1.1', 'satisfied', 'error'],
    ]);
  });

  it('tracks findings per check and resource', () => {
    expect(finds(diff.findings.regressed)).toEqual([
      'storage.public_access_blocked aws:s3:acme-historian-exports',
      'tls.certificate_expiry tls:historian.acme-castings.example:443',
    ]);
    expect(finds(diff.findings.new)).toEqual(['identity.mfa_all_users entra:user:9a7d2c11']);
    expect(finds(diff.findings.fixed)).toEqual(['crypto.key_rotation aws:kms:key/1f2e3d4c']);
    expect(diff.findings.stillFailing).toHaveLength(6);
  });

  it('does not call a failure fixed when its source failed and the resource vanished', () => {
    expect(finds(diff.findings.unverified)).toEqual([
      'identity.mfa_all_users okta:user:00u5t4r3q2',
      'identity.mfa_all_users okta:user:00u9z8y7x6',
    ]);
    expect(finds(diff.findings.fixed)).not.toContain('identity.mfa_all_users okta:user:00u9z8y7x6');
  });

  it('reports posture per framework before and after', () => {
    expect(diff.frameworks.find((f) => f.id === 'soc2')).toEqual({
      id: 'soc2',
      title: 'SOC 2 Trust Services Criteria',
      before: { satisfied: 5, total: 12 },
      after: { satisfied: 3, total: 12 },
    });
  });

  it('of a run with itself is only still-failing', () => {
    const same = diffResults(current, current);
    expect(same.requirements.regressed).toEqual([]);
    expect(same.requirements.fixed).toEqual([]);
    expect(same.requirements.changed).toEqual([]);
    expect(same.findings.new).toEqual([]);
    expect(same.findings.fixed).toEqual([]);
    expect(same.requirements.stillFailing.length).toBe(15);
  });

  it('names requirements that appear or disappear', () => {
    const fewer = structuredClone(previous);
    fewer.frameworks = fewer.frameworks.filter((f) => f.id !== 'cmmc-l2');
    const d = diffResults(fewer, current);
    expect(reqs(d.requirements.new)).toContain('cmmc-l2 IA.L2-3.5.3');
    expect(d.frameworks.find((f) => f.id === 'cmmc-l2')?.before).toBeNull();
    const back = diffResults(current, fewer);
    expect(back.requirements.changed.filter((c) => c.after === null).length).toBe(6);
  });

  it('formats as text for a terminal', () => {
    const text = formatDiffText(diff);
    expect(text).toContain('2026-10-23 -> 2026-11-22');
    expect(text).toMatch(/soc2\s+5\/12 \(42%\)\s+3\/12 \(25%\)\s+-2/);
    expect(text).toContain('requirements: 0 new, 1 fixed, 2 regressed, 13 still failing, 2 other changes');
    expect(text).toContain('regressed soc2 CC6.7: satisfied -> not satisfied');
    expect(text).toContain('unknown   identity.mfa_all_users okta:user:00u9z8y7x6: open -> absent');
  });
});

describe('priorRuns', () => {
  it('keeps earlier runs once each, oldest first, without the current run', async () => {
    const { priorRuns } = await import('./model.js');
    const older = fixtureResults('older');
    const runs = priorRuns(current, [current, previous, older, structuredClone(previous)]);
    expect(runs.map((r) => r.evaluatedAt)).toEqual([older.evaluatedAt, previous.evaluatedAt]);
  });
});
