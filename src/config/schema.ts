import { z } from 'zod';
import { AccessLevel } from '../snapshot/schema.js';

export const Severity = z.enum(['critical', 'high', 'medium', 'low']);
export type Severity = z.infer<typeof Severity>;

/** One entry of `collectors:`; its other keys are checked against that collector's own schema. */
export const CollectorEntry = z.looseObject({
  type: z.string().min(1),
  /** turn an entry off without deleting it */
  enabled: z.boolean().default(true),
});
export type CollectorEntry = z.infer<typeof CollectorEntry>;

export const RbacConfig = z.strictObject({
  /** business functions of the plant's access matrix (mes, historian, supplier_contracts, data_export ...) */
  functions: z.array(z.string().min(1)).min(1),
  /** the declared matrix: plant role → function → allowed access */
  roles: z.record(z.string(), z.record(z.string(), AccessLevel)),
  /** which identity-source groups put a user into a plant role */
  members: z.array(z.strictObject({ group: z.string().min(1), role: z.string().min(1) })).default([]),
  /** what each identity-source role or group actually grants */
  grants: z
    .array(
      z.strictObject({
        /** a role name as collected (role_assignment.role), or a group name */
        role: z.string().min(1),
        access: z.record(z.string(), AccessLevel),
      }),
    )
    .default([]),
});
export type RbacConfig = z.infer<typeof RbacConfig>;

export const Config = z
  .strictObject({
    version: z.literal(1),
    scope: z.strictObject({
      name: z.string().min(1),
      description: z.string().optional(),
    }),
    frameworks: z
      .array(z.string().min(1))
      .min(1)
      .default(['soc2', 'iso27001-2022', 'iec62443-3-3', 'cmmc-l2']),
    collectors: z.array(CollectorEntry).default([]),
    /** owner (team or mailbox) per check domain: storage, identity, network, logging, crypto, ot, data ... */
    owners: z.record(z.string(), z.string()).default({}),
    /** days to fix a finding, per severity */
    deadlines: z
      .strictObject({
        critical: z.number().int().positive().default(7),
        high: z.number().int().positive().default(30),
        medium: z.number().int().positive().default(90),
        low: z.number().int().positive().default(180),
      })
      .prefault({}),
    rbac: RbacConfig.optional(),
    data: z
      .strictObject({
        /** regions where plant data may be stored (cloud region names, any provider) */
        allowedRegions: z.array(z.string().min(1)).default([]),
      })
      .prefault({}),
    /** thresholds the checks use; defaults follow common audit expectations */
    policy: z
      .strictObject({
        inactiveDays: z.number().int().positive().default(90),
        keyRotationDays: z.number().int().positive().default(90),
        certificateExpiryDays: z.number().int().positive().default(30),
        sessionLifetimeMaxMinutes: z.number().int().positive().default(720),
        idleTimeoutMaxMinutes: z.number().int().positive().default(30),
        passwordMinLength: z.number().int().positive().default(12),
        backupRetentionMinDays: z.number().int().positive().default(7),
      })
      .prefault({}),
    evidence: z
      .strictObject({
        /** attestations (YAML), reviewed by pull request */
        manualDir: z.string().default('evidence/manual'),
        waivers: z.string().optional(),
      })
      .prefault({}),
    privacy: z
      .strictObject({
        /** replace user names and e-mail addresses by a keyed hash (GDPR) */
        pseudonymize: z.boolean().default(false),
        /** environment variable holding the pseudonymization key */
        keyEnv: z.string().default('PLANTPROOF_PSEUDONYM_KEY'),
      })
      .prefault({}),
    outputs: z
      .strictObject({
        dir: z.string().default('out'),
        formats: z
          .array(z.enum(['md', 'html', 'csv', 'sarif', 'oscal', 'junit', 'json']))
          .default(['md', 'html', 'csv', 'sarif', 'oscal', 'junit', 'json']),
      })
      .prefault({}),
  })
  .superRefine((cfg, ctx) => {
    if (!cfg.rbac) return;
    const known = new Set(cfg.rbac.functions);
    for (const [role, row] of Object.entries(cfg.rbac.roles)) {
      for (const fn of Object.keys(row)) {
        if (!known.has(fn))
          ctx.addIssue({
            code: 'custom',
            path: ['rbac', 'roles', role, fn],
            message: `unknown function "${fn}"`,
          });
      }
    }
    cfg.rbac.members.forEach((m, i) => {
      if (!(m.role in (cfg.rbac?.roles ?? {})))
        ctx.addIssue({
          code: 'custom',
          path: ['rbac', 'members', i, 'role'],
          message: `unknown role "${m.role}"`,
        });
    });
  });
export type Config = z.infer<typeof Config>;
export type ConfigInput = z.input<typeof Config>;
