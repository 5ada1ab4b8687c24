import { isIP } from 'node:net';
import { z } from 'zod';

export const TLS_SERVICES = ['https', 'ldaps', 'ldap+starttls', 'mqtts', 'opcua', 'tls'] as const;
export type TlsService = (typeof TLS_SERVICES)[number];

const port = z.number().int().min(1).max(65535);

/** the usual service on a well-known port, when a target does not say */
export function defaultService(p: number): TlsService {
  const known: Record<number, TlsService> = {
    443: 'https',
    8443: 'https',
    636: 'ldaps',
    389: 'ldap+starttls',
    8883: 'mqtts',
    4843: 'opcua',
  };
  return known[p] ?? 'tls';
}

export const TlsTarget = z.strictObject({
  host: z.string().min(1),
  port,
  /** how to reach TLS: directly, or (ldap+starttls) after an LDAP StartTLS request; https adds an HSTS check */
  service: z.enum(TLS_SERVICES).optional(),
  /** `device`: PLCs, gateways, brokers for machines; the checks hold them to TLS 1.3 */
  role: z.enum(['service', 'device']).default('service'),
  internetFacing: z.boolean().default(false),
  /** the name to send as SNI and check the certificate against, when `host` is an address */
  servername: z.string().min(1).optional(),
});
export type TlsTarget = z.infer<typeof TlsTarget>;

/** Number of probe-able hosts in an IPv4 CIDR range, or null when it is not one. */
export function cidrSize(range: string): number | null {
  const m = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(range.trim());
  if (!m || isIP(m[1] ?? '') !== 4) return null;
  const bits = Number(m[2]);
  if (bits > 32) return null;
  const total = 2 ** (32 - bits);
  // network and broadcast addresses are not hosts, except in /31 and /32
  return bits >= 31 ? total : total - 2;
}

/** The host addresses of an IPv4 CIDR range (caller checks the size first). */
export function expandCidr(range: string): string[] {
  const [addr = '', bitsText = '32'] = range.trim().split('/');
  const bits = Number(bitsText);
  const base = addr.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  const network = (base & mask) >>> 0;
  const total = 2 ** (32 - bits);
  const [first, last] = bits >= 31 ? [0, total - 1] : [1, total - 2];
  const out: string[] = [];
  for (let i = first; i <= last; i++) {
    const n = network + i;
    out.push([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.'));
  }
  return out;
}

export const TlsOptions = z
  .strictObject({
    /** a label for the source id; defaults to the first target */
    name: z.string().min(1).optional(),
    /** the endpoints to probe; nothing else is contacted */
    targets: z.array(TlsTarget).default([]),
    /** PEM bundle to verify chains against instead of Node's built-in Mozilla CA store (relative to plantproof.yaml) */
    caFile: z.string().min(1).optional(),
    /** per connection: connect, StartTLS and handshake each */
    timeoutMs: z.number().int().positive().max(120_000).default(5000),
    /** endpoints probed at the same time */
    concurrency: z.number().int().min(1).max(64).default(8),
    /**
     * offer weak cipher suites one by one to every accepted version (up to about 40 short handshakes per
     * version); turn off for fragile embedded devices
     */
    probeWeakCiphers: z.boolean().default(true),
    /** scan an address range; off unless `enabled: true`, and refused when larger than maxHosts */
    cidr: z
      .strictObject({
        enabled: z.boolean(),
        range: z.string().refine((r) => cidrSize(r) !== null, 'an IPv4 range such as 10.20.0.0/24'),
        ports: z.array(port).min(1).default([443]),
        service: z.enum(TLS_SERVICES).optional(),
        role: z.enum(['service', 'device']).default('service'),
        maxHosts: z.number().int().min(1).max(65_536).default(256),
      })
      .optional(),
  })
  .superRefine((o, ctx) => {
    if (o.cidr) {
      const size = cidrSize(o.cidr.range);
      if (size !== null && size > o.cidr.maxHosts) {
        ctx.addIssue({
          code: 'custom',
          path: ['cidr', 'range'],
          message: `${o.cidr.range} has ${size} hosts, more than maxHosts (${o.cidr.maxHosts}); narrow the range or raise maxHosts`,
        });
      }
    }
    if (o.targets.length === 0 && !o.cidr?.enabled) {
      ctx.addIssue({
        code: 'custom',
        path: ['targets'],
        message: 'list at least one target (host and port)',
      });
    }
  });
export type TlsOptions = z.infer<typeof TlsOptions>;
