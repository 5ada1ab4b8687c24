import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { collectors } from './registry.js';

const here = dirname(fileURLToPath(import.meta.url));
const folders = readdirSync(here).filter((n) => statSync(join(here, n)).isDirectory());

describe('collector registry', () => {
  it('registers every collector folder under the id it declares', () => {
    for (const folder of folders) expect(Object.keys(collectors), `folder ${folder}`).toContain(folder);
    for (const [type, c] of Object.entries(collectors)) expect(c.id).toBe(type);
  });

  it.each(Object.keys(collectors))('%s has a README and recorded fixtures', (type) => {
    const dir = join(here, type);
    expect(statSync(join(dir, 'README.md')).isFile()).toBe(true);
    expect(readdirSync(join(dir, '__fixtures__')).length).toBeGreaterThan(0);
  });
});
