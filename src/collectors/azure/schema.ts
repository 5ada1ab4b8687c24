import { z } from 'zod';

/** One `type: azure` entry of plantproof.yaml, without `type`. */
export const AzureOptions = z
  .strictObject({
    /** a label for the source id; defaults to the one subscription, the tenant, or `all-subscriptions` */
    name: z.string().min(1).optional(),
    /** subscription ids to collect; leave out to collect every subscription the credential can see */
    subscriptions: z.array(z.guid()).min(1).optional(),
    /** Entra tenant to sign in to (default: the credential's home tenant) */
    tenantId: z.string().min(1).optional(),
    /** app registration to sign in as with a client secret, together with `clientSecretEnv` */
    clientId: z.string().min(1).optional(),
    /** name of the environment variable holding that app's client secret (never the secret itself) */
    clientSecretEnv: z.string().min(1).optional(),
    /** Resource Manager base URL: sovereign clouds, Azure Stack, the demo and tests */
    endpoint: z.url({ protocol: /^https$/ }).default('https://management.azure.com'),
    /** Entra sign-in host, e.g. https://login.microsoftonline.us for US Government */
    authorityHost: z.url({ protocol: /^https$/ }).optional(),
    /** extra PEM CA bundle to trust for Resource Manager and sign-in, relative to plantproof.yaml */
    caFile: z.string().min(1).optional(),
    /** Resource Manager requests in flight at once */
    concurrency: z.number().int().min(1).max(32).default(4),
    /** time limit of one HTTP request, in milliseconds */
    timeoutMs: z.number().int().min(100).default(30_000),
  })
  .refine((o) => (o.clientId === undefined) === (o.clientSecretEnv === undefined), {
    message: 'clientId and clientSecretEnv go together',
    path: ['clientSecretEnv'],
  })
  .refine((o) => o.clientId === undefined || o.tenantId !== undefined, {
    message: 'signing in with clientId needs tenantId',
    path: ['tenantId'],
  });
export type AzureOptions = z.infer<typeof AzureOptions>;

/*
 * Wire shapes of Resource Manager and Resource Graph, lenient: only the fields the normalizer
 * reads, every one optional or nullable because ARM returns `null` as readily as it leaves a
 * field out, and unknown fields pass through untouched.
 */

const str = z.string().nullish();
const bool = z.boolean().nullish();

export const ArmSubscription = z.looseObject({
  id: z.string(),
  subscriptionId: z.string(),
  displayName: str,
  state: str,
  tenantId: str,
});
export type ArmSubscription = z.infer<typeof ArmSubscription>;

/** A Resource Manager list page: `{ value: [...], nextLink }` */
export const ArmPage = z.looseObject({
  value: z.array(z.unknown()),
  nextLink: z.string().nullish(),
});

/** POST /providers/Microsoft.ResourceGraph/resources reply with resultFormat objectArray */
export const ResourceGraphReply = z.looseObject({
  totalRecords: z.number().int().nonnegative(),
  count: z.number().int().nonnegative(),
  resultTruncated: z.enum(['true', 'false']),
  $skipToken: z.string().nullish(),
  data: z.array(z.record(z.string(), z.unknown())),
  facets: z.array(z.unknown()).nullish(),
});
export type ResourceGraphReply = z.infer<typeof ResourceGraphReply>;

/** One row of the `resources` table as projected by the resource query */
export const GraphResource = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  type: z.string(),
  location: str,
  resourceGroup: str,
  subscriptionId: z.string(),
  tags: z.record(z.string(), z.unknown()).nullish(),
  kind: str,
  properties: z.unknown(),
});
export type GraphResource = z.infer<typeof GraphResource>;

/** One row of the regions query: `summarize resources = count() by subscriptionId, location` */
export const GraphRegionRow = z.looseObject({
  subscriptionId: z.string(),
  location: str,
});

/** Microsoft.Storage/storageAccounts properties */
export const StorageAccountProperties = z.looseObject({
  encryption: z
    .looseObject({
      /** Microsoft.Storage | Microsoft.Keyvault */
      keySource: str,
      services: z
        .looseObject({
          blob: z.looseObject({ enabled: bool }).nullish(),
        })
        .nullish(),
      keyvaultproperties: z.looseObject({ keyname: str, keyvaulturi: str, keyversion: str }).nullish(),
    })
    .nullish(),
  supportsHttpsTrafficOnly: bool,
  /** TLS1_0 | TLS1_1 | TLS1_2 | TLS1_3 */
  minimumTlsVersion: str,
  allowBlobPublicAccess: bool,
});

/** Microsoft.KeyVault/vaults/keys, read from Resource Manager (Resource Graph does not hold keys) */
export const KeyVaultKey = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  tags: z.record(z.string(), z.unknown()).nullish(),
  properties: z.looseObject({
    attributes: z
      .looseObject({
        enabled: bool,
        /** seconds since the epoch */
        created: z.number().nullish(),
        updated: z.number().nullish(),
        exp: z.number().nullish(),
      })
      .nullish(),
    /** RSA | RSA-HSM | EC | EC-HSM */
    kty: str,
    keySize: z.number().nullish(),
    curveName: str,
    keyUri: str,
    /** left out when the key has no rotation policy */
    rotationPolicy: z
      .looseObject({
        attributes: z.looseObject({ expiryTime: str }).nullish(),
        lifetimeActions: z
          .array(
            z.looseObject({
              trigger: z.looseObject({ timeAfterCreate: str, timeBeforeExpiry: str }).nullish(),
              action: z.looseObject({ type: str }).nullish(),
            }),
          )
          .nullish(),
      })
      .nullish(),
  }),
});
export type KeyVaultKey = z.infer<typeof KeyVaultKey>;

/** Microsoft.Sql/servers properties */
export const SqlServerProperties = z.looseObject({
  /** 1.0 | 1.1 | 1.2 | 1.3 | None */
  minimalTlsVersion: str,
  /** Enabled | Disabled | SecuredByPerimeter */
  publicNetworkAccess: str,
});

/** Microsoft.Sql/servers/databases/transparentDataEncryption/current (`status` before api-version 2021-02-01) */
export const SqlTransparentDataEncryption = z.looseObject({
  properties: z.looseObject({ state: str, status: str }),
});

/** Microsoft.Sql/servers/encryptionProtector/current */
export const SqlEncryptionProtector = z.looseObject({
  properties: z.looseObject({
    /** ServiceManaged | AzureKeyVault */
    serverKeyType: str,
    uri: str,
  }),
});

export const SecurityRule = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  properties: z.looseObject({
    /** Tcp | Udp | Icmp | Esp | Ah | * */
    protocol: z.string(),
    destinationPortRange: str,
    destinationPortRanges: z.array(z.string()).nullish(),
    sourceAddressPrefix: str,
    sourceAddressPrefixes: z.array(z.string()).nullish(),
    sourceApplicationSecurityGroups: z.array(z.looseObject({ id: z.string() })).nullish(),
    destinationAddressPrefix: str,
    destinationAddressPrefixes: z.array(z.string()).nullish(),
    destinationApplicationSecurityGroups: z.array(z.looseObject({ id: z.string() })).nullish(),
    /** Allow | Deny */
    access: z.string(),
    priority: z.number().int().nullish(),
    /** Inbound | Outbound */
    direction: z.string(),
  }),
});
export type SecurityRule = z.infer<typeof SecurityRule>;

/** Microsoft.Network/networkSecurityGroups properties */
export const NetworkSecurityGroupProperties = z.looseObject({
  securityRules: z.array(SecurityRule).nullish(),
  defaultSecurityRules: z.array(SecurityRule).nullish(),
});

/** Microsoft.Compute/disks properties */
export const DiskProperties = z.looseObject({
  encryption: z
    .looseObject({
      /** EncryptionAtRestWithPlatformKey | EncryptionAtRestWithCustomerKey | EncryptionAtRestWithPlatformAndCustomerKeys */
      type: str,
      diskEncryptionSetId: str,
    })
    .nullish(),
  /** AllowAll | AllowPrivate | DenyAll */
  networkAccessPolicy: str,
  /** Enabled | Disabled */
  publicNetworkAccess: str,
});

/** Microsoft.OperationalInsights/workspaces properties */
export const WorkspaceProperties = z.looseObject({
  retentionInDays: z.number().nullish(),
});

/** Microsoft.Insights/diagnosticSettings at subscription scope: where the activity log goes */
export const DiagnosticSetting = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  properties: z.looseObject({
    storageAccountId: str,
    workspaceId: str,
    eventHubAuthorizationRuleId: str,
    eventHubName: str,
    marketplacePartnerId: str,
    logs: z
      .array(
        z.looseObject({
          category: str,
          categoryGroup: str,
          enabled: z.boolean(),
          /** legacy per-category retention, honoured only for a storage account destination */
          retentionPolicy: z.looseObject({ enabled: bool, days: z.number().nullish() }).nullish(),
        }),
      )
      .nullish(),
  }),
});
export type DiagnosticSetting = z.infer<typeof DiagnosticSetting>;

/** Microsoft.Storage/storageAccounts/managementPolicies/default: lifecycle rules that delete old blobs */
export const StorageManagementPolicy = z.looseObject({
  properties: z.looseObject({
    policy: z.looseObject({
      rules: z
        .array(
          z.looseObject({
            enabled: bool,
            name: str,
            definition: z.looseObject({
              filters: z
                .looseObject({
                  prefixMatch: z.array(z.string()).nullish(),
                  blobTypes: z.array(z.string()).nullish(),
                })
                .nullish(),
              actions: z.looseObject({
                baseBlob: z
                  .looseObject({
                    delete: z
                      .looseObject({
                        daysAfterModificationGreaterThan: z.number().nullish(),
                        daysAfterCreationGreaterThan: z.number().nullish(),
                      })
                      .nullish(),
                  })
                  .nullish(),
              }),
            }),
          }),
        )
        .nullish(),
    }),
  }),
});
export type StorageManagementPolicy = z.infer<typeof StorageManagementPolicy>;
