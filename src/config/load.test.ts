import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { loadConfig } from './load.js';

function write(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pp-config-'));
  const file = join(dir, 'plantproof.yaml');
  writeFileSync(file, text);
  return file;
}

async function problem(text: string): Promise<string> {
  const err = await loadConfig(write(text)).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ConfigError);
  return (err as ConfigError).message;
}

const minimal = 'version: 1\nscope:\n  name: Plant\n';

describe('loadConfig', () => {
  it('applies defaults and digests the file', async () => {
    const loaded = await loadConfig(
      write(`${minimal}collectors:\n  - type: inventory\n    files: [a.yaml]\n`),
    );
    expect(loaded.config.deadlines).toEqual({ critical: 7, high: 30, medium: 90, low: 180 });
    expect(loaded.config.frameworks).toEqual(['soc2', 'iso27001-2022', 'iec62443-3-3', 'cmmc-l2']);
    expect(loaded.collectors).toEqual([
      expect.objectContaining({ type: 'inventory', options: { files: ['a.yaml'], name: 'plant' } }),
    ]);
    expect(loaded.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('names file, line and column of a YAML syntax error', async () => {
    expect(await problem('version: 1\nscope:\n  name: [unclosed\n')).toMatch(
      /plantproof\.yaml:\d+:\d+: YAML syntax error/,
    );
  });

  it('names file, line and field of a schema violation', async () => {
    const msg = await problem(`${minimal}deadlines:\n  high: soon\n`);
    expect(msg).toMatch(/plantproof\.yaml:5:9 \(deadlines\.high\): .*number/);
  });

  it('rejects unknown keys, unknown collector types and bad collector options with their lines', async () => {
    expect(await problem(`${minimal}colectors: []\n`)).toMatch(
      /plantproof\.yaml:4:\d+ \(colectors\): unknown key "colectors"/,
    );
    expect(await problem(`${minimal}collectors:\n  - type: nosuch\n`)).toMatch(
      /plantproof\.yaml:5:11 \(collectors\[0\]\.type\): unknown collector type "nosuch"/,
    );
    expect(await problem(`${minimal}collectors:\n  - type: inventory\n    files: []\n`)).toMatch(
      /plantproof\.yaml:6:12 \(collectors\[0\]\.files\)/,
    );
  });

  it('checks the RBAC matrix against its functions and roles', async () => {
    const msg = await problem(
      `${minimal}rbac:\n  functions: [mes]\n  roles:\n    operator: { mes: write, erp: read }\n  members:\n    - { group: Ops, role: nobody }\n`,
    );
    expect(msg).toMatch(/\(rbac\.roles\.operator\.erp\): unknown function "erp"/);
    expect(msg).toMatch(/\(rbac\.members\[0\]\.role\): unknown role "nobody"/);
  });
});
