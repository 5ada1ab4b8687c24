import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { getCollector } from '../collectors/registry.js';
import { ConfigError, type Location } from '../errors.js';
import { Config } from './schema.js';
import { parseYamlText, zodToConfigError } from './yaml.js';

export interface CollectorPlan {
  type: string;
  options: unknown;
  location: Location;
}

export interface LoadedConfig {
  file: string;
  dir: string;
  /** sha256 of the file's bytes, for the evidence manifest */
  digest: string;
  config: Config;
  collectors: CollectorPlan[];
}

export async function loadConfig(file: string): Promise<LoadedConfig> {
  const path = resolve(file);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new ConfigError(`cannot read config: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, {
      file,
    });
  }
  const located = parseYamlText(bytes.toString('utf8'), file);
  const parsed = Config.safeParse(located.data);
  if (!parsed.success) throw zodToConfigError(parsed.error, located.locate);
  const config = parsed.data;

  const problems: { location: Location; message: string }[] = [];
  const collectors: CollectorPlan[] = [];
  config.collectors.forEach((entry, i) => {
    const location = located.locate(['collectors', i, 'type']);
    const collector = getCollector(entry.type);
    if (!collector) {
      problems.push({ location, message: `unknown collector type "${entry.type}"` });
      return;
    }
    if (!entry.enabled) return;
    const { type: _type, enabled: _enabled, ...rest } = entry;
    const options = collector.options.safeParse(rest);
    if (!options.success) {
      const sub = zodToConfigError(options.error, (path) => located.locate(['collectors', i, ...path]));
      problems.push(...sub.problems);
      return;
    }
    collectors.push({ type: entry.type, options: options.data, location });
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    file: path,
    dir: dirname(path),
    digest: createHash('sha256').update(bytes).digest('hex'),
    config,
    collectors,
  };
}
