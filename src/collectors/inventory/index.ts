import { resolve } from 'node:path';
import { parseWith, readYamlFile } from '../../config/yaml.js';
import { ConfigError, type Location } from '../../errors.js';
import type { Collector } from '../types.js';
import { normalizeInventory } from './normalize.js';
import { InventoryFile, InventoryOptions } from './schema.js';

export interface LoadedInventoryFile {
  file: string;
  content: InventoryFile;
  locate: (path: readonly PropertyKey[]) => Location;
}

export const inventoryCollector: Collector<InventoryOptions> = {
  id: 'inventory',
  title: "The plant's declared zones, conduits, data flows and assets",
  kinds: ['account', 'zone', 'data_flow', 'asset'],
  options: InventoryOptions,
  target: (options) => options.name,
  async collect(options, ctx) {
    const loaded: LoadedInventoryFile[] = [];
    for (const rel of options.files) {
      const file = resolve(ctx.configDir, rel);
      ctx.progress(`reading ${rel}`);
      const located = await readYamlFile(file);
      ctx.call();
      loaded.push({ file, content: parseWith(InventoryFile, located), locate: located.locate });
    }
    const { entities, problems } = normalizeInventory(loaded, options.name, ctx);
    if (problems.length > 0) throw new ConfigError(problems);
    return { entities };
  },
};
