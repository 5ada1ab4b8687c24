import type { z } from 'zod';
import type { EntityInput } from '../../snapshot/schema.js';
import type { ConfigItem } from './client.js';
import {
  AccountPublicAccessBlock,
  DbInstanceConfiguration,
  DynamoTableConfiguration,
  DynamoTableSupplementary,
  IamGroupConfiguration,
  IamPolicyConfiguration,
  IamRoleConfiguration,
  IamUserConfiguration,
  KmsKeyConfiguration,
  KmsKeySupplementary,
  lowerKeys,
  PolicyDocument,
  type PolicyStatement,
  S3BucketSupplementary,
  SecurityGroupConfiguration,
  type SgPermission,
  TrailConfiguration,
  VolumeConfiguration,
} from './schema.js';

/** An account in scope, as declared in the options or reported by the aggregator. */
export interface AccountInScope {
  accountId: string;
  name?: string;
  regions: string[];
  rawRef: string | null;
}

type Input<K extends EntityInput['kind']> = Extract<EntityInput, { kind: K }>;

/** AWS managed policies that hand out administration of an account or of its identities. */
const ADMIN_POLICIES = new Set([
  'arn:aws:iam::aws:policy/AdministratorAccess',
  'arn:aws:iam::aws:policy/PowerUserAccess',
  'arn:aws:iam::aws:policy/IAMFullAccess',
  'arn:aws:iam::aws:policy/AWSOrganizationsFullAccess',
]);

const CLASSIFICATIONS = ['public', 'internal', 'confidential', 'restricted'] as const;

/** Parse with a lenient schema; an unexpected shape reads as "nothing recorded" instead of failing the run. */
function read<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> | Partial<z.infer<T>> {
  const parsed = schema.safeParse(lowerKeys(value) ?? {});
  return parsed.success ? parsed.data : {};
}

function toIso(value: string | null | undefined): string | null {
  if (!value) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

const list = (v: string | string[] | null | undefined): string[] =>
  v == null ? [] : Array.isArray(v) ? v : [v];

/** A policy document from a bucket policy (JSON text) or IAM (URL-encoded JSON text). */
export function parsePolicy(value: unknown): PolicyDocument | null {
  let v = value;
  if (typeof v === 'string' && v.trim().startsWith('%')) {
    try {
      v = decodeURIComponent(v);
    } catch {
      return null;
    }
  }
  const parsed = PolicyDocument.safeParse(lowerKeys(v));
  return parsed.success ? parsed.data : null;
}

function principalIsEveryone(p: PolicyStatement['principal']): boolean {
  if (p === '*') return true;
  if (p && typeof p === 'object') return list(p.aws).includes('*');
  return false;
}

function conditionValues(st: PolicyStatement, operator: string, key: string): string[] {
  const block = st.condition?.[operator.toLowerCase()];
  if (!block) return [];
  const v = block[key.toLowerCase()];
  return (Array.isArray(v) ? v : [v]).filter((x) => x !== undefined).map((x) => String(x).toLowerCase());
}

const coversAllS3 = (actions: string[]) => actions.some((a) => a === '*' || a.toLowerCase() === 's3:*');

/** Denies every request to the bucket's objects that does not come over TLS. */
function deniesInsecureTransport(doc: PolicyDocument, bucket: string): boolean {
  return doc.statement.some(
    (st) =>
      st.effect.toLowerCase() === 'deny' &&
      principalIsEveryone(st.principal) &&
      coversAllS3(list(st.action)) &&
      list(st.resource).some(
        (r) => r === '*' || r === `arn:aws:s3:::${bucket}/*` || r === `arn:aws:s3:::${bucket}*`,
      ) &&
      conditionValues(st, 'Bool', 'aws:SecureTransport').includes('false'),
  );
}

/** The lowest TLS version a bucket policy lets through, when it denies older ones. */
function minTlsFromPolicy(doc: PolicyDocument): '1.2' | '1.3' | null {
  for (const st of doc.statement) {
    if (st.effect.toLowerCase() !== 'deny' || !principalIsEveryone(st.principal)) continue;
    const v = conditionValues(st, 'NumericLessThan', 's3:TlsVersion')[0];
    if (v === '1.2' || v === '1.3') return v;
  }
  return null;
}

/** Grants read or write to anyone, with no condition that narrows who. */
function grantsPublicAccess(doc: PolicyDocument): boolean {
  return doc.statement.some(
    (st) => st.effect.toLowerCase() === 'allow' && principalIsEveryone(st.principal) && !st.condition,
  );
}

function allowsAdministration(doc: PolicyDocument | null): boolean {
  return (
    doc?.statement.some((st) => {
      if (st.effect.toLowerCase() !== 'allow') return false;
      const actions = list(st.action).map((a) => a.toLowerCase());
      return (
        actions.some((a) => a === '*' || a === '*:*' || a === 'iam:*') && list(st.resource).includes('*')
      );
    }) ?? false
  );
}

/** Human-readable algorithm of a KMS key spec. */
function keyAlgorithm(spec: string | null | undefined): string | null {
  if (!spec) return null;
  if (spec === 'SYMMETRIC_DEFAULT') return 'AES-256';
  let m = /^RSA_(\d+)$/.exec(spec);
  if (m) return `RSA-${m[1]}`;
  m = /^ECC_NIST_P(\d+)$/.exec(spec);
  if (m) return `EC-P${m[1]}`;
  if (spec === 'ECC_SECG_P256K1') return 'EC-secp256k1';
  m = /^HMAC_(\d+)$/.exec(spec);
  if (m) return `HMAC-SHA${m[1]}`;
  return spec;
}

function protocolName(p: string | number | null | undefined): string {
  const v = String(p ?? '-1').toLowerCase();
  const byNumber: Record<string, string> = {
    '-1': 'all',
    '6': 'tcp',
    '17': 'udp',
    '1': 'icmp',
    '58': 'icmpv6',
  };
  return byNumber[v] ?? v;
}

function classificationOf(tags: Record<string, string>): (typeof CLASSIFICATIONS)[number] | null {
  for (const [k, v] of Object.entries(tags)) {
    if (!/^(data[-_ ]?)?classification$/i.test(k)) continue;
    const value = v.trim().toLowerCase();
    if ((CLASSIFICATIONS as readonly string[]).includes(value))
      return value as (typeof CLASSIFICATIONS)[number];
  }
  return null;
}

function userTypeOf(tags: Record<string, string>): 'human' | 'service' {
  for (const [k, v] of Object.entries(tags)) {
    if (/^(plantproof:)?user-?type$/i.test(k) && v.trim().toLowerCase() === 'service') return 'service';
  }
  return 'human';
}

/** Configuration items → normalized entities. Items must already be de-duplicated. */
export function normalizeAwsConfig(
  items: ConfigItem[],
  accounts: AccountInScope[],
  sourceId: string,
): EntityInput[] {
  const entities: EntityInput[] = [];
  const common = (item: ConfigItem) => ({
    provider: 'aws',
    source: sourceId,
    rawRef: item.rawRef,
    accountId: item.accountId,
    ...(item.region !== 'global' ? { region: item.region } : {}),
    ...(Object.keys(item.tags).length ? { tags: item.tags } : {}),
  });
  const byType = new Map<string, ConfigItem[]>();
  for (const item of items) {
    if (!byType.has(item.resourceType)) byType.set(item.resourceType, []);
    byType.get(item.resourceType)!.push(item);
  }
  const ofType = (t: string) => byType.get(t) ?? [];

  for (const a of accounts) {
    entities.push({
      id: `aws:account:${a.accountId}`,
      kind: 'account',
      provider: 'aws',
      source: sourceId,
      rawRef: a.rawRef,
      accountId: a.accountId,
      ...(a.name ? { name: a.name } : {}),
      accountType: 'cloud_account',
      regions: [...a.regions].sort(),
    });
  }

  // KMS keys first: buckets, volumes and databases ask whether their key is customer managed.
  const keyManagers = new Map<string, string>();
  for (const item of ofType('AWS::KMS::Key')) {
    const c = read(KmsKeyConfiguration, item.configuration);
    const s = read(KmsKeySupplementary, item.supplementary);
    const keyId = c.keyid ?? item.resourceId;
    const manager = c.keymanager ?? null;
    if (manager) {
      keyManagers.set(keyId, manager);
      if (c.arn ?? item.arn) keyManagers.set((c.arn ?? item.arn)!, manager);
    }
    if (manager !== 'CUSTOMER' && manager !== 'AWS') continue;
    entities.push({
      ...common(item),
      id: `aws:kms:${item.accountId}:${item.region}:${keyId}`,
      kind: 'key',
      name: keyId,
      managedBy: manager === 'CUSTOMER' ? 'customer' : 'provider',
      enabled: c.enabled ?? null,
      rotationEnabled: s.keyrotationstatus ?? null,
      rotationPeriodDays: null,
      lastRotatedAt: null,
      // KMS never deletes a key at once: deletion is scheduled with a 7-30 day waiting period
      // during which it can be cancelled, which is what soft delete plus purge protection give.
      softDelete: true,
      purgeProtection: true,
      algorithm: keyAlgorithm(c.keyspec ?? c.customermasterkeyspec),
    } satisfies Input<'key'>);
  }
  /** true/false when the key is known, null when it is not among the collected items */
  const customerManaged = (keyRef: string | null | undefined): boolean | null => {
    if (!keyRef) return null;
    if (/(^|:)alias\/aws\//.test(keyRef)) return false;
    const id = keyRef.includes(':key/') ? keyRef.slice(keyRef.indexOf(':key/') + 5) : keyRef;
    const manager = keyManagers.get(keyRef) ?? keyManagers.get(id);
    return manager === undefined ? null : manager === 'CUSTOMER';
  };

  // S3: account-wide public access block, then buckets.
  const accountBlock = new Map<string, Partial<z.infer<typeof AccountPublicAccessBlock>>>();
  for (const item of ofType('AWS::S3::AccountPublicAccessBlock')) {
    accountBlock.set(item.accountId, read(AccountPublicAccessBlock, item.configuration));
  }
  const buckets = new Map<
    string,
    { supplementary: Partial<z.infer<typeof S3BucketSupplementary>>; item: ConfigItem }
  >();
  for (const item of ofType('AWS::S3::Bucket')) {
    const s = read(S3BucketSupplementary, item.supplementary);
    const bucket = item.resourceName ?? item.resourceId;
    buckets.set(bucket, { supplementary: s, item });

    const rule = s.serversideencryptionconfiguration?.rules?.[0]?.applyserversideencryptionbydefault;
    const sse = rule?.ssealgorithm ?? null;
    const kms = sse === 'aws:kms' || sse === 'aws:kms:dsse';
    const keyRef = rule?.kmsmasterkeyid ?? null;

    const policyRecorded = s.bucketpolicy !== undefined && s.bucketpolicy !== null;
    const policyText = s.bucketpolicy?.policytext ?? null;
    const policy = policyText === null ? null : parsePolicy(policyText);
    const policyKnown = policyRecorded && (policyText === null || policy !== null);
    const acl = s.accesscontrollist?.grantlist ?? null;
    const aclPublic =
      acl?.some((g) => /AllUsers|AuthenticatedUsers/.test(JSON.stringify(g.grantee ?? ''))) ?? null;
    const bucketBlock = s.publicaccessblockconfiguration ?? {};
    const acct = accountBlock.get(item.accountId) ?? {};
    const blocked = (
      k: 'blockpublicacls' | 'ignorepublicacls' | 'blockpublicpolicy' | 'restrictpublicbuckets',
    ) => bucketBlock[k] === true || acct[k] === true;
    const policyPublic = policy !== null && grantsPublicAccess(policy) && !blocked('restrictpublicbuckets');
    const aclIsPublic = aclPublic === true && !blocked('ignorepublicacls');
    let publicAccess: boolean | null = null;
    if (policyPublic || aclIsPublic) publicAccess = true;
    else if (
      ['blockpublicacls', 'ignorepublicacls', 'blockpublicpolicy', 'restrictpublicbuckets'].every((k) =>
        blocked(k as never),
      )
    )
      publicAccess = false;
    else if (policyKnown && aclPublic !== null) publicAccess = false;

    const versioning = s.bucketversioningconfiguration?.status;
    const logging = s.bucketloggingconfiguration;
    entities.push({
      ...common(item),
      id: `aws:s3:${item.accountId}:${item.region}:${bucket}`,
      kind: 'storage',
      name: bucket,
      storageType: 'object',
      encryptedAtRest: sse ? true : null,
      algorithm: sse ? 'AES-256' : null,
      customerManagedKey: !sse ? null : kms ? (keyRef ? customerManaged(keyRef) : false) : false,
      keyId: kms ? keyRef : null,
      publicAccess,
      tlsOnly: !policyKnown ? null : policy ? deniesInsecureTransport(policy, bucket) : false,
      minTlsVersion: policy ? minTlsFromPolicy(policy) : null,
      versioning: versioning ? versioning === 'Enabled' : null,
      accessLogging: logging ? Boolean(logging.destinationbucketname) : null,
      classification: classificationOf(item.tags),
    } satisfies Input<'storage'>);
  }

  for (const item of ofType('AWS::EC2::Volume')) {
    const c = read(VolumeConfiguration, item.configuration);
    const encrypted = c.encrypted ?? null;
    entities.push({
      ...common(item),
      id: `aws:ebs:${item.accountId}:${item.region}:${item.resourceId}`,
      kind: 'storage',
      name: item.resourceName ?? item.resourceId,
      storageType: 'block',
      encryptedAtRest: encrypted,
      algorithm: encrypted ? 'AES-256' : null,
      customerManagedKey: encrypted === false ? false : encrypted ? customerManaged(c.kmskeyid) : null,
      keyId: c.kmskeyid ?? null,
      // An EBS volume has no network endpoint of its own; only its snapshots can be shared.
      publicAccess: false,
      tlsOnly: null,
      classification: classificationOf(item.tags),
    } satisfies Input<'storage'>);
  }

  for (const item of ofType('AWS::RDS::DBInstance')) {
    const c = read(DbInstanceConfiguration, item.configuration);
    const encrypted = c.storageencrypted ?? null;
    const retention = c.backupretentionperiod ?? null;
    entities.push({
      ...common(item),
      id: `aws:rds:${item.accountId}:${item.region}:${item.resourceId}`,
      kind: 'database',
      name: c.dbinstanceidentifier ?? item.resourceName ?? item.resourceId,
      engine: c.engine ?? null,
      encryptedAtRest: encrypted,
      customerManagedKey: encrypted === false ? false : encrypted ? customerManaged(c.kmskeyid) : null,
      publiclyAccessible: c.publiclyaccessible ?? null,
      minTlsVersion: null,
      backupEnabled: retention === null ? null : retention > 0,
      backupRetentionDays: retention === null ? null : Math.max(0, Math.trunc(retention)),
      classification: classificationOf(item.tags),
    } satisfies Input<'database'>);
  }

  for (const item of ofType('AWS::DynamoDB::Table')) {
    const c = read(DynamoTableConfiguration, item.configuration);
    const s = read(DynamoTableSupplementary, item.supplementary);
    const sse = c.ssedescription;
    const pitr = s.continuousbackupsdescription?.pointintimerecoverydescription;
    const pitrStatus = pitr?.pointintimerecoverystatus ?? null;
    entities.push({
      ...common(item),
      id: `aws:dynamodb:${item.accountId}:${item.region}:${item.resourceId}`,
      kind: 'database',
      name: c.tablename ?? item.resourceName ?? item.resourceId,
      engine: 'dynamodb',
      // DynamoDB encrypts every table at rest; without an SSE description it uses a key AWS owns.
      encryptedAtRest: true,
      customerManagedKey: !sse ? false : sse.ssetype === 'KMS' ? customerManaged(sse.kmsmasterkeyarn) : false,
      publiclyAccessible: null,
      minTlsVersion: null,
      backupEnabled: pitrStatus === null ? null : pitrStatus === 'ENABLED',
      backupRetentionDays:
        pitrStatus === 'ENABLED' && pitr?.recoveryperiodindays != null ? pitr.recoveryperiodindays : null,
      classification: classificationOf(item.tags),
    } satisfies Input<'database'>);
  }

  for (const item of ofType('AWS::CloudTrail::Trail')) {
    const c = read(TrailConfiguration, item.configuration);
    const bucket = c.s3bucketname ? buckets.get(c.s3bucketname) : undefined;
    let retentionDays: number | null = null;
    let immutable: boolean | null = null;
    if (bucket) {
      const logPath = `${c.s3keyprefix ? `${c.s3keyprefix}/` : ''}AWSLogs/`;
      const expiries = (bucket.supplementary.bucketlifecycleconfiguration?.rules ?? [])
        .filter((r) => r.status === 'Enabled' && typeof r.expirationindays === 'number')
        .filter((r) => {
          const f = lowerKeys(r.filter) as
            | { predicate?: { type?: string; prefix?: string } }
            | null
            | undefined;
          if (f?.predicate && f.predicate.type !== 'LifecyclePrefixPredicate') return false;
          const prefix = f?.predicate?.prefix ?? r.prefix ?? '';
          return logPath.startsWith(prefix);
        })
        .map((r) => r.expirationindays as number);
      retentionDays = expiries.length ? Math.min(...expiries) : null;
      const lock = bucket.supplementary.objectlockconfiguration;
      immutable = lock?.objectlockenabled === 'Enabled' && lock.rule?.defaultretention?.mode === 'COMPLIANCE';
    }
    const multiRegion = c.ismultiregiontrail ?? null;
    const home = c.homeregion ?? item.region;
    entities.push({
      ...common(item),
      id: `aws:cloudtrail:${c.trailarn ?? item.arn ?? `${item.accountId}:${home}:${item.resourceId}`}`,
      kind: 'audit_log',
      name: c.name ?? item.resourceName ?? item.resourceId,
      // AWS Config does not record whether a trail is logging (cloudtrail:GetTrailStatus).
      enabled: null,
      multiRegion,
      regions: multiRegion ? [] : [home],
      integrityValidation: c.logfilevalidationenabled ?? null,
      immutable,
      retentionDays,
      categories: c.hascustomeventselectors === false ? ['authentication', 'configuration', 'security'] : [],
    } satisfies Input<'audit_log'>);
  }

  for (const item of ofType('AWS::EC2::SecurityGroup')) {
    const c = read(SecurityGroupConfiguration, item.configuration);
    const groupId = c.groupid ?? item.resourceId;
    const groupName = c.groupname ?? item.resourceName ?? groupId;
    const seen = new Set<string>();
    for (const perm of c.ippermissions ?? []) {
      const rule = networkRule(perm, groupId, groupName, item);
      let id = rule.id;
      for (let n = 2; seen.has(id); n++) id = `${rule.id}#${n}`;
      seen.add(id);
      entities.push({ ...common(item), ...rule, id });
    }
  }

  // IAM: policies and groups first, for what users and roles are privileged through.
  const adminPolicies = new Set(ADMIN_POLICIES);
  for (const item of ofType('AWS::IAM::Policy')) {
    const c = read(IamPolicyConfiguration, item.configuration);
    const current = c.policyversionlist?.find(
      (v) => v.isdefaultversion === true || v.versionid === c.defaultversionid,
    );
    if (c.arn && allowsAdministration(parsePolicy(current?.document))) adminPolicies.add(c.arn);
  }
  const isAdminPolicy = (arn: string | null | undefined) => (arn ? adminPolicies.has(arn) : false);
  const scopeOf = (item: ConfigItem) => `aws:account:${item.accountId}`;
  const assignments = (
    item: ConfigItem,
    principal: { arn: string; name: string; type: 'user' | 'group' | 'service' },
    attached: Array<{ policyname?: string | null; policyarn?: string | null }>,
    inline: Array<{ policyname?: string | null; policydocument?: string | null }>,
  ) => {
    for (const p of attached) {
      if (!p.policyarn) continue;
      entities.push({
        ...common(item),
        id: `aws:iam-assignment:${principal.arn}:${p.policyarn}`,
        kind: 'role_assignment',
        name: `${principal.name} → ${p.policyname ?? p.policyarn}`,
        // the user's entity id, so checks join assignments to users by id
        principalId: principal.type === 'user' ? `aws:iam-user:${principal.arn}` : principal.arn,
        principalName: principal.name,
        principalType: principal.type,
        role: p.policyname ?? p.policyarn,
        scope: scopeOf(item),
        privileged: isAdminPolicy(p.policyarn),
      } satisfies Input<'role_assignment'>);
    }
    for (const p of inline) {
      if (!p.policyname) continue;
      entities.push({
        ...common(item),
        id: `aws:iam-assignment:${principal.arn}:inline/${p.policyname}`,
        kind: 'role_assignment',
        name: `${principal.name} → ${p.policyname} (inline)`,
        // the user's entity id, so checks join assignments to users by id
        principalId: principal.type === 'user' ? `aws:iam-user:${principal.arn}` : principal.arn,
        principalName: principal.name,
        principalType: principal.type,
        role: `inline:${p.policyname}`,
        scope: scopeOf(item),
        privileged: allowsAdministration(parsePolicy(p.policydocument)),
      } satisfies Input<'role_assignment'>);
    }
  };

  const privilegedGroups = new Set<string>();
  for (const item of ofType('AWS::IAM::Group')) {
    const c = read(IamGroupConfiguration, item.configuration);
    const name = c.groupname ?? item.resourceName ?? item.resourceId;
    const arn = c.arn ?? item.arn ?? `arn:aws:iam::${item.accountId}:group/${name}`;
    const attached = c.attachedmanagedpolicies ?? [];
    const inline = c.grouppolicylist ?? [];
    if (
      attached.some((p) => isAdminPolicy(p.policyarn)) ||
      inline.some((p) => allowsAdministration(parsePolicy(p.policydocument)))
    ) {
      privilegedGroups.add(`${item.accountId}:${name}`);
    }
    assignments(item, { arn, name, type: 'group' }, attached, inline);
  }

  for (const item of ofType('AWS::IAM::User')) {
    const c = read(IamUserConfiguration, item.configuration);
    const username = c.username ?? item.resourceName ?? item.resourceId;
    const arn = c.arn ?? item.arn ?? `arn:aws:iam::${item.accountId}:user/${username}`;
    const attached = c.attachedmanagedpolicies ?? [];
    const inline = c.userpolicylist ?? [];
    const groups = c.grouplist ?? [];
    const privileged =
      attached.some((p) => isAdminPolicy(p.policyarn)) ||
      inline.some((p) => allowsAdministration(parsePolicy(p.policydocument))) ||
      groups.some((g) => privilegedGroups.has(`${item.accountId}:${g}`));
    entities.push({
      ...common(item),
      id: `aws:iam-user:${arn}`,
      kind: 'user',
      name: username,
      userType: userTypeOf(item.tags),
      // IAM users have no disabled state; AWS Config records neither console access nor MFA devices.
      status: 'active',
      username,
      displayName: null,
      email: null,
      privileged,
      mfaEnrolled: null,
      mfaEnforced: null,
      lastLoginAt: null,
      createdAt: toIso(c.createdate),
      groups,
    } satisfies Input<'user'>);
    assignments(item, { arn, name: username, type: 'user' }, attached, inline);
  }

  for (const item of ofType('AWS::IAM::Role')) {
    const c = read(IamRoleConfiguration, item.configuration);
    // Service-linked roles belong to AWS services and carry only AWS-defined permissions.
    if (c.path?.startsWith('/aws-service-role/')) continue;
    const name = c.rolename ?? item.resourceName ?? item.resourceId;
    const arn = c.arn ?? item.arn ?? `arn:aws:iam::${item.accountId}:role/${name}`;
    const trust = parsePolicy(c.assumerolepolicydocument);
    const principals = trust?.statement.flatMap((st) =>
      st.principal && typeof st.principal === 'object'
        ? Object.keys(st.principal)
        : [String(st.principal ?? '')],
    );
    const serviceOnly =
      principals !== undefined && principals.length > 0 && principals.every((p) => p === 'service');
    assignments(
      item,
      { arn, name, type: serviceOnly ? 'service' : 'user' },
      c.attachedmanagedpolicies ?? [],
      c.rolepolicylist ?? [],
    );
  }

  return entities;
}

function networkRule(perm: SgPermission, groupId: string, groupName: string, item: ConfigItem) {
  const protocol = protocolName(perm.ipprotocol);
  const from = perm.fromport ?? null;
  const to = perm.toport ?? null;
  const hasPorts =
    (protocol === 'tcp' || protocol === 'udp') && from !== null && to !== null && from >= 0 && to >= from;
  const ports = hasPorts ? [{ from: from as number, to: to as number }] : [];
  const sources = [
    ...(perm.ipv4ranges ?? []).map((r) => r.cidrip),
    ...(perm.ipranges ?? []),
    ...(perm.ipv6ranges ?? []).map((r) => r.cidripv6),
    ...(perm.prefixlistids ?? []).map((r) => r.prefixlistid),
    ...(perm.useridgrouppairs ?? []).map((p) =>
      p.userid && p.userid !== item.accountId ? `${p.userid}/${p.groupid}` : p.groupid,
    ),
  ].filter((s): s is string => typeof s === 'string' && s.length > 0);
  const uniqueSources = [...new Set(sources)];
  const portLabel = hasPorts ? (from === to ? `${from}` : `${from}-${to}`) : 'all';
  return {
    id: `aws:sg-rule:${item.accountId}:${item.region}:${groupId}:ingress:${protocol}:${portLabel}`,
    kind: 'network_rule' as const,
    name: `${groupName} ingress ${protocol}/${portLabel}`,
    groupId,
    direction: 'ingress' as const,
    action: 'allow' as const,
    protocol,
    ports,
    sources: uniqueSources,
    internetExposed: uniqueSources.some((s) => s === '0.0.0.0/0' || s === '::/0'),
    priority: null,
  } satisfies Omit<Input<'network_rule'>, 'provider' | 'source' | 'rawRef'>;
}
