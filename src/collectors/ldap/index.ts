import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CollectorError, errorMessage } from '../../errors.js';
import type { Collector } from '../types.js';
import { connectDirectory, type DirectoryConnection, SearchError, type SearchSpec } from './client.js';
import { type DirectoryData, dnKey, domainDnOf, domainOfDn, normalizeDirectory } from './normalize.js';
import { ATTRIBUTES, DEFAULT_FILTERS, type DirEntry, LdapOptions, transportOf } from './schema.js';

export const ldapCollector: Collector<LdapOptions> = {
  id: 'ldap',
  title: 'LDAP / Active Directory users, groups, privileged memberships and password policy',
  kinds: ['account', 'user', 'identity_policy', 'role_assignment'],
  options: LdapOptions,
  target: (o) => o.name ?? new URL(o.url).host,
  async collect(o, ctx) {
    const transport = transportOf(o);
    if (transport === 'none' && !o.allowPlaintext) {
      throw new CollectorError(
        `refusing a plaintext bind to ${o.url}: use ldaps://, startTls, or allowPlaintext: true`,
      );
    }
    const password = ctx.env[o.passwordEnv];
    if (!password)
      throw new CollectorError(`the environment variable ${o.passwordEnv} (passwordEnv) is not set`);
    let ca: string | undefined;
    if (o.caFile) {
      const file = resolve(ctx.configDir, o.caFile);
      try {
        ca = await readFile(file, 'utf8');
      } catch (err) {
        throw new CollectorError(`cannot read caFile ${file}: ${errorMessage(err)}`);
      }
    }
    const directory = domainOfDn(o.domainDn ?? o.baseDn) ?? dnKey(o.baseDn);
    const connection = ctx.raw('ldap:connection', {
      url: o.url,
      transport,
      bindDn: o.bindDn,
      baseDn: o.baseDn,
      flavor: o.flavor,
    });

    ctx.progress(`connecting to ${o.url}`);
    const conn = await connectDirectory(
      { url: o.url, transport, bindDn: o.bindDn, password, ca, timeoutMs: o.timeoutMs, pageSize: o.pageSize },
      ctx,
    );
    const attrs = ATTRIBUTES[o.flavor];
    const filters = DEFAULT_FILTERS[o.flavor];
    const data: DirectoryData = {
      flavor: o.flavor,
      users: [],
      groups: [],
      domain: null,
      psos: [],
      policies: [],
      ppolicyDefaultDn: o.ppolicyDefaultDn ?? null,
    };
    const refs = {
      connection,
      users: null as string | null,
      groups: null as string | null,
      policies: null as string | null,
    };
    try {
      ctx.progress('reading users');
      const userSpec: SearchSpec = {
        base: o.baseDn,
        scope: 'sub',
        filter: o.userFilter ?? filters.user,
        attributes: attrs.user,
        paged: true,
      };
      try {
        data.users = await conn.search(userSpec);
      } catch (err) {
        if (err instanceof SearchError && err.failure === 'truncated') ctx.gap(err.message);
        else if (err instanceof SearchError) throw new CollectorError(`cannot read users: ${err.message}`);
        else throw err;
      }
      if (data.users.length === 0) {
        ctx.gap(
          `no users found under ${o.baseDn} with ${userSpec.filter}: wrong baseDn, or not readable by ${o.bindDn}`,
        );
      }
      refs.users = ctx.raw(`ldap:search ${userSpec.filter}`, { base: o.baseDn, entries: data.users });

      ctx.progress('reading groups');
      const groupSpec: SearchSpec = {
        base: o.baseDn,
        scope: 'sub',
        filter: o.groupFilter ?? filters.group,
        attributes: attrs.group,
        paged: true,
      };
      data.groups = await tolerate(conn, groupSpec, ctx, 'groups (and so privileged memberships)');
      refs.groups = ctx.raw(`ldap:search ${groupSpec.filter}`, { base: o.baseDn, entries: data.groups });

      ctx.progress('reading password policy');
      if (o.flavor === 'ad') await readAdPolicy(conn, o, data, ctx);
      else await readOpenldapPolicy(conn, o, data, ctx);
      refs.policies = ctx.raw('ldap:password policy', {
        domain: data.domain,
        fineGrainedPolicies: data.psos,
        pwdPolicies: data.policies,
        ppolicyDefaultDn: data.ppolicyDefaultDn,
      });
    } finally {
      await conn.close();
    }

    const entities = normalizeDirectory(
      data,
      {
        directory,
        transport,
        privilegedGroups: o.privilegedGroups,
        serviceAccountDns: o.serviceAccountDns,
        roleAssignments: o.roleAssignments,
        rawRefs: refs,
      },
      ctx,
    );
    return { entities };
  },
};

/** A search whose failure costs one part of the picture: recorded as a gap, the rest goes on. */
async function tolerate(
  conn: DirectoryConnection,
  spec: SearchSpec,
  ctx: Parameters<Collector['collect']>[1],
  what: string,
): Promise<DirEntry[]> {
  try {
    return await conn.search(spec);
  } catch (err) {
    if (!(err instanceof SearchError)) throw err;
    ctx.gap(`${what} not read: ${err.message}`);
    return [];
  }
}

async function readAdPolicy(
  conn: DirectoryConnection,
  o: LdapOptions,
  data: DirectoryData,
  ctx: Parameters<Collector['collect']>[1],
): Promise<void> {
  const domainDn = o.domainDn ?? domainDnOf(o.baseDn);
  if (!domainDn) {
    ctx.gap('domain password policy not read: baseDn has no dc= components; set domainDn');
    return;
  }
  const domain = await tolerate(
    conn,
    { base: domainDn, scope: 'base', filter: '(objectClass=*)', attributes: ATTRIBUTES.ad.domain },
    ctx,
    'domain password policy',
  );
  data.domain = domain[0] ?? null;
  if (data.domain && !data.domain.attrs.minpwdlength) {
    ctx.gap(
      `domain password policy not read: ${domainDn} has no minPwdLength (not the domain head, or not readable)`,
    );
  }
  // Fine-grained policies: a bind account without read rights on them sees an empty container, not an error.
  data.psos = await tolerate(
    conn,
    {
      base: `CN=Password Settings Container,CN=System,${domainDn}`,
      scope: 'one',
      filter: '(objectClass=msDS-PasswordSettings)',
      attributes: ATTRIBUTES.ad.pso,
    },
    ctx,
    'fine-grained password policies',
  );
}

async function readOpenldapPolicy(
  conn: DirectoryConnection,
  o: LdapOptions,
  data: DirectoryData,
  ctx: Parameters<Collector['collect']>[1],
): Promise<void> {
  const base = o.policyBaseDn ?? o.baseDn;
  data.policies = await tolerate(
    conn,
    {
      base,
      scope: 'sub',
      filter: '(objectClass=pwdPolicy)',
      attributes: ATTRIBUTES.openldap.policy,
      paged: true,
    },
    ctx,
    'password policies (ppolicy)',
  );
  if (!data.ppolicyDefaultDn) {
    // ppolicy_default lives in cn=config, readable only by directory administrators
    try {
      const config = await conn.search({
        base: 'cn=config',
        scope: 'sub',
        filter: '(olcPPolicyDefault=*)',
        attributes: ['olcPPolicyDefault'],
      });
      data.ppolicyDefaultDn = config.flatMap((e) => e.attrs.olcppolicydefault ?? [])[0] ?? null;
    } catch {
      data.ppolicyDefaultDn = null;
    }
  }
  if (data.policies.length > 0 && !data.ppolicyDefaultDn) {
    ctx.gap(
      'cannot tell which password policy applies to users without pwdPolicySubentry: cn=config is not ' +
        'readable by the bind account; set ppolicyDefaultDn',
    );
  } else if (
    data.ppolicyDefaultDn &&
    !data.policies.some((p) => dnKey(p.dn) === dnKey(data.ppolicyDefaultDn!))
  ) {
    ctx.gap(
      `the default password policy ${data.ppolicyDefaultDn} was not found under ${base} (or is not readable)`,
    );
  }
}
