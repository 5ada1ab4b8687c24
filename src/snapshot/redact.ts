import { createHash, createHmac } from 'node:crypto';

/**
 * Secrets never reach evidence. Two nets: field names that hold secrets, and values that look
 * like secrets wherever they appear. A redacted value becomes a marker with a short digest, so two
 * bundles can still show that a value changed without showing it.
 */
/**
 * Field names that hold a secret, compared on the name folded to lower-case letters and digits:
 * whole names, and endings (so `clientSecret`, `userPassword`, `msDS-ManagedPassword` match while
 * `passwordLastSetAt`, `signatureAlgorithm`, `accessKeys` and `bypass` do not).
 */
const SECRET_NAMES = new Set([
  'signature',
  'authorization',
  'cookie',
  'setcookie',
  'sas',
  'env',
  'environment',
  'environmentvariables',
  'userdata',
  'credential',
  'sessionkey',
  'connstr',
]);
const SECRET_ENDINGS = [
  'password',
  'passwd',
  'passphrase',
  'pwd',
  'secret',
  'token',
  'apikey',
  'privatekey',
  'secretkey',
  'accountkey',
  'sharedaccesskey',
  'connectionstring',
  'secretaccesskey',
];

export function isSecretKey(key: string): boolean {
  const folded = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  return SECRET_NAMES.has(folded) || SECRET_ENDINGS.some((e) => folded.endsWith(e));
}

const SECRET_VALUE: [string, RegExp][] = [
  ['private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ['aws access key', /\b(AKIA|ASIA)[A-Z0-9]{16}\b/],
  ['aws secret key', /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])(?=.*)/],
  ['jwt', /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/],
  ['bearer token', /\bBearer\s+[A-Za-z0-9._~+/-]{16,}/i],
  ['connection string', /(AccountKey|SharedAccessKey|Password|Pwd)\s*=\s*[^;]+/i],
  ['url credentials', /\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i],
  ['okta token', /\b00[A-Za-z0-9_-]{40}\b/],
  ['github token', /\bgh[pousr]_[A-Za-z0-9]{36,}\b/],
  ['azure sas', /[?&]sig=[A-Za-z0-9%/+=]{20,}/],
];

export function redactionMarker(value: unknown): string {
  const digest = createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 12);
  return `[REDACTED sha256:${digest}]`;
}

export function looksSecret(value: string): string | null {
  for (const [name, re] of SECRET_VALUE) {
    if (name === 'aws secret key') {
      // 40 base64-ish characters with both cases and a digit: the shape of an AWS secret key.
      const m = value.match(re);
      if (m && /[a-z]/.test(m[0]) && /[A-Z]/.test(m[0]) && /[0-9]/.test(m[0]) && /[/+]/.test(m[0]))
        return name;
      continue;
    }
    if (re.test(value)) return name;
  }
  return null;
}

/** Nothing to hide: null, empty string, booleans and numbers (flags and lengths), empty containers. */
function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined || v === '' || typeof v === 'boolean' || typeof v === 'number')
    return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v as object).length === 0;
}

function pointerEscape(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Returns a redacted deep copy and the JSON pointers (relative to `base`) of what was replaced.
 */
export function redact(value: unknown, base = ''): { value: unknown; paths: string[] } {
  const paths: string[] = [];
  const walk = (v: unknown, path: string, key: string | null): unknown => {
    if (key !== null && isSecretKey(key) && !isEmpty(v)) {
      paths.push(path);
      return redactionMarker(v);
    }
    if (typeof v === 'string') {
      if (v.startsWith('[REDACTED sha256:')) return v;
      if (looksSecret(v)) {
        paths.push(path);
        return redactionMarker(v);
      }
      return v;
    }
    if (Array.isArray(v)) return v.map((item, i) => walk(item, `${path}/${i}`, null));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(v)) out[k] = walk(item, `${path}/${pointerEscape(k)}`, k);
      return out;
    }
    return v;
  };
  return { value: walk(value, base, null), paths };
}

/** Keyed hash for names and e-mail addresses of people (GDPR pseudonymization). */
export function pseudonym(value: string, key: string): string {
  return `pseudo:${createHmac('sha256', key).update(value.toLowerCase()).digest('hex').slice(0, 16)}`;
}
