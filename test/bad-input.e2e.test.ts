import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSnapshot } from '../src/snapshot/build.js';
import { serializeSnapshot } from '../src/snapshot/io.js';
import { listFiles, runCli, tempDir } from './helpers.js';

const dir = tempDir();
const good = join(dir, 'snapshot.json');

beforeAll(() => {
  const snapshot = buildSnapshot({
    collectedAt: new Date('2026-11-20T08:00:00Z'),
    scope: { name: 'test plant' },
    results: [],
  });
  writeFileSync(good, serializeSnapshot(snapshot));
});

async function expectRejected(args: string[], pattern: RegExp) {
  const out = join(dir, `out-${Math.random().toString(36).slice(2)}`);
  const r = await runCli('check', ...args, '--out', out);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(6);
  expect(r.stdout).toBe('');
  expect(listFiles(out)).toEqual([]);
}

describe('bad input: one clear message, exit 2, nothing that looks like a result', () => {
  it('a snapshot with a JSON syntax error names file, line and column', async () => {
    const file = join(dir, 'syntax.json');
    writeFileSync(file, '{\n  "schemaVersion": 1,\n  "collectedAt": "2026-11-20T08:00:00Z",,\n}\n');
    await expectRejected(['--snapshot', file], /syntax\.json:3:\d+: invalid JSON/);
  });

  it('a snapshot that violates the schema names the field', async () => {
    const file = join(dir, 'schema.json');
    const bad = JSON.parse(readFileSync(good, 'utf8'));
    bad.entities.storage = [
      { id: 'x', kind: 'storage', provider: 'aws', source: 's', rawRef: null, encryptedAtRest: 'yes' },
    ];
    writeFileSync(file, JSON.stringify(bad));
    await expectRejected(
      ['--snapshot', file],
      /schema\.json \(entities\.storage\[0\]\.\w+\): snapshot schema/,
    );
  });

  it('a snapshot with two entities sharing an id names the second one and the first', async () => {
    const file = join(dir, 'duplicate.json');
    const user = {
      id: 'okta:acme:user:1',
      kind: 'user',
      provider: 'okta',
      source: 'okta:acme',
      rawRef: null,
      userType: 'human',
      status: 'active',
      username: 'a.b@acme.example',
      displayName: null,
      email: null,
      privileged: false,
      mfaEnrolled: true,
      mfaEnforced: true,
      lastLoginAt: null,
    };
    const bad = JSON.parse(readFileSync(good, 'utf8'));
    bad.entities.user = [user, { ...user, username: 'c.d@acme.example' }];
    writeFileSync(file, JSON.stringify(bad));
    await expectRejected(
      ['--snapshot', file],
      /duplicate\.json \(entities\.user\[1\]\.id\): .*"okta:acme:user:1" is used twice \(first at entities\.user\[0\]\.id\)/,
    );
  });

  it('a missing snapshot file', async () => {
    await expectRejected(['--snapshot', join(dir, 'nope.json')], /nope\.json: cannot read snapshot: ENOENT/);
  });

  it('a control map with a bad check reference names file and line', async () => {
    const controls = join(dir, 'controls');
    mkdirSync(controls, { recursive: true });
    writeFileSync(
      join(controls, 'evidence.yaml'),
      'evidence:\n  - { id: x, title: X, cadence: annual, expects: something }\n',
    );
    writeFileSync(
      join(controls, 'demo.yaml'),
      'framework: { id: demo, title: Demo, version: "1", source: t }\nrequirements:\n  - { id: R1, title: T, group: G, checks: [storage.nope] }\n',
    );
    await expectRejected(
      ['--snapshot', good, '--controls', controls, '--framework', 'demo'],
      /demo\.yaml:3:\d+ \(requirements\[0\]\.checks\[0\]\): unknown check id "storage\.nope"/,
    );
  });

  it('a missing or corrupt policy wasm names the file', async () => {
    const policy = join(dir, 'policy');
    mkdirSync(policy, { recursive: true });
    await expectRejected(
      ['--snapshot', good, '--policy', policy],
      /policy\/plantproof\.wasm: cannot read the compiled policy/,
    );
    writeFileSync(join(policy, 'plantproof.wasm'), 'not wasm at all');
    copyFileSync(new URL('../policies/dist/checks.json', import.meta.url), join(policy, 'checks.json'));
    await expectRejected(
      ['--snapshot', good, '--policy', policy],
      /policy\/plantproof\.wasm: not a valid policy wasm module/,
    );
  });

  it('an unknown framework and a bad --now are usage errors', async () => {
    await expectRejected(['--snapshot', good, '--framework', 'nist-csf'], /unknown framework "nist-csf"/);
    await expectRejected(['--snapshot', good, '--now', 'yesterday'], /--now: not a date/);
  });
});
