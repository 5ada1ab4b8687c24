import { describe, expect, it } from 'vitest';
import { fixtureResults } from '../../../test/fixtures/results.js';
import { sarifValidator } from '../../../test/schemas/validators.js';
import { renderSarif } from './index.js';

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: {
    physicalLocation: { artifactLocation: { uri: string } };
    logicalLocations: { fullyQualifiedName: string; kind: string }[];
  }[];
  partialFingerprints: Record<string, string>;
  suppressions?: { kind: string; status: string; justification: string }[];
}

describe('plantproof.sarif', () => {
  const results = fixtureResults('current');
  const text = renderSarif(results);
  const log = JSON.parse(text);
  const run = log.runs[0];
  const sarifResults = run.results as SarifResult[];

  it('is valid SARIF 2.1.0 (OASIS schema, Errata 01)', () => {
    const v = sarifValidator();
    expect(v.validate(log), v.errors()).toBe(true);
    expect(log.version).toBe('2.1.0');
    // and the validator does reject what is not SARIF
    expect(v.validate({ ...log, version: '2.0.0' })).toBe(false);
  });

  it('has every check as a rule, with GitHub security severity', () => {
    const rules = run.tool.driver.rules as { id: string; properties: Record<string, unknown> }[];
    expect(rules.map((r) => r.id)).toEqual(results.checks.map((c) => c.id).sort());
    const rule = rules.find((r) => r.id === 'storage.public_access_blocked');
    expect(rule?.properties['security-severity']).toBe('9.5');
    expect(rule?.properties.requirements).toEqual(['soc2 CC6.1', 'cmmc-l2 AC.L2-3.1.1']);
  });

  it('has one result per failing resource, located by resource id in a repository path', () => {
    const failing = results.checks.reduce(
      (n, c) => n + c.findings.filter((f) => f.status === 'fail').length,
      0,
    );
    expect(sarifResults).toHaveLength(failing);
    for (const r of sarifResults) {
      expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
      const loc = r.locations[0]!;
      expect(loc.physicalLocation.artifactLocation.uri).toBe('plantproof.yaml');
      expect(loc.logicalLocations[0]!.kind).toBe('resource');
      expect(r.message.text.startsWith(`${loc.logicalLocations[0]!.fullyQualifiedName}: `)).toBe(true);
    }
    const hashes = sarifResults.map((r) => r.partialFingerprints.primaryLocationLineHash);
    expect(new Set(hashes).size).toBe(hashes.length);
  });

  it('keeps waived failures as accepted suppressions', () => {
    const waived = sarifResults.filter((r) => r.suppressions);
    expect(waived).toHaveLength(1);
    expect(waived[0]!.suppressions![0]).toMatchObject({ kind: 'external', status: 'accepted' });
    expect(waived[0]!.suppressions![0]!.justification).toContain('W-2026-004 approved by Markus Ilg');
  });

  it('reports failed sources as tool notifications', () => {
    const notes = run.invocations[0].toolExecutionNotifications as {
      level: string;
      message: { text: string };
    }[];
    expect(notes.map((n) => n.level)).toEqual(['error', 'warning']);
    expect(notes[0]!.message.text).toContain('okta:acme.okta.com failed: HTTP 403');
  });

  it('can anchor results to another file', () => {
    const other = JSON.parse(renderSarif(results, { anchorFile: 'compliance/plantproof.yaml' }));
    expect(other.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe(
      'compliance/plantproof.yaml',
    );
  });

  it('is deterministic', () => {
    expect(renderSarif(fixtureResults('current'))).toBe(text);
  });
});
