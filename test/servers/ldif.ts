/**
 * A small LDIF reader (RFC 2849 content records: `attr: value`, `attr:: base64`, folded lines,
 * comments) returning entries in the shape ldapts hands back: one value as a string, several as an
 * array, and the attributes named in `binary` as Buffers. Enough for recorded fixtures.
 */
export function parseLdif(text: string, binary: readonly string[] = ['objectGUID', 'objectSid']) {
  const binaryLc = new Set(binary.map((b) => b.toLowerCase()));
  const entries: Array<{ dn: string } & Record<string, string | string[] | Buffer | Buffer[]>> = [];
  const unfolded = text.replace(/\r?\n /g, '');
  for (const block of unfolded.split(/\r?\n\s*\r?\n/)) {
    const lines = block.split(/\r?\n/).filter((l) => l.trim() && !l.startsWith('#'));
    if (lines.length === 0) continue;
    const values = new Map<string, { name: string; values: Array<string | Buffer> }>();
    let dn = '';
    for (const line of lines) {
      const m = /^([A-Za-z0-9;.-]+)(::?)\s?(.*)$/.exec(line);
      if (!m) throw new Error(`not an LDIF line: ${line}`);
      const [, name = '', sep, raw = ''] = m;
      const bytes = sep === '::' ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
      if (name.toLowerCase() === 'dn') {
        dn = bytes.toString('utf8');
        continue;
      }
      const key = name.toLowerCase();
      const slot = values.get(key) ?? { name, values: [] };
      slot.values.push(binaryLc.has(key) ? bytes : bytes.toString('utf8'));
      values.set(key, slot);
    }
    if (!dn) throw new Error(`LDIF record without dn: ${lines[0]}`);
    const entry: { dn: string } & Record<string, string | string[] | Buffer | Buffer[]> = { dn };
    for (const { name, values: v } of values.values()) {
      entry[name] = (v.length === 1 ? v[0] : v) as string | string[] | Buffer | Buffer[];
    }
    entries.push(entry);
  }
  return entries;
}
