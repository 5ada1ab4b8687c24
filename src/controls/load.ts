import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseWith, parseYamlText, readYamlFile } from '../config/yaml.js';
import { ConfigError, type Location } from '../errors.js';
import {
  Attestation,
  ControlMap,
  EvidenceCatalog,
  type EvidenceRequirement,
  type Waiver,
  WaiverFile,
} from './schema.js';

export const DEFAULT_CONTROLS_DIR = fileURLToPath(new URL('../../controls/', import.meta.url));
export const EVIDENCE_CATALOG = 'evidence.yaml';

export interface LoadedControlMap extends ControlMap {
  file: string;
  digest: string;
}

export interface LoadedControls {
  dir: string;
  maps: LoadedControlMap[];
  evidence: EvidenceRequirement[];
  evidenceFile: { file: string; digest: string };
}

const sha256 = (b: string | Uint8Array) => createHash('sha256').update(b).digest('hex');

/**
 * Control maps and the evidence catalog, cross-checked: an unknown check id, an unknown evidence
 * id or a duplicate requirement is a load error naming file and line.
 */
export async function loadControls(opts: {
  dir?: string;
  checkIds: Iterable<string>;
  frameworks?: string[];
}): Promise<LoadedControls> {
  const dir = resolve(opts.dir ?? DEFAULT_CONTROLS_DIR);
  const checkIds = new Set(opts.checkIds);
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch (err) {
    throw new ConfigError(`cannot read control maps: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, {
      file: dir,
    });
  }
  if (!names.includes(EVIDENCE_CATALOG)) throw new ConfigError(`missing ${EVIDENCE_CATALOG}`, { file: dir });

  const evidenceText = await readFile(join(dir, EVIDENCE_CATALOG), 'utf8');
  const evidenceYaml = parseYamlText(evidenceText, join(dir, EVIDENCE_CATALOG));
  const catalog = parseWith(EvidenceCatalog, evidenceYaml);
  const problems: { location: Location; message: string }[] = [];
  const evidenceIds = new Map<string, number>();
  catalog.evidence.forEach((e, i) => {
    if (evidenceIds.has(e.id))
      problems.push({
        location: evidenceYaml.locate(['evidence', i, 'id']),
        message: `duplicate evidence id "${e.id}"`,
      });
    evidenceIds.set(e.id, i);
  });

  const maps: LoadedControlMap[] = [];
  const frameworkFiles = new Map<string, string>();
  for (const name of names) {
    if (name === EVIDENCE_CATALOG) continue;
    const file = join(dir, name);
    const text = await readFile(file, 'utf8');
    const located = parseYamlText(text, file);
    const map = parseWith(ControlMap, located);
    const prev = frameworkFiles.get(map.framework.id);
    if (prev)
      problems.push({
        location: located.locate(['framework', 'id']),
        message: `framework "${map.framework.id}" is also defined in ${basename(prev)}`,
      });
    frameworkFiles.set(map.framework.id, file);
    const seen = new Map<string, number>();
    map.requirements.forEach((r, i) => {
      const first = seen.get(r.id);
      if (first !== undefined) {
        problems.push({
          location: located.locate(['requirements', i, 'id']),
          message: `duplicate requirement "${r.id}" (first at line ${located.locate(['requirements', first, 'id']).line})`,
        });
      } else seen.set(r.id, i);
      r.checks.forEach((c, j) => {
        if (!checkIds.has(c))
          problems.push({
            location: located.locate(['requirements', i, 'checks', j]),
            message: `unknown check id "${c}"`,
          });
      });
      r.evidence.forEach((e, j) => {
        if (!evidenceIds.has(e))
          problems.push({
            location: located.locate(['requirements', i, 'evidence', j]),
            message: `unknown evidence id "${e}" (not in ${EVIDENCE_CATALOG})`,
          });
      });
    });
    maps.push({ ...map, file: join(basename(dir), name), digest: sha256(text) });
  }
  if (problems.length > 0) throw new ConfigError(problems);

  let selected = maps;
  if (opts.frameworks && opts.frameworks.length > 0) {
    const known = new Set(maps.map((m) => m.framework.id));
    const unknown = opts.frameworks.filter((f) => !known.has(f));
    if (unknown.length > 0) {
      throw new ConfigError(
        `unknown framework ${unknown.map((u) => `"${u}"`).join(', ')}; known: ${[...known].join(', ')}`,
        {
          file: dir,
          field: 'frameworks',
        },
      );
    }
    selected = opts.frameworks.map((f) => maps.find((m) => m.framework.id === f)!);
  }
  return {
    dir,
    maps: selected,
    evidence: catalog.evidence,
    evidenceFile: { file: join(basename(dir), EVIDENCE_CATALOG), digest: sha256(evidenceText) },
  };
}

export interface LoadedAttestation extends Attestation {
  file: string;
  digest: string;
}

/** Every `*.yaml` in the manual evidence folder; attachment digests are verified. */
export async function loadAttestations(dir: string, known: Iterable<string>): Promise<LoadedAttestation[]> {
  const ids = new Set(known);
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: LoadedAttestation[] = [];
  const problems: { location: Location; message: string }[] = [];
  for (const name of names) {
    const file = join(dir, name);
    const located = await readYamlFile(file);
    const a = parseWith(Attestation, located);
    if (!ids.has(a.evidence))
      problems.push({
        location: located.locate(['evidence']),
        message: `unknown evidence id "${a.evidence}"`,
      });
    for (const [i, att] of a.attachments.entries()) {
      let bytes: Buffer;
      try {
        bytes = await readFile(resolve(dir, att.path));
      } catch {
        problems.push({
          location: located.locate(['attachments', i, 'path']),
          message: `attachment not found: ${att.path}`,
        });
        continue;
      }
      if (sha256(bytes) !== att.sha256)
        problems.push({
          location: located.locate(['attachments', i, 'sha256']),
          message: `attachment ${att.path} does not match its sha256 (it is ${sha256(bytes)})`,
        });
    }
    out.push({ ...a, file: join(basename(dir), name), digest: sha256(await readFile(file)) });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return out;
}

export interface LoadedWaiver extends Waiver {
  file: string;
  line?: number;
}

export async function loadWaivers(
  file: string | undefined,
  checkIds: Iterable<string>,
): Promise<LoadedWaiver[]> {
  if (!file) return [];
  const ids = new Set(checkIds);
  const located = await readYamlFile(file);
  const parsed = parseWith(WaiverFile, located);
  const problems: { location: Location; message: string }[] = [];
  const seen = new Set<string>();
  parsed.waivers.forEach((w, i) => {
    if (!ids.has(w.check))
      problems.push({
        location: located.locate(['waivers', i, 'check']),
        message: `unknown check id "${w.check}"`,
      });
    if (seen.has(w.id))
      problems.push({
        location: located.locate(['waivers', i, 'id']),
        message: `duplicate waiver "${w.id}"`,
      });
    seen.add(w.id);
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return parsed.waivers.map((w, i) => ({ ...w, file, line: located.locate(['waivers', i]).line }));
}
