import type { EntityInput, TlsVersion } from '../../snapshot/schema.js';
import type { CollectContext } from '../types.js';
import { type ProbeResult, VERSIONS } from './probe.js';

export interface EndpointDeclaration {
  role: 'service' | 'device';
  internetFacing: boolean;
}

const ASCENDING: readonly TlsVersion[] = [...VERSIONS].reverse();

/** One probe → one tls_endpoint. Only what the probe established; the rest stays null or empty. */
export function normalizeProbe(
  r: ProbeResult,
  declared: EndpointDeclaration,
  rawRef: string | null,
  ctx: Pick<CollectContext, 'sourceId'>,
): EntityInput {
  const accepted = ASCENDING.filter((v) => r.versions[v]?.accepted === true);
  const cert = r.certificate;
  return {
    id: `tls:${r.host}:${r.port}`,
    kind: 'tls_endpoint',
    provider: 'tls',
    source: ctx.sourceId,
    rawRef,
    name: r.servername ?? r.host,
    host: r.host,
    port: r.port,
    service: r.service,
    role: declared.role,
    internetFacing: declared.internetFacing,
    reachable: r.reachable,
    protocolsAccepted: accepted,
    ciphers: accepted.flatMap((v) => {
      const o = r.versions[v];
      return o?.accepted === true ? [{ protocol: v, cipher: o.cipher }] : [];
    }),
    weakCiphersAccepted: [...new Set(r.weakCiphers.map((w) => w.cipher))].sort(),
    certificate: cert
      ? {
          subject: cert.subject,
          sans: cert.sans,
          issuer: cert.issuer,
          notBefore: cert.notBefore,
          notAfter: cert.notAfter,
          keyType: cert.keyType,
          keyBits: cert.keyBits,
          signatureAlgorithm: cert.signatureAlgorithm,
          selfSigned: cert.selfSigned,
          hostnameMatches: cert.hostnameMatches,
          chainValid: cert.chainValid,
          chainError: cert.chainError,
        }
      : null,
    // a header without a valid max-age does not switch HSTS on
    hsts:
      r.hsts && r.hsts.maxAgeSeconds !== null
        ? { maxAgeSeconds: r.hsts.maxAgeSeconds, includeSubDomains: r.hsts.includeSubDomains }
        : null,
  };
}
