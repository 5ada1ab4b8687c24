import { z } from 'zod';
import { collectors } from '../collectors/registry.js';
import { Snapshot } from '../snapshot/schema.js';
import { Config } from './schema.js';

/** plantproof.yaml for editors: each `collectors[]` entry typed by its collector's own options. */
export function configJsonSchema(): Record<string, unknown> {
  const entries = Object.entries(collectors)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, c]) => {
      const options = c.options instanceof z.ZodObject ? c.options : z.object({});
      return options.extend({ type: z.literal(type), enabled: z.boolean().optional() });
    });
  const collectorEntry =
    entries.length === 1 ? entries[0]! : z.union(entries as unknown as [z.ZodTypeAny, z.ZodTypeAny]);
  const schema = z.strictObject({ ...Config.shape, collectors: z.array(collectorEntry).optional() });
  return {
    ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }),
    $id: 'https://plantproof.dev/schemas/plantproof.schema.json',
    title: 'plantproof.yaml',
  };
}

export function snapshotJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(Snapshot, { io: 'output', unrepresentable: 'any' }),
    $id: 'https://plantproof.dev/schemas/snapshot-v1.schema.json',
    title: 'plantproof snapshot v1',
  };
}

export const SCHEMA_FILES = {
  'plantproof.schema.json': configJsonSchema,
  'snapshot-v1.schema.json': snapshotJsonSchema,
} as const;
