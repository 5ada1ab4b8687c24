// Synthetic snapshots for the benchmark: a plant-shaped mix of every entity kind, about a fifth
// of each failing something, deterministic for a given size.
import { writeFileSync } from 'node:fs';

const KIND_SHARE = [
  ['user', 0.3],
  ['role_assignment', 0.15],
  ['network_rule', 0.15],
  ['storage', 0.08],
  ['asset', 0.08],
  ['data_flow', 0.06],
  ['tls_endpoint', 0.05],
  ['database', 0.04],
  ['key', 0.04],
  ['identity_policy', 0.02],
  ['audit_log', 0.02],
  ['zone', 0.005],
  ['account', 0.005],
];

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function generateSnapshot(total, collectedAt = '2026-11-20T08:00:00.000Z') {
  const r = rng(total);
  const bad = () => r() < 0.2;
  const day = (n) => new Date(Date.parse(collectedAt) - n * 86_400_000).toISOString();
  const sources = ['aws-config:bench', 'azure:bench', 'okta:bench', 'tls:bench', 'inventory:bench'].map(
    (id) => ({
      id,
      collector: id.split(':')[0],
      target: 'bench',
      status: 'ok',
      error: null,
      gaps: [],
      startedAt: collectedAt,
      finishedAt: collectedAt,
      apiCalls: 1,
      itemCount: 0,
      kinds: KIND_SHARE.map(([k]) => k),
    }),
  );
  const entities = Object.fromEntries(KIND_SHARE.map(([k]) => [k, []]));
  const zones = [0, 1, 2, 3, 3.5, 4];
  const base = (kind, i, provider = 'aws') => ({
    id: `${provider}:${kind}:${i}`,
    kind,
    provider,
    source: 'aws-config:bench',
    rawRef: null,
    name: `${kind}-${i}`,
    accountId: `acct-${i % 20}`,
    region: bad() ? 'us-east-1' : 'eu-central-1',
  });
  const make = {
    account: (i) => ({
      ...base('account', i),
      accountType: 'cloud_account',
      regions: ['eu-central-1', 'eu-west-1'],
      transportSecurity: null,
    }),
    storage: (i) => ({
      ...base('storage', i),
      storageType: 'object',
      encryptedAtRest: !bad(),
      algorithm: 'AES-256',
      customerManagedKey: !bad(),
      keyId: null,
      publicAccess: bad(),
      tlsOnly: !bad(),
      minTlsVersion: '1.2',
      versioning: !bad(),
      accessLogging: !bad(),
      classification: 'internal',
    }),
    database: (i) => ({
      ...base('database', i),
      engine: 'postgres',
      encryptedAtRest: !bad(),
      customerManagedKey: !bad(),
      publiclyAccessible: bad(),
      minTlsVersion: bad() ? '1.0' : '1.2',
      backupEnabled: true,
      backupRetentionDays: bad() ? 1 : 14,
      classification: null,
    }),
    key: (i) => ({
      ...base('key', i),
      managedBy: 'customer',
      enabled: true,
      rotationEnabled: !bad(),
      rotationPeriodDays: 90,
      lastRotatedAt: day(30),
      algorithm: 'AES-256',
    }),
    audit_log: (i) => ({
      ...base('audit_log', i),
      enabled: !bad(),
      multiRegion: !bad(),
      regions: ['eu-central-1'],
      integrityValidation: !bad(),
      immutable: !bad(),
      retentionDays: bad() ? 90 : 1100,
      categories: ['authentication', 'configuration', 'security'],
    }),
    network_rule: (i) => ({
      ...base('network_rule', i),
      groupId: `sg-${i % 500}`,
      direction: 'ingress',
      action: 'allow',
      protocol: 'tcp',
      ports: [{ from: bad() ? 502 : 443, to: bad() ? 502 : 443 }],
      sources: [bad() ? '0.0.0.0/0' : '10.0.0.0/8'],
      internetExposed: bad(),
      priority: null,
    }),
    user: (i) => ({
      ...base('user', i, 'okta'),
      userType: 'human',
      status: 'active',
      username: `user${i}`,
      displayName: `User ${i}`,
      email: `user${i}@example.com`,
      privileged: i % 25 === 0,
      mfaEnrolled: !bad(),
      mfaEnforced: !bad(),
      mfaMethods: ['push'],
      lastLoginAt: day(bad() ? 200 : 3),
      passwordLastSetAt: day(40),
      createdAt: day(400),
      groups: ['Plant Operators'],
      shared: false,
      federated: true,
      accessKeys: [],
    }),
    identity_policy: (i) => ({
      ...base('identity_policy', i, 'okta'),
      policyType: 'sign_on',
      active: true,
      priority: i,
      appliesToAll: true,
      appliesTo: [],
      mfaRequired: true,
      ssoRequired: true,
      sessionLifetimeMinutes: bad() ? 1440 : 480,
      idleTimeoutMinutes: 15,
      passwordMinLength: 14,
      passwordMaxAgeDays: null,
      passwordHistory: 5,
      lockoutThreshold: 5,
    }),
    role_assignment: (i) => ({
      ...base('role_assignment', i, 'okta'),
      principalId: `okta:user:${i}`,
      principalName: `user${i}`,
      principalType: 'user',
      role: bad() ? 'Data-Export' : 'MES-Operator',
      scope: 'org',
      privileged: false,
    }),
    tls_endpoint: (i) => ({
      ...base('tls_endpoint', i, 'tls'),
      host: `host${i}.plant.example`,
      port: 443,
      service: 'https',
      role: i % 3 === 0 ? 'device' : 'service',
      internetFacing: i % 4 === 0,
      reachable: true,
      protocolsAccepted: bad() ? ['1.0', '1.2'] : ['1.2', '1.3'],
      ciphers: [],
      weakCiphersAccepted: [],
      certificate: {
        subject: `CN=host${i}`,
        sans: [`host${i}.plant.example`],
        issuer: 'CN=Plant CA',
        notBefore: day(300),
        notAfter: day(bad() ? -10 : -200),
        keyType: 'RSA',
        keyBits: 2048,
        signatureAlgorithm: 'sha256WithRSAEncryption',
        selfSigned: false,
        hostnameMatches: true,
        chainValid: true,
        chainError: null,
      },
      hsts: { maxAgeSeconds: 31536000, includeSubDomains: true },
    }),
    zone: (i) => ({
      ...base('zone', i, 'inventory'),
      level: zones[i % zones.length],
      dmz: i % zones.length === 4,
      description: null,
    }),
    data_flow: (i) => ({
      ...base('data_flow', i, 'inventory'),
      from: `a${i}`,
      to: `b${i}`,
      fromZone: `inventory:zone:${i % 6}`,
      toZone: `inventory:zone:${(i + 3) % 6}`,
      protocol: 'opcua',
      port: 4840,
      encrypted: !bad(),
      authenticated: !bad(),
      classification: bad() ? 'restricted' : 'internal',
      externalPartner: null,
      agreementOnFile: null,
      via: [],
      viaDmz: !bad(),
      destinationRegion: null,
    }),
    asset: (i) => ({
      ...base('asset', i, 'inventory'),
      zone: `inventory:zone:${i % 6}`,
      assetType: 'plc',
      vendor: 'Siemens',
      model: 'S7',
      firmwareVersion: '1.0',
      firmwareSigned: !bad(),
      defaultCredentialsChanged: !bad(),
      criticality: 'high',
    }),
  };
  for (const [kind, share] of KIND_SHARE) {
    const n = Math.max(1, Math.round(total * share));
    for (let i = 0; i < n; i++) entities[kind].push(make[kind](i));
  }
  return {
    schemaVersion: 1,
    collectedAt,
    tool: { name: 'plantproof', version: 'bench' },
    scope: { name: `bench ${total}`, description: null },
    sources,
    entities,
    raw: {},
    redactions: [],
  };
}

export function writeSnapshot(total, file) {
  const snap = generateSnapshot(total);
  writeFileSync(file, `${JSON.stringify(snap)}\n`);
  return Object.values(snap.entities).reduce((n, l) => n + l.length, 0);
}
