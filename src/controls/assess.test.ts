import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../check.js';
import type { CheckResult } from '../evaluate/index.js';
import { applyWaivers, assessEvidence, assessRequirements, globMatch } from './assess.js';
import { loadControls, loadWaivers } from './load.js';

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'pp-controls-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}

const evidenceYaml = `evidence:
  - id: access-review
    title: Quarterly access review
    cadence: quarterly
    expects: Signed review of every privileged account
`;

const mapYaml = `framework: { id: demo, title: Demo, version: "1", source: test }
requirements:
  - { id: R1, title: Passing check, group: G, checks: [c.pass] }
  - { id: R2, title: Failing check, group: G, checks: [c.pass, c.fail] }
  - { id: R3, title: Errored source, group: G, checks: [c.error] }
  - { id: R4, title: Manual only, group: G, evidence: [access-review] }
  - { id: R5, title: Nothing in scope, group: G, checks: [c.na] }
  - { id: R6, title: Waived failure, group: G, checks: [c.waived] }
`;

const check = (
  id: string,
  status: CheckResult['status'],
  findings: CheckResult['findings'],
): CheckResult => ({
  id,
  title: id,
  description: '',
  domain: 'identity',
  severity: 'high',
  likelihood: 3,
  impact: 3,
  kinds: ['user'],
  remediation: 'fix it',
  file: 'x.rego',
  status,
  reason: status,
  blockedBy: status === 'error' ? ['okta:acme'] : [],
  findings,
});
const f = (checkId: string, resource: string, status: 'pass' | 'fail') => ({
  check: checkId,
  resource,
  status,
  message: status,
});
const ids = ['c.pass', 'c.fail', 'c.error', 'c.na', 'c.waived'];
const now = new Date('2026-11-20T00:00:00Z');

describe('assessRequirements', () => {
  it('gives every requirement exactly one status with a reason', async () => {
    const controls = await loadControls({
      dir: dir({ 'evidence.yaml': evidenceYaml, 'demo.yaml': mapYaml }),
      checkIds: ids,
    });
    const waiverFile = join(
      dir({
        'w.yaml': `waivers:
  - { id: W1, check: c.waived, resources: "okta:user:*", justification: j, approver: Plant Manager, expires: 2027-01-01 }
  - { id: W2, check: c.fail, resources: "aws:*", justification: j, approver: CISO, expires: 2026-01-01 }
`,
      }),
      'w.yaml',
    );
    const waivers = await loadWaivers(waiverFile, ids);
    const config = defaultConfig('t');
    const { checks, waivers: states } = applyWaivers(
      [
        check('c.pass', 'pass', [f('c.pass', 'a', 'pass')]),
        check('c.fail', 'fail', [f('c.fail', 'aws:b', 'fail')]),
        check('c.error', 'error', [f('c.error', 'c', 'pass')]),
        check('c.na', 'not_applicable', []),
        check('c.waived', 'fail', [
          f('c.waived', 'okta:user:1', 'fail'),
          f('c.waived', 'okta:user:2', 'pass'),
        ]),
      ],
      waivers,
      now,
      config,
    );
    expect(states.map((w) => [w.id, w.state, w.matched])).toEqual([
      ['W1', 'active', 1],
      ['W2', 'expired', 1],
    ]);
    const evidence = assessEvidence(controls, [], now, config);
    const [fw] = assessRequirements(controls, checks, evidence);
    const status = Object.fromEntries(fw!.requirements.map((r) => [r.id, r.status]));
    expect(status).toEqual({
      R1: 'satisfied',
      R2: 'not_satisfied',
      R3: 'error',
      R4: 'not_assessed',
      R5: 'not_assessed',
      R6: 'waived',
    });
    const reason = Object.fromEntries(fw!.requirements.map((r) => [r.id, r.reason]));
    expect(reason.R2).toContain('c.fail (1 resource)');
    expect(reason.R4).toContain('no attestation for "Quarterly access review"');
    expect(reason.R5).toContain('no resources in scope');
    expect(reason.R6).toContain('W1 approved by Plant Manager until 2027-01-01');
    expect(fw!.requirements.find((r) => r.id === 'R2')?.dueDate).toBe('2026-12-20');
    expect(fw!.summary).toEqual({
      satisfied: 1,
      not_satisfied: 1,
      error: 1,
      not_assessed: 2,
      waived: 1,
      total: 6,
    });
  });

  it('treats fresh evidence as satisfying and stale evidence as due', async () => {
    const controls = await loadControls({
      dir: dir({ 'evidence.yaml': evidenceYaml, 'demo.yaml': mapYaml }),
      checkIds: ids,
    });
    const att = (performedAt: string) => ({
      evidence: 'access-review',
      attestedBy: 'A',
      performedAt,
      summary: 's',
      attachments: [],
      file: 'manual/a.yaml',
      digest: 'd',
    });
    const fresh = assessEvidence(controls, [att('2026-10-01')], now, defaultConfig('t'));
    expect(fresh[0]).toMatchObject({ status: 'fresh', dueAt: '2027-01-01' });
    const stale = assessEvidence(controls, [att('2026-06-01')], now, defaultConfig('t'));
    expect(stale[0]).toMatchObject({ status: 'stale', dueAt: '2026-09-01' });
  });
});

describe('loadControls', () => {
  it('rejects an unknown check id and a duplicate requirement, naming file and line', async () => {
    const bad = `framework: { id: demo, title: Demo, version: "1", source: test }
requirements:
  - { id: R1, title: One, group: G, checks: [c.pass] }
  - { id: R1, title: Again, group: G, checks: [no.such.check] }
`;
    const err = await loadControls({
      dir: dir({ 'evidence.yaml': evidenceYaml, 'demo.yaml': bad }),
      checkIds: ids,
    }).catch((e: Error) => e);
    expect((err as Error).message).toMatch(
      /demo\.yaml:4:\d+ \(requirements\[1\]\.id\): duplicate requirement "R1" \(first at line 3\)/,
    );
    expect((err as Error).message).toMatch(
      /demo\.yaml:4:\d+ \(requirements\[1\]\.checks\[0\]\): unknown check id "no\.such\.check"/,
    );
  });

  it('rejects a waiver without approver or expiry', async () => {
    const file = join(
      dir({ 'w.yaml': 'waivers:\n  - { id: W1, check: c.pass, resources: "*", justification: j }\n' }),
      'w.yaml',
    );
    const msg = await loadWaivers(file, ids).catch((e: Error) => e.message);
    expect(msg).toMatch(/w\.yaml:2:\d+ \(waivers\[0\]\.approver\)/);
    expect(msg).toMatch(/\(waivers\[0\]\.expires\)/);
  });

  it('matches resource globs', () => {
    expect(globMatch('aws:s3:*', 'aws:s3:bucket.a')).toBe(true);
    expect(globMatch('aws:s3:b', 'aws:s3:bb')).toBe(false);
    expect(globMatch('*hmi*', 'inventory:asset:hmi-line1')).toBe(true);
  });
});
