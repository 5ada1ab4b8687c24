import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { fixtureResults } from '../../test/fixtures/results.js';
import { ConfigError } from '../errors.js';
import { readHistory, readResults } from './read-bundle.js';

const dir = mkdtempSync(join(tmpdir(), 'pp-bundle-'));
const json = (variant: 'current' | 'previous' | 'older') =>
  `${JSON.stringify(fixtureResults(variant), null, 2)}\n`;

function bundleDir(parent: string, name: string, variant: 'current' | 'previous' | 'older'): string {
  const d = join(parent, name);
  mkdirSync(join(d, 'reports'), { recursive: true });
  writeFileSync(join(d, 'results.json'), json(variant));
  writeFileSync(join(d, 'reports', 'gap-report.md'), '# old\n');
  return d;
}

describe('readResults', () => {
  it('reads a bundle directory, a plain results.json and a zip of a bundle', async () => {
    const d = bundleDir(dir, 'plantproof-evidence-2026-11-22', 'current');
    const fromDir = await readResults(d);
    expect(fromDir.results.evaluatedAt).toBe('2026-11-22T06:00:00.000Z');
    expect((await readResults(join(d, 'results.json'))).results).toEqual(fromDir.results);

    const zip = join(dir, 'plantproof-evidence-2026-11-22.zip');
    writeFileSync(
      zip,
      zipSync({
        'plantproof-evidence-2026-11-22/results.json': strToU8(json('current')),
        'plantproof-evidence-2026-11-22/reports/junit.xml': strToU8('<x/>'),
      }),
    );
    const fromZip = await readResults(zip);
    expect(fromZip.file).toBe(`${zip}!plantproof-evidence-2026-11-22/results.json`);
    expect(fromZip.results).toEqual(fromDir.results);

    const flat = join(dir, 'flat.zip');
    writeFileSync(flat, zipSync({ 'results.json': strToU8(json('older')) }));
    expect((await readResults(flat)).results.evaluatedAt).toBe('2026-09-23T06:00:00.000Z');
  });

  it('rejects what is not a bundle with a message naming the file and field', async () => {
    const bad = join(dir, 'bad.json');
    const broken = fixtureResults('current') as unknown as Record<string, unknown>;
    broken.frameworks = [{ id: 'soc2' }];
    writeFileSync(bad, JSON.stringify(broken));
    await expect(readResults(bad)).rejects.toThrow(ConfigError);
    await expect(readResults(bad)).rejects.toThrow(/bad\.json \(frameworks\[0\]\.title\): results\.json:/);

    const empty = join(dir, 'empty');
    mkdirSync(empty);
    await expect(readResults(empty)).rejects.toThrow(/not a bundle: no results\.json/);
    await expect(readResults(join(dir, 'missing.zip'))).rejects.toThrow(/missing\.zip: cannot read: ENOENT/);

    const noResults = join(dir, 'other.zip');
    writeFileSync(noResults, zipSync({ 'readme.txt': strToU8('hi') }));
    await expect(readResults(noResults)).rejects.toThrow(/no results\.json in this zip/);

    const syntax = join(dir, 'syntax.json');
    writeFileSync(syntax, '{"schemaVersion": 1,,}');
    await expect(readResults(syntax)).rejects.toThrow(/syntax\.json:1:\d+: invalid JSON/);
  });
});

describe('readHistory', () => {
  it('reads every bundle in a folder, oldest first, and skips other files', async () => {
    const h = join(dir, 'history');
    mkdirSync(h);
    bundleDir(h, 'plantproof-evidence-b', 'previous');
    writeFileSync(
      join(h, 'plantproof-evidence-a.zip'),
      zipSync({ 'x/results.json': strToU8(json('current')) }),
    );
    writeFileSync(join(h, 'older-results.json'), json('older'));
    writeFileSync(join(h, 'notes.txt'), 'not a bundle');
    mkdirSync(join(h, 'empty-folder'));
    const runs = await readHistory(h);
    expect(runs.map((r) => r.results.evaluatedAt)).toEqual([
      '2026-09-23T06:00:00.000Z',
      '2026-10-23T06:00:00.000Z',
      '2026-11-22T06:00:00.000Z',
    ]);
  });

  it('names a folder it cannot read', async () => {
    await expect(readHistory(join(dir, 'nope'))).rejects.toThrow(/nope: cannot read history: ENOENT/);
  });
});

describe('readHistory, lenient', () => {
  it('skips what it cannot read and treats a missing folder as no history', async () => {
    const h = join(dir, 'lenient');
    mkdirSync(h);
    bundleDir(h, 'plantproof-evidence-ok', 'previous');
    writeFileSync(join(h, 'plantproof-evidence-broken.zip'), 'not a zip');
    await expect(readHistory(h)).rejects.toThrow(/broken\.zip/);
    expect((await readHistory(h, { lenient: true })).map((r) => r.results.evaluatedAt)).toEqual([
      '2026-10-23T06:00:00.000Z',
    ]);
    expect(await readHistory(join(dir, 'absent'), { lenient: true })).toEqual([]);
  });
});
