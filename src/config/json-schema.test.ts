import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCHEMA_FILES } from './json-schema.js';

describe('shipped JSON Schemas', () => {
  it.each(Object.keys(SCHEMA_FILES))(
    'schemas/%s matches the zod schema (run npm run schemas:build)',
    (name) => {
      const committed = JSON.parse(readFileSync(new URL(`../../schemas/${name}`, import.meta.url), 'utf8'));
      expect(committed).toEqual(SCHEMA_FILES[name as keyof typeof SCHEMA_FILES]());
    },
  );
});
