import { deflateSync } from 'fflate';

/**
 * Deterministic DEFLATE for bundle entries. fflate is pure JavaScript, so its output is the same
 * on every machine and Node version; the zlib inside Node is not (its output changes with the
 * zlib build a Node release ships), which would break "same inputs, byte-identical zip".
 * Large files use level 1: several times faster, a little larger.
 */
export const SMALL_FILE_MAX = 4 * 1024 * 1024;

export const DEFLATE_DESCRIPTION = `fflate 0.8 raw DEFLATE, level 6 (level 1 for files over ${SMALL_FILE_MAX} bytes)`;

export function deflateFileSync(data: Uint8Array): Uint8Array {
  return deflateSync(data, { level: data.length > SMALL_FILE_MAX ? 1 : 6 });
}

/** The compressed streams of many files, in order. */
export async function deflateFiles(files: Uint8Array[]): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (const f of files) {
    out.push(deflateFileSync(f));
    // let timers and signals through between large files
    if (f.length > SMALL_FILE_MAX) await new Promise((r) => setImmediate(r));
  }
  return out;
}
