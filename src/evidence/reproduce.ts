import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { checkSnapshot, type Results } from '../check.js';
import type { LoadedConfig } from '../config/load.js';
import { Config } from '../config/schema.js';
import { errorMessage } from '../errors.js';
import { loadCompiledPolicy } from '../evaluate/index.js';
import { parseJsonText, parseSnapshot } from '../snapshot/io.js';
import { byCodePoint } from '../util/compare.js';
import type { Manifest } from './manifest.js';
import type { OpenedBundle } from './reader.js';
import { sanitizeResults } from './scrub.js';

/**
 * Re-evaluate a bundle from its own contents only: the bundled snapshot, through the bundled
 * policy wasm and control maps, with the bundled configuration, attestations and waivers, as of
 * the evaluation time in results.json — and compare with the bundled results.json.
 *
 * Redacted values cannot change the outcome: evaluation reads the snapshot's entities and the
 * config's thresholds, regions, RBAC matrix, owners and deadlines, none of which is a secret.
 * Where an input file had to be redacted, results.json names the digest of the original file,
 * so the comparison uses the original's digest (recorded in the manifest) for it. The waivers
 * file's location on the machine that wrote the bundle is not compared; its content is.
 */

export interface ReproduceOutcome {
  ok: boolean;
  summary: string;
  problems: string[];
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Canonical JSON: keys sorted at every level. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => byCodePoint(a, b)))
      : v,
  );
}

function show(v: unknown): string {
  const s = v === undefined ? '(absent)' : JSON.stringify(v);
  return s.length > 160 ? `${s.slice(0, 157)}...` : s;
}

/** The first `max` differences between two JSON values, as JSON pointers with both values. */
export function jsonDifferences(a: unknown, b: unknown, max = 10): string[] {
  const out: string[] = [];
  const walk = (x: unknown, y: unknown, path: string) => {
    if (out.length >= max) return;
    if (x === y) return;
    if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length)
        out.push(`${path || '/'}: ${x.length} items in results.json, ${y.length} re-evaluated`);
      for (let i = 0; i < Math.min(x.length, y.length); i++) walk(x[i], y[i], `${path}/${i}`);
      return;
    }
    if (x && y && typeof x === 'object' && typeof y === 'object' && !Array.isArray(x) && !Array.isArray(y)) {
      const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])].sort();
      for (const k of keys)
        walk(
          (x as Record<string, unknown>)[k],
          (y as Record<string, unknown>)[k],
          `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`,
        );
      return;
    }
    out.push(`${path || '/'}: results.json has ${show(x)}, re-evaluated ${show(y)}`);
  };
  walk(a, b, '');
  return out;
}

/** Make comparable what legitimately differs between two machines (see the module comment). */
function comparable(results: Results, manifest: Manifest): Results {
  const redactedAttestations = new Map(
    (manifest.manualEvidence?.attestations ?? [])
      .filter((a) => a.redacted)
      .map((a) => [`${manifest.manualEvidence!.sourceDirName}/${basename(a.path)}`, a.sourceSha256]),
  );
  // The order of a check's findings carries no meaning (it follows the snapshot now, and was sorted by
  // text before): compare them as a set, in one fixed order.
  return {
    ...results,
    checks: results.checks.map((c) => ({
      ...c,
      findings: [...c.findings].sort(
        (a, b) => byCodePoint(a.resource, b.resource) || byCodePoint(a.status, b.status),
      ),
    })),
    evidence: results.evidence.map((e) =>
      e.attestation && redactedAttestations.has(e.attestation.file)
        ? { ...e, attestation: { ...e.attestation, digest: redactedAttestations.get(e.attestation.file)! } }
        : e,
    ),
    waivers: results.waivers.map((w) => ({ ...w, file: '(waivers file)' })),
  };
}

export async function reproduceResults(bundle: OpenedBundle, manifest: Manifest): Promise<ReproduceOutcome> {
  const fail = (summary: string, problems: string[] = []): ReproduceOutcome => ({
    ok: false,
    summary,
    problems,
  });
  const withheld =
    manifest.manualEvidence?.attestations.flatMap((a) => a.attachments.filter((t) => t.path === null)) ?? [];
  if (withheld.length > 0)
    return fail(
      'cannot re-evaluate: attachments were withheld from the bundle',
      withheld.map((t) => t.ref),
    );

  const ws = await mkdtemp(join(tmpdir(), 'plantproof-reproduce-'));
  try {
    const put = async (target: string, bundlePath: string) => {
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, await bundle.read(bundlePath));
    };
    const policyDir = join(ws, 'policy');
    await put(join(policyDir, 'plantproof.wasm'), manifest.policy.wasm.path);
    await put(join(policyDir, 'checks.json'), manifest.policy.checks.path);
    const controlsDir = join(ws, 'controls-root', manifest.controls.sourceDirName);
    for (const f of manifest.controls.files) await put(join(controlsDir, basename(f.path)), f.path);

    let config: LoadedConfig | undefined;
    if (manifest.config) {
      const text = (await bundle.read(manifest.config.path)).toString('utf8');
      const parsed = Config.safeParse(parseYaml(text));
      if (!parsed.success)
        return fail('cannot re-evaluate: the bundled configuration does not parse', [
          parsed.error.issues[0]?.message ?? '',
        ]);
      const configDir = join(ws, 'config');
      await mkdir(configDir, { recursive: true });
      // Attachments may sit above the manual evidence folder (../x.pdf): nest it deep enough.
      const refs = manifest.manualEvidence?.attestations.flatMap((a) => a.attachments) ?? [];
      const depth = Math.max(
        0,
        ...refs.map(
          (r) =>
            r.ref
              .replace(/\\/g, '/')
              .split('/')
              .filter((s) => s === '..').length,
        ),
      );
      const manualDir = join(
        ws,
        'manual-root',
        ...Array.from({ length: depth }, (_, i) => `up${i}`),
        manifest.manualEvidence?.sourceDirName ?? 'manual',
      );
      await mkdir(manualDir, { recursive: true });
      for (const a of manifest.manualEvidence?.attestations ?? []) {
        await put(join(manualDir, basename(a.path)), a.path);
        for (const t of a.attachments) {
          const target = resolve(manualDir, t.ref);
          if (isAbsolute(t.ref) || relative(ws, target).startsWith('..'))
            return fail(
              `cannot re-evaluate: attachment ${t.ref} lives outside any folder the bundle can recreate`,
            );
          await put(target, t.path!);
        }
      }
      let waivers: string | undefined;
      if (manifest.waivers) {
        waivers = join(configDir, 'waivers.yaml');
        await put(waivers, manifest.waivers.path);
      }
      config = {
        file: join(configDir, 'plantproof.yaml'),
        dir: configDir,
        digest: manifest.config.sourceSha256,
        config: { ...parsed.data, evidence: { ...parsed.data.evidence, manualDir, waivers } },
        collectors: [],
      };
    }

    const snapshotBytes = await bundle.read(manifest.snapshot.path);
    const snapshot = parseSnapshot(
      parseJsonText(snapshotBytes.toString('utf8'), manifest.snapshot.path),
      manifest.snapshot.path,
    );
    const bundled = JSON.parse((await bundle.read(manifest.results.path)).toString('utf8')) as Results;
    const again = await checkSnapshot({
      snapshot,
      snapshotDigest: sha256(snapshotBytes),
      config,
      frameworks: bundled.frameworks.map((f) => f.id),
      controlsDir,
      policy: await loadCompiledPolicy(policyDir),
      now: new Date(bundled.evaluatedAt),
    });
    const reproduced = sanitizeResults(again).results;
    const a = comparable(bundled, manifest);
    const b = comparable(reproduced, manifest);
    if (canonicalJson(a) === canonicalJson(b)) {
      const reqs = bundled.frameworks.reduce((n, f) => n + f.requirements.length, 0);
      return {
        ok: true,
        summary: `re-evaluated ${snapshot.sources.length} sources, ${bundled.checks.length} checks and ${reqs} requirements of ${bundled.frameworks.length} frameworks with the bundled policy and control maps: identical to results.json`,
        problems: [],
      };
    }
    return fail('re-evaluation gives different results (first differences)', jsonDifferences(a, b));
  } catch (err) {
    return fail('cannot re-evaluate the bundle', [errorMessage(err)]);
  } finally {
    await rm(ws, { recursive: true, force: true });
  }
}
