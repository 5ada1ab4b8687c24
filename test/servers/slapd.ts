import { findSlapd, type RunningSlapd, startSlapd } from '../../src/demo/ldap.js';
import type { Pki } from './certs.js';

export { findSlapd, type RunningSlapd, type SlapdOptions, startSlapd } from '../../src/demo/ldap.js';

export const TEST_SUFFIX = 'dc=plant,dc=test';
export const READER_DN = `cn=reader,ou=services,${TEST_SUFFIX}`;
export const LIMITED_DN = `cn=limited,ou=services,${TEST_SUFFIX}`;
export const OUTSIDER_DN = `cn=outsider,ou=services,${TEST_SUFFIX}`;
export const DEFAULT_POLICY_DN = `cn=default,ou=policies,${TEST_SUFFIX}`;
/** every seeded bind account uses this password */
export const TEST_PASSWORD = 'Corr3ct-Horse-Battery';

/** LDAP GeneralizedTime `days` from now (negative: in the past) */
export function generalizedTime(days: number, now = Date.now()): string {
  return `${new Date(now + days * 86_400_000).toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
}

/**
 * The seeded test directory: an enabled, a locked, a disabled (permanently locked), a stale and a
 * privileged user, one to be locked by failed binds during a test, groups of all three OpenLDAP kinds
 * (groupOfNames, groupOfUniqueNames nested in it, posixGroup), a ppolicy and three bind accounts:
 * `reader` (reads everything), `limited` (users only) and `outsider` (nothing).
 */
export function testDirectoryLdif(now = Date.now()): string {
  const t = (days: number) => generalizedTime(days, now);
  const person = (uid: string, cn: string, extra: string[] = []) =>
    [
      `dn: uid=${uid},ou=people,${TEST_SUFFIX}`,
      'objectClass: inetOrgPerson',
      `uid: ${uid}`,
      `cn: ${cn}`,
      `sn: ${cn.split(' ').at(-1)}`,
      `mail: ${uid}@plant.test`,
      `userPassword: ${TEST_PASSWORD}`,
      `createTimestamp: ${t(-400)}`,
      ...extra,
    ].join('\n');
  const service = (cn: string) =>
    [
      `dn: cn=${cn},ou=services,${TEST_SUFFIX}`,
      'objectClass: organizationalRole',
      'objectClass: simpleSecurityObject',
      `cn: ${cn}`,
      `userPassword: ${TEST_PASSWORD}`,
    ].join('\n');
  const ou = (name: string) => `dn: ou=${name},${TEST_SUFFIX}\nobjectClass: organizationalUnit\nou: ${name}`;
  return [
    `dn: ${TEST_SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\ndc: plant\no: Test Plant`,
    ou('people'),
    ou('groups'),
    ou('services'),
    ou('policies'),
    [
      `dn: ${DEFAULT_POLICY_DN}`,
      'objectClass: device',
      'objectClass: pwdPolicy',
      'cn: default',
      'pwdAttribute: userPassword',
      'pwdMinLength: 12',
      'pwdCheckQuality: 2',
      'pwdInHistory: 4',
      'pwdMaxAge: 7776000',
      'pwdLockout: TRUE',
      'pwdMaxFailure: 3',
      'pwdLockoutDuration: 0',
    ].join('\n'),
    person('enabled', 'Erika Enabled', [`pwdLastSuccess: ${t(-2)}`, `pwdChangedTime: ${t(-30)}`]),
    person('locked', 'Lars Locked', [`pwdLastSuccess: ${t(-3)}`, `pwdAccountLockedTime: ${t(-1)}`]),
    person('disabled', 'Doris Disabled', [
      `pwdLastSuccess: ${t(-120)}`,
      'pwdAccountLockedTime: 000001010000Z',
    ]),
    person('stale', 'Stefan Stale', [`pwdLastSuccess: ${t(-200)}`, `pwdChangedTime: ${t(-300)}`]),
    person('admin1', 'Ada Admin', [`pwdLastSuccess: ${t(-1)}`]),
    person('lockme', 'Lena Lockme'),
    service('reader'),
    service('limited'),
    service('outsider'),
    [
      `dn: cn=ldap-admins,ou=groups,${TEST_SUFFIX}`,
      'objectClass: groupOfNames',
      'cn: ldap-admins',
      `member: uid=admin1,ou=people,${TEST_SUFFIX}`,
      `member: uid=disabled,ou=people,${TEST_SUFFIX}`,
      `member: cn=ops-admins,ou=groups,${TEST_SUFFIX}`,
    ].join('\n'),
    [
      `dn: cn=ops-admins,ou=groups,${TEST_SUFFIX}`,
      'objectClass: groupOfUniqueNames',
      'cn: ops-admins',
      `uniqueMember: uid=enabled,ou=people,${TEST_SUFFIX}`,
    ].join('\n'),
    [
      `dn: cn=operators,ou=groups,${TEST_SUFFIX}`,
      'objectClass: posixGroup',
      'cn: operators',
      'gidNumber: 5001',
      'memberUid: enabled',
      'memberUid: stale',
      'memberUid: lockme',
    ].join('\n'),
    '',
  ].join('\n\n');
}

const ACCESS = [
  'to attrs=userPassword by self write by anonymous auth by * none',
  `to dn.subtree="ou=policies,${TEST_SUFFIX}" by dn.exact="${READER_DN}" read by * none`,
  `to dn.subtree="ou=groups,${TEST_SUFFIX}" by dn.exact="${READER_DN}" read by * none`,
  `to dn.subtree="ou=people,${TEST_SUFFIX}" by dn.exact="${READER_DN}" read by dn.exact="${LIMITED_DN}" read by self read by * none`,
  `to dn.base="${TEST_SUFFIX}" by dn.exact="${READER_DN}" read by dn.exact="${LIMITED_DN}" read by * none`,
  `to * by dn.exact="${READER_DN}" read by self read by * none`,
];

/** slapd with the test directory, LDAP + LDAPS, TLS from `pki` (certificate for localhost / 127.0.0.1). */
export async function startTestDirectory(pki: Pki): Promise<RunningSlapd> {
  const cert = await pki.issue({ name: 'slapd', cn: 'localhost', sans: ['DNS:localhost', 'IP:127.0.0.1'] });
  return startSlapd(
    {
      suffix: TEST_SUFFIX,
      rootPassword: TEST_PASSWORD,
      seedLdif: testDirectoryLdif(),
      tls: { certFile: cert.certFile, keyFile: cert.keyFile, caFile: pki.ca.certFile },
      ppolicyDefaultDn: DEFAULT_POLICY_DN,
      access: ACCESS,
    },
    findSlapd(),
  );
}
