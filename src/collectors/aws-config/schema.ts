import { z } from 'zod';

/** The AWS Config resource types this collector asks for. */
export const RESOURCE_TYPES = [
  'AWS::S3::Bucket',
  'AWS::S3::AccountPublicAccessBlock',
  'AWS::KMS::Key',
  'AWS::CloudTrail::Trail',
  'AWS::EC2::SecurityGroup',
  'AWS::EC2::Volume',
  'AWS::RDS::DBInstance',
  'AWS::DynamoDB::Table',
  'AWS::IAM::User',
  'AWS::IAM::Group',
  'AWS::IAM::Role',
  'AWS::IAM::Policy',
  'AWS::ElasticLoadBalancingV2::Listener',
] as const;
export const ResourceType = z.enum(RESOURCE_TYPES);
export type ResourceType = z.infer<typeof ResourceType>;

const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'an AWS region name such as eu-central-1');
const accountId = z.string().regex(/^\d{12}$/, 'a 12-digit AWS account id');
const roleArn = z.string().regex(/^arn:aws[\w-]*:iam::\d{12}:role\/.+$/, 'an IAM role ARN');

/** How to get credentials; without any of these the SDK's default provider chain is used as is. */
const access = {
  /** role to assume (from the default chain's credentials) before calling AWS Config */
  roleArn: roleArn.optional(),
  externalId: z.string().min(2).optional(),
  /** named profile in the shared config/credentials files (SSO, role chaining, credential_process) */
  profile: z.string().min(1).optional(),
};

export const AwsAccount = z.strictObject({
  accountId,
  name: z.string().min(1).optional(),
  regions: z.array(region).min(1),
  ...access,
});
export type AwsAccount = z.infer<typeof AwsAccount>;

export const AwsConfigOptions = z
  .strictObject({
    /** a label for the source id; defaults to the account ids or the aggregator name */
    name: z.string().min(1).optional(),
    /** query each account and region with SelectResourceConfig */
    accounts: z.array(AwsAccount).min(1).optional(),
    /** or query one organization (or multi-account) aggregator with SelectAggregateResourceConfig */
    aggregator: z.strictObject({ name: z.string().min(1), region, ...access }).optional(),
    /** AWS Config endpoint override (VPC endpoint, local test server) */
    endpoint: z.url().optional(),
    /** STS endpoint override for roleArn (VPC endpoint, local test server) */
    stsEndpoint: z.url().optional(),
    /** `auto` uses advanced query and falls back to ListDiscoveredResources + BatchGetResourceConfig where it is not offered */
    mode: z.enum(['auto', 'advanced-query', 'list']).default('auto'),
    /** account/region pairs collected at once */
    concurrency: z.number().int().min(1).max(32).default(4),
    /** per HTTP attempt */
    timeoutMs: z.number().int().min(100).max(600_000).default(30_000),
    /** attempts per call, throttling retries included (SDK adaptive retry) */
    maxAttempts: z.number().int().min(1).max(20).default(8),
    /** collect only these types (default: all supported) */
    resourceTypes: z.array(ResourceType).min(1).optional(),
  })
  .superRefine((o, ctx) => {
    if ((o.accounts === undefined) === (o.aggregator === undefined)) {
      ctx.addIssue({
        code: 'custom',
        message: 'give either accounts or aggregator (exactly one)',
        path: ['accounts'],
      });
    }
    const seen = new Set<string>();
    for (const [i, a] of (o.accounts ?? []).entries()) {
      if (seen.has(a.accountId)) {
        ctx.addIssue({
          code: 'custom',
          message: `account ${a.accountId} is listed twice`,
          path: ['accounts', i],
        });
      }
      seen.add(a.accountId);
    }
    if (o.mode === 'list' && o.aggregator) {
      ctx.addIssue({
        code: 'custom',
        message: 'mode "list" needs accounts; an aggregator is read with advanced query',
        path: ['mode'],
      });
    }
  });
export type AwsConfigOptions = z.infer<typeof AwsConfigOptions>;

// ---------------------------------------------------------------------------------------------
// Wire shapes. AWS Config spells one property differently across resource types and over time
// (sSEDescription, ssedescription, SSEDescription), so configuration objects are read with their
// keys lowercased; and it delivers nested JSON sometimes as objects (advanced query) and sometimes
// as JSON strings, now and then encoded twice (BatchGetResourceConfig supplementary values).
// ---------------------------------------------------------------------------------------------

/** Parse a JSON string (repeatedly, for doubly encoded values); other values pass through. */
export function decodeJsonish(value: unknown): unknown {
  let v = value;
  for (let i = 0; i < 3 && typeof v === 'string'; i++) {
    const s = v.trim();
    if (!(s.startsWith('{') || s.startsWith('[') || s.startsWith('"') || s === 'true' || s === 'false'))
      break;
    try {
      v = JSON.parse(s);
    } catch {
      break;
    }
  }
  return v;
}

/** Lowercase every object key, recursively, after decoding JSON strings. */
export function lowerKeys(value: unknown): unknown {
  const v = decodeJsonish(value);
  if (Array.isArray(v)) return v.map(lowerKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.toLowerCase(), lowerKeys(x)]));
  }
  return v;
}

const str = z.string().nullish();
const bool = z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean().nullish());
const int = z.preprocess(
  (v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v),
  z.number().nullish(),
);
/** An optional nested object; anything unexpected reads as absent rather than failing the item. */
const obj = <T extends z.ZodRawShape>(shape: T) => z.object(shape).nullish().catch(undefined);
const arr = <T extends z.ZodType>(item: T) => z.array(item).nullish().catch(undefined);

/** One row of SelectResourceConfig / SelectAggregateResourceConfig `Results`, after JSON.parse. */
export const SelectRow = z.object({
  resourceType: z.string(),
  resourceId: z.string(),
  resourceName: str,
  accountId: z.string(),
  awsRegion: z.string(),
  arn: str,
  configurationItemCaptureTime: str,
  configurationItemStatus: str,
  configuration: z.unknown().optional(),
  supplementaryConfiguration: z.unknown().optional(),
  /** advanced query returns tags as [{key, value, tag}]; configuration items as a map */
  tags: z
    .union([
      z.array(z.object({ key: z.string(), value: z.string().nullish() })),
      z.record(z.string(), z.string().nullish()),
    ])
    .nullish()
    .catch(undefined),
  relationships: arr(
    z.object({ resourceType: str, resourceId: str, resourceName: str, name: str, relationshipName: str }),
  ),
});
export type SelectRow = z.infer<typeof SelectRow>;

/** A BaseConfigurationItem of BatchGetResourceConfig, as the SDK hands it over. */
export const BaseItem = z.object({
  resourceType: z.string(),
  resourceId: z.string(),
  resourceName: str,
  accountId: z.string(),
  awsRegion: z.string(),
  arn: str,
  /** a Date from the SDK; epoch seconds on the wire */
  configurationItemCaptureTime: z
    .union([z.date(), z.string(), z.number().transform((n) => new Date(n * 1000))])
    .nullish(),
  configurationItemStatus: str,
  configuration: str,
  supplementaryConfiguration: z.record(z.string(), z.string()).nullish(),
});
export type BaseItem = z.infer<typeof BaseItem>;

/** Policy documents (bucket policies, IAM policies), keys lowercased like the rest. */
const principal = z
  .union([z.string(), z.record(z.string(), z.union([z.string(), z.array(z.string())]))])
  .nullish();
const oneOrMany = z.union([z.string(), z.array(z.string())]).nullish();
const Statement = z.object({
  effect: z.string(),
  principal,
  notprincipal: principal,
  action: oneOrMany,
  notaction: oneOrMany,
  resource: oneOrMany,
  condition: z.record(z.string(), z.record(z.string(), z.unknown())).nullish(),
});
export const PolicyDocument = z.object({
  statement: z.union([z.array(Statement), Statement]).transform((s) => (Array.isArray(s) ? s : [s])),
});
export type PolicyDocument = z.infer<typeof PolicyDocument>;
export type PolicyStatement = z.infer<typeof Statement>;

// Per resource type: configuration and supplementaryConfiguration, keys lowercased.

export const S3BucketSupplementary = z.object({
  serversideencryptionconfiguration: obj({
    rules: arr(
      z.object({
        applyserversideencryptionbydefault: obj({ ssealgorithm: str, kmsmasterkeyid: str }),
        bucketkeyenabled: bool,
      }),
    ),
  }),
  publicaccessblockconfiguration: obj({
    blockpublicacls: bool,
    ignorepublicacls: bool,
    blockpublicpolicy: bool,
    restrictpublicbuckets: bool,
  }),
  bucketpolicy: obj({ policytext: z.unknown() }),
  accesscontrollist: obj({
    grantlist: arr(z.object({ grantee: z.unknown(), permission: str })),
  }),
  bucketversioningconfiguration: obj({ status: str }),
  bucketloggingconfiguration: obj({ destinationbucketname: str }),
  bucketlifecycleconfiguration: obj({
    rules: arr(
      z.object({
        id: str,
        status: str,
        expirationindays: int,
        prefix: str,
        filter: z.unknown().optional(),
      }),
    ),
  }),
  objectlockconfiguration: obj({
    objectlockenabled: str,
    rule: obj({ defaultretention: obj({ mode: str, days: int, years: int }) }),
  }),
});

export const AccountPublicAccessBlock = z.object({
  blockpublicacls: bool,
  ignorepublicacls: bool,
  blockpublicpolicy: bool,
  restrictpublicbuckets: bool,
});

export const KmsKeyConfiguration = z.object({
  keyid: str,
  arn: str,
  enabled: bool,
  keymanager: str,
  keystate: str,
  keyspec: str,
  customermasterkeyspec: str,
  description: str,
});
export const KmsKeySupplementary = z.object({ keyrotationstatus: bool });

export const TrailConfiguration = z.object({
  name: str,
  trailarn: str,
  homeregion: str,
  ismultiregiontrail: bool,
  logfilevalidationenabled: bool,
  s3bucketname: str,
  s3keyprefix: str,
  cloudwatchlogsloggrouparn: str,
  hascustomeventselectors: bool,
  includeglobalserviceevents: bool,
});

const sgPermission = z.object({
  ipprotocol: z.union([z.string(), z.number()]).nullish(),
  fromport: int,
  toport: int,
  ipranges: arr(z.string()),
  ipv4ranges: arr(z.object({ cidrip: str })),
  ipv6ranges: arr(z.object({ cidripv6: str })),
  prefixlistids: arr(z.object({ prefixlistid: str })),
  useridgrouppairs: arr(z.object({ groupid: str, userid: str })),
});
export type SgPermission = z.infer<typeof sgPermission>;
export const SecurityGroupConfiguration = z.object({
  groupid: str,
  groupname: str,
  vpcid: str,
  ippermissions: arr(sgPermission),
});

export const VolumeConfiguration = z.object({
  volumeid: str,
  encrypted: bool,
  kmskeyid: str,
  size: int,
  volumetype: str,
});

export const DbInstanceConfiguration = z.object({
  dbinstanceidentifier: str,
  engine: str,
  storageencrypted: bool,
  kmskeyid: str,
  publiclyaccessible: bool,
  backupretentionperiod: int,
});

export const DynamoTableConfiguration = z.object({
  tablename: str,
  ssedescription: obj({ status: str, ssetype: str, kmsmasterkeyarn: str }),
});
export const DynamoTableSupplementary = z.object({
  continuousbackupsdescription: obj({
    continuousbackupsstatus: str,
    pointintimerecoverydescription: obj({ pointintimerecoverystatus: str, recoveryperiodindays: int }),
  }),
});

const attached = arr(z.object({ policyname: str, policyarn: str }));
const inline = arr(z.object({ policyname: str, policydocument: str }));
export const IamUserConfiguration = z.object({
  username: str,
  userid: str,
  arn: str,
  path: str,
  createdate: str,
  grouplist: arr(z.string()),
  attachedmanagedpolicies: attached,
  userpolicylist: inline,
});
export const IamGroupConfiguration = z.object({
  groupname: str,
  arn: str,
  attachedmanagedpolicies: attached,
  grouppolicylist: inline,
});
export const IamRoleConfiguration = z.object({
  rolename: str,
  arn: str,
  path: str,
  assumerolepolicydocument: str,
  attachedmanagedpolicies: attached,
  rolepolicylist: inline,
});
export const IamPolicyConfiguration = z.object({
  policyname: str,
  arn: str,
  defaultversionid: str,
  policyversionlist: arr(z.object({ document: str, versionid: str, isdefaultversion: bool })),
});

export const ConfigurationRecorderConfiguration = z.object({ name: str, recording: bool });
