import { z } from 'zod';

/** Built-in groups that administer an Active Directory domain, by name and by well-known SID or RID. */
export const AD_PRIVILEGED_GROUPS = [
  { name: 'Domain Admins', rid: 512 },
  { name: 'Enterprise Admins', rid: 519 },
  { name: 'Schema Admins', rid: 518 },
  { name: 'Administrators', sid: 'S-1-5-32-544' },
  { name: 'Account Operators', sid: 'S-1-5-32-548' },
  { name: 'Backup Operators', sid: 'S-1-5-32-551' },
] as const;

const dn = z.string().min(1).regex(/=/, 'a distinguished name such as dc=example,dc=com');

export const LdapOptions = z
  .strictObject({
    /** a label for the source id; defaults to the host of `url` */
    name: z.string().min(1).optional(),
    /** ldaps://host[:port] or ldap://host[:port] */
    url: z
      .string()
      .regex(
        /^ldaps?:\/\/[^/\s]+\/?$/i,
        'an LDAP URL with scheme, host and optional port: ldaps://dc01.example.com',
      ),
    /** upgrade ldap:// with StartTLS before binding; defaults to true for ldap:// */
    startTls: z.boolean().optional(),
    /** bind without TLS over ldap://; the password crosses the network readable. Reported as a finding. */
    allowPlaintext: z.boolean().default(false),
    bindDn: dn,
    /** name of the environment variable holding the bind password */
    passwordEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name'),
    /** subtree holding users and groups */
    baseDn: dn,
    flavor: z.enum(['ad', 'openldap']),
    /**
     * groups whose members administer the directory or the plant: DNs, common names or (AD) SIDs.
     * AD default: Domain Admins, Enterprise Admins, Schema Admins, Administrators, Account Operators,
     * Backup Operators (matched by well-known SID, so renamed or localized groups are found).
     */
    privilegedGroups: z.array(z.string().min(1)).min(1).optional(),
    /** PEM bundle of the CA(s) that issued the directory's certificate (relative to plantproof.yaml) */
    caFile: z.string().min(1).optional(),
    timeoutMs: z.number().int().positive().max(600_000).default(15_000),
    /** entries per page of the paged-results control (AD's MaxPageSize is 1000) */
    pageSize: z.number().int().min(1).max(5000).default(500),
    /** override the search filter for users */
    userFilter: z.string().min(3).optional(),
    /** override the search filter for groups */
    groupFilter: z.string().min(3).optional(),
    /** AD: the domain object holding the default password policy; default: the dc= part of baseDn */
    domainDn: dn.optional(),
    /** OpenLDAP: where pwdPolicy entries live; default: baseDn */
    policyBaseDn: dn.optional(),
    /** OpenLDAP: the ppolicy_default DN, when cn=config is not readable by the bind account */
    ppolicyDefaultDn: dn.optional(),
    /** users under these DNs (e.g. ou=service-accounts,...) are service identities */
    serviceAccountDns: z.array(dn).default([]),
    /** `all` emits a role_assignment per group membership (the RBAC matrix needs them); `privileged` only those */
    roleAssignments: z.enum(['all', 'privileged']).default('all'),
  })
  .superRefine((o, ctx) => {
    const ldaps = /^ldaps:/i.test(o.url);
    if (ldaps && o.startTls === true) {
      ctx.addIssue({
        code: 'custom',
        path: ['startTls'],
        message: 'startTls upgrades ldap:// connections; an ldaps:// URL is TLS from the start',
      });
    }
    if (!ldaps && o.startTls === false && !o.allowPlaintext) {
      ctx.addIssue({
        code: 'custom',
        path: ['allowPlaintext'],
        message:
          'refusing a plaintext bind: the password would cross the network unencrypted. Use ldaps://, ' +
          'or startTls: true, or set allowPlaintext: true to accept it (the directory is then reported as a finding)',
      });
    }
    if (o.flavor === 'openldap' && !o.privilegedGroups) {
      ctx.addIssue({
        code: 'custom',
        path: ['privilegedGroups'],
        message: 'list the groups that grant administrative rights in this directory (DNs or common names)',
      });
    }
  })
  .transform((o) => ({ ...o, startTls: o.startTls ?? /^ldap:/i.test(o.url) }));
export type LdapOptions = z.infer<typeof LdapOptions>;

/** How the collector reached the directory; `none` is a plaintext bind. */
export type Transport = 'tls' | 'starttls' | 'none';

export function transportOf(o: Pick<LdapOptions, 'url' | 'startTls'>): Transport {
  if (/^ldaps:/i.test(o.url)) return 'tls';
  return o.startTls ? 'starttls' : 'none';
}

/** One search entry as ldapts returns it: values are strings, or Buffers for binary attributes. */
export const RawLdapEntry = z
  .object({ dn: z.string() })
  .catchall(z.union([z.string(), z.array(z.string()), z.instanceof(Buffer), z.array(z.instanceof(Buffer))]));
export type RawLdapEntry = z.infer<typeof RawLdapEntry>;

/**
 * An entry as the normalizer reads it (and as it is kept in the evidence): attribute names lower-cased,
 * every value a string, binary SIDs and GUIDs in their text form. The shape of the recorded fixtures.
 */
export const DirEntry = z.strictObject({
  dn: z.string(),
  attrs: z.record(z.string(), z.array(z.string())),
});
export type DirEntry = z.infer<typeof DirEntry>;

/** Attributes read from each kind of entry. Nothing else is requested; passwords never are. */
export const ATTRIBUTES = {
  ad: {
    user: [
      'objectClass',
      'objectGUID',
      'objectSid',
      'sAMAccountName',
      'userPrincipalName',
      'displayName',
      'mail',
      'userAccountControl',
      'msDS-User-Account-Control-Computed',
      'lockoutTime',
      'lastLogonTimestamp',
      'lastLogon',
      'pwdLastSet',
      'accountExpires',
      'whenCreated',
      'primaryGroupID',
      'memberOf',
      'servicePrincipalName',
    ],
    group: ['objectClass', 'objectGUID', 'objectSid', 'cn', 'sAMAccountName', 'member'],
    domain: [
      'objectClass',
      'minPwdLength',
      'maxPwdAge',
      'minPwdAge',
      'pwdHistoryLength',
      'pwdProperties',
      'lockoutThreshold',
      'lockoutDuration',
      'lockOutObservationWindow',
    ],
    pso: [
      'cn',
      'msDS-PasswordSettingsPrecedence',
      'msDS-MinimumPasswordLength',
      'msDS-MaximumPasswordAge',
      'msDS-PasswordHistoryLength',
      'msDS-LockoutThreshold',
      'msDS-LockoutDuration',
      'msDS-PSOAppliesTo',
    ],
  },
  openldap: {
    user: [
      'objectClass',
      'entryUUID',
      'uid',
      'cn',
      'displayName',
      'mail',
      'memberOf',
      'pwdAccountLockedTime',
      'pwdLastSuccess',
      'authTimestamp',
      'pwdChangedTime',
      'pwdPolicySubentry',
      'createTimestamp',
      'shadowExpire',
    ],
    group: ['objectClass', 'entryUUID', 'cn', 'member', 'uniqueMember', 'memberUid'],
    policy: [
      'objectClass',
      'cn',
      'pwdMinLength',
      'pwdCheckQuality',
      'pwdMaxAge',
      'pwdInHistory',
      'pwdLockout',
      'pwdMaxFailure',
      'pwdLockoutDuration',
    ],
  },
} as const;

/** binary attributes ldapts must hand back as Buffers */
export const BINARY_ATTRIBUTES = ['objectGUID', 'objectSid'];

export const DEFAULT_FILTERS = {
  ad: {
    user: '(|(&(objectCategory=person)(objectClass=user))(objectClass=msDS-GroupManagedServiceAccount)(objectClass=msDS-ManagedServiceAccount))',
    group: '(objectClass=group)',
  },
  openldap: {
    user: '(|(objectClass=inetOrgPerson)(objectClass=posixAccount)(objectClass=account)(objectClass=simpleSecurityObject))',
    group: '(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames)(objectClass=posixGroup))',
  },
} as const;
