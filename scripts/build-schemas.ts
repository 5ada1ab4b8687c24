// Writes the JSON Schemas generated from the zod schemas into schemas/ (committed, shipped).
import { writeFileSync } from 'node:fs';
import { SCHEMA_FILES } from '../src/config/json-schema.js';

for (const [name, make] of Object.entries(SCHEMA_FILES)) {
  writeFileSync(new URL(`../schemas/${name}`, import.meta.url), `${JSON.stringify(make(), null, 2)}\n`);
  console.log(`schemas/${name}`);
}
