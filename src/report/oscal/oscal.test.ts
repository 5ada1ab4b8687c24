import { describe, expect, it } from 'vitest';
import { fixtureResults } from '../../../test/fixtures/results.js';
import { oscal106Validator, oscalValidator } from '../../../test/schemas/validators.js';
import { renderOscalAssessmentResults, renderOscalPoam, token } from './index.js';

// biome-ignore lint/suspicious/noExplicitAny: assertions walk deep into parsed OSCAL JSON
type Json = Record<string, any>;
const current = fixtureResults('current');
const arText = renderOscalAssessmentResults(current);
const ar = JSON.parse(arText)['assessment-results'] as Json;
const poamText = renderOscalPoam(current)!;
const poam = JSON.parse(poamText)['plan-of-action-and-milestones'] as Json;
const result = ar.results[0] as Json;

/** Every "uuid" value in a document. */
function uuids(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const x of node) uuids(x, out);
  else if (node && typeof node === 'object')
    for (const [k, v] of Object.entries(node)) {
      if (k === 'uuid' && typeof v === 'string') out.push(v);
      else uuids(v, out);
    }
  return out;
}
const prop = (x: Json, name: string) => (x.props as Json[] | undefined)?.find((p) => p.name === name)?.value;

describe('OSCAL assessment results', () => {
  it('is valid against the NIST OSCAL 1.2.2 schema and the 1.0.6 assessment-results schema', () => {
    const v = oscalValidator();
    expect(v.validate(JSON.parse(arText)), v.errors()).toBe(true);
    const old = oscal106Validator('assessment-results');
    expect(old.validate(JSON.parse(arText)), old.errors()).toBe(true);
    expect(ar.metadata['oscal-version']).toBe('1.2.2');
    // and the validator does reject what is not OSCAL
    const broken = JSON.parse(arText);
    broken['assessment-results'].results[0].findings[0].target.status.state = 'passed';
    expect(v.validate(broken)).toBe(false);
  });

  it('has one finding per requirement, satisfied or not-satisfied', () => {
    const findings = result.findings as Json[];
    const total = current.frameworks.reduce((n, f) => n + f.requirements.length, 0);
    expect(findings).toHaveLength(total);
    const byId = new Map(findings.map((f) => [`${prop(f, 'framework')} ${prop(f, 'requirement-id')}`, f]));
    expect(byId.get('soc2 CC1.1')!.target.status).toEqual({ state: 'satisfied', reason: 'pass' });
    expect(byId.get('soc2 CC6.6')!.target.status).toEqual({ state: 'not-satisfied', reason: 'fail' });
    expect(byId.get('soc2 CC6.2')!.target.status).toMatchObject({ state: 'not-satisfied', reason: 'other' });
    expect(byId.get('iec62443-3-3 SR 1.5')!.target['target-id']).toBe('iec62443-3-3_SR-1.5');
    expect(findings.filter((f) => f.target.status.state === 'satisfied')).toHaveLength(7);
  });

  it('has an observation per check and per evidence item, linked into the bundle', () => {
    const obs = result.observations as Json[];
    const check = obs.find((o) => prop(o, 'check-id') === 'network.admin_ports_internet')!;
    expect(check.methods).toEqual(['TEST']);
    expect(check['relevant-evidence'].map((e: Json) => e.href)).toEqual([
      `../results.json#/checks/${current.checks.findIndex((c) => c.id === 'network.admin_ports_internet')}`,
      '../snapshot.json',
    ]);
    expect(check.subjects.map((s: Json) => s.title)).toEqual([
      'aws:ec2:sg-0a1b2c3d:ingress:tcp:22',
      'aws:ec2:sg-0a1b2c3d:ingress:tcp:3389',
    ]);
    const items = new Set(result['local-definitions']['inventory-items'].map((i: Json) => i.uuid));
    for (const s of check.subjects) expect(items.has(s['subject-uuid'])).toBe(true);
    const ev = obs.find((o) => prop(o, 'evidence-id') === 'change-management')!;
    expect(ev.methods).toEqual(['EXAMINE']);
    expect(prop(ev, 'attestation-sha256')).toBe('d'.repeat(64));
  });

  it('has a risk per failing check with deadline and owner, and waivers as approved deviations', () => {
    const risks = result.risks as Json[];
    const open = risks.find(
      (r) => prop(r, 'check-id') === 'storage.public_access_blocked' && r.status === 'open',
    )!;
    expect(open.deadline).toBe('2026-11-29T23:59:59Z');
    expect(open.characterizations[0].facets).toContainEqual({
      name: 'likelihood',
      system: 'https://plantproof.dev/ns/oscal',
      value: '3',
    });
    const owner = open.remediations[0].tasks[0]['responsible-roles'][0]['party-uuids'][0];
    const party = ar.metadata.parties.find((p: Json) => p.uuid === owner);
    expect(party).toMatchObject({
      name: 'cloud-platform@acme-castings.example',
      'email-addresses': ['cloud-platform@acme-castings.example'],
    });

    const waived = risks.filter((r) => r.status === 'deviation-approved');
    expect(waived).toHaveLength(1);
    expect(prop(waived[0]!, 'waiver-id')).toBe('W-2026-004');
    expect(waived[0]!.deadline).toBe('2027-01-31T23:59:59Z');
    const approver = waived[0]!['risk-log'].entries[0]['logged-by'][0]['party-uuid'];
    expect(ar.metadata.parties.find((p: Json) => p.uuid === approver).name).toBe('Markus Ilg, Plant Manager');
    // the expired waiver covers nothing: its failure is an open risk
    expect(risks.find((r) => prop(r, 'check-id') === 'ot.signed_firmware')!.status).toBe('open');

    const waivedFinding = (result.findings as Json[]).find(
      (f) => prop(f, 'framework') === 'soc2' && prop(f, 'requirement-id') === 'CC6.8',
    )!;
    expect(waivedFinding['related-risks']).toEqual([{ 'risk-uuid': waived[0]!.uuid }]);
  });

  it('uses unique UUIDs, and the same bytes for the same results', () => {
    const all = uuids(ar);
    expect(new Set(all).size).toBe(all.length);
    expect(renderOscalAssessmentResults(fixtureResults('current'))).toBe(arText);
  });

  it('keeps per-subject UUIDs across runs and per-run UUIDs distinct', () => {
    const prev = JSON.parse(renderOscalAssessmentResults(fixtureResults('previous')))['assessment-results'];
    const riskOf = (doc: Json, check: string) =>
      (doc.results[0].risks as Json[]).find((r) => prop(r, 'check-id') === check && r.status === 'open')
        ?.uuid;
    expect(riskOf(prev, 'database.backups')).toBe(riskOf(ar, 'database.backups'));
    expect(prev.uuid).not.toBe(ar.uuid);
  });
});

describe('OSCAL plan of action and milestones', () => {
  it('is valid against the NIST OSCAL 1.2.2 schema and the 1.0.6 POA&M schema', () => {
    const v = oscalValidator();
    expect(v.validate(JSON.parse(poamText)), v.errors()).toBe(true);
    const old = oscal106Validator('poam');
    expect(old.validate(JSON.parse(poamText)), old.errors()).toBe(true);
  });

  it('has an item per failing check, per approved deviation and per evidence gap, with owners and deadlines', () => {
    const items = poam['poam-items'] as Json[];
    const failing = current.checks.filter((c) => c.failing > 0).length;
    expect(items).toHaveLength(failing + 1 + 3);
    const backups = items.find((i) => prop(i, 'check-id') === 'database.backups')!;
    expect(prop(backups, 'owner')).toBe('cloud-platform@acme-castings.example');
    expect(prop(backups, 'due')).toBe('2026-12-22');
    expect(backups.props.filter((p: Json) => p.name === 'requirement').map((p: Json) => p.value)).toEqual([
      'soc2 A1.2',
      'iso27001-2022 A.8.13',
      'iec62443-3-3 SR 7.3',
      'cmmc-l2 MP.L2-3.8.9',
    ]);
    const riskIds = new Set((poam.risks as Json[]).map((r) => r.uuid));
    const obsIds = new Set((poam.observations as Json[]).map((o) => o.uuid));
    for (const i of items) {
      for (const r of i['related-risks'] ?? []) expect(riskIds.has(r['risk-uuid'])).toBe(true);
      for (const o of i['related-observations'] ?? []) expect(obsIds.has(o['observation-uuid'])).toBe(true);
    }
    expect(items.find((i) => prop(i, 'evidence-id') === 'access-review')!.title).toBe(
      'Provide evidence: Quarterly user access review',
    );
    const all = uuids(poam);
    expect(new Set(all).size).toBe(all.length);
  });

  it('is not written when there is nothing to track (OSCAL requires at least one item)', () => {
    const clean = structuredClone(current);
    for (const c of clean.checks) {
      c.failing = 0;
      c.waived = 0;
      c.findings = c.findings.map((f) => ({ ...f, status: 'pass' as const, waiver: null }));
    }
    clean.evidence = clean.evidence.map((e) => ({ ...e, status: 'fresh' as const }));
    expect(renderOscalPoam(clean)).toBeNull();
    const v = oscalValidator();
    expect(v.validate(JSON.parse(renderOscalAssessmentResults(clean))), v.errors()).toBe(true);
  });
});

describe('token', () => {
  it('turns requirement ids into NCNames', () => {
    expect(token('soc2_CC6.1')).toBe('soc2_CC6.1');
    expect(token('iec62443-3-3_SR 1.1 RE 1')).toBe('iec62443-3-3_SR-1.1-RE-1');
    expect(token('27001')).toBe('_27001');
  });
});
