import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../check.js';
import { buildSnapshot } from '../snapshot/build.js';
import type { Source } from '../snapshot/schema.js';
import { evaluateSnapshot, loadCompiledPolicy, summarizeChecks } from './index.js';

const source = (over: Partial<Source> = {}): Source => ({
  id: 'aws-config:111111111111',
  collector: 'aws-config',
  target: '111111111111',
  status: 'ok',
  error: null,
  gaps: [],
  startedAt: '2026-11-20T08:00:00.000Z',
  finishedAt: '2026-11-20T08:00:05.000Z',
  apiCalls: 3,
  itemCount: 2,
  kinds: ['storage'],
  ...over,
});

const bucket = (id: string, encryptedAtRest: boolean | null) => ({
  id,
  kind: 'storage' as const,
  provider: 'aws',
  source: 'aws-config:111111111111',
  rawRef: null,
  storageType: 'object' as const,
  encryptedAtRest,
  algorithm: encryptedAtRest ? 'AES-256' : null,
  customerManagedKey: false,
  publicAccess: false,
  tlsOnly: true,
});

function snapshot(src: Source, buckets = [bucket('aws:s3:a', true), bucket('aws:s3:b', null)]) {
  return buildSnapshot({
    collectedAt: new Date('2026-11-20T08:00:00Z'),
    scope: { name: 't' },
    results: [{ source: src, entities: buckets, raw: {} }],
  });
}

describe('evaluate with the compiled wasm policy', () => {
  it('evaluates every check in one pass, per resource', async () => {
    const { checks, now } = await evaluateSnapshot(snapshot(source()), defaultConfig('t'));
    expect(now.toISOString()).toBe('2026-11-20T08:00:00.000Z');
    const enc = checks.find((c) => c.id === 'storage.encrypted_at_rest')!;
    expect(enc.status).toBe('fail');
    expect(enc.reason).toBe('1 of 2 resources fail');
    expect(enc.findings).toEqual([
      { check: enc.id, resource: 'aws:s3:a', status: 'pass', message: 'encrypted at rest with AES-256' },
      { check: enc.id, resource: 'aws:s3:b', status: 'fail', message: 'encryption at rest is not recorded' },
    ]);
  });

  it('is error, never pass, when a source it needs is partial, even if what arrived passes', async () => {
    const src = source({ status: 'partial', gaps: ['eu-west-1: configuration recorder not recording'] });
    const { checks } = await evaluateSnapshot(snapshot(src, [bucket('aws:s3:a', true)]), defaultConfig('t'));
    const enc = checks.find((c) => c.id === 'storage.encrypted_at_rest')!;
    expect(enc.status).toBe('error');
    expect(enc.blockedBy).toEqual(['aws-config:111111111111']);
    expect(enc.reason).toContain('eu-west-1: configuration recorder not recording');
  });

  it('is not applicable when there is nothing of its kind', async () => {
    const { checks } = await evaluateSnapshot(snapshot(source(), []), defaultConfig('t'));
    expect(checks.find((c) => c.id === 'storage.encrypted_at_rest')).toMatchObject({
      status: 'not_applicable',
      reason: 'no storage in scope of this check',
    });
    const policy = await loadCompiledPolicy();
    const none = summarizeChecks(policy.checks, {}, []);
    expect(none.find((c) => c.id === 'storage.encrypted_at_rest')?.reason).toBe('no source collects storage');
  });

  it('refuses a check that judged one resource twice, naming the check', async () => {
    const policy = await loadCompiledPolicy();
    const twice = {
      'storage.encrypted_at_rest': [
        { resource: 'aws:s3:a', status: 'pass' as const, message: 'encrypted at rest with AES-256' },
        { resource: 'aws:s3:b', status: 'pass' as const, message: 'encrypted at rest with AES-256' },
        { resource: 'aws:s3:a', status: 'fail' as const, message: 'encryption at rest is off' },
      ],
    };
    expect(() => summarizeChecks(policy.checks, twice, [])).toThrow(
      /encrypted_at_rest\.rego: check storage\.encrypted_at_rest returned two results for aws:s3:a/,
    );
    const order = new Map([
      ['aws:s3:a', 0],
      ['aws:s3:b', 1],
    ]);
    expect(() => summarizeChecks(policy.checks, twice, [], order)).toThrow(/two results for aws:s3:a/);
  });

  it('names the file when the wasm is missing or corrupt', async () => {
    await expect(loadCompiledPolicy('/nonexistent/dir')).rejects.toThrow(
      /\/nonexistent\/dir\/plantproof\.wasm: cannot read the compiled policy \(ENOENT\)/,
    );
  });
});
