import { z } from 'zod';

export const Cadence = z.enum(['weekly', 'monthly', 'quarterly', 'semiannual', 'annual']);
export type Cadence = z.infer<typeof Cadence>;

export const CADENCE_DAYS: Record<Cadence, number> = {
  weekly: 7,
  monthly: 31,
  quarterly: 92,
  semiannual: 183,
  annual: 366,
};

/** controls/<framework>.yaml: every requirement of one framework, mapped to checks and/or manual evidence. */
export const ControlMap = z.strictObject({
  framework: z.strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/),
    title: z.string().min(1),
    version: z.string().min(1),
    /** where the identifiers come from */
    source: z.string().min(1),
  }),
  requirements: z
    .array(
      z
        .strictObject({
          /** the official identifier, exactly as the framework prints it */
          id: z.string().min(1),
          /** short title in our own words, never the standard's text */
          title: z.string().min(1).max(160),
          /** category, theme, foundational requirement or domain */
          group: z.string().min(1),
          checks: z.array(z.string().min(1)).default([]),
          evidence: z.array(z.string().min(1)).default([]),
          /** IEC 62443: the security level this mapping supports */
          sl: z.number().int().min(1).max(4).optional(),
          notes: z.string().optional(),
        })
        .refine((r) => r.checks.length + r.evidence.length > 0, {
          message: 'a requirement needs at least one check or one manual evidence requirement',
        }),
    )
    .min(1),
});
export type ControlMap = z.infer<typeof ControlMap>;
export type Requirement = ControlMap['requirements'][number];

/** controls/evidence.yaml: manual evidence an auditor expects, with how often it must be renewed. */
export const EvidenceCatalog = z.strictObject({
  evidence: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
        title: z.string().min(1),
        cadence: Cadence,
        /** what an auditor expects to see, in plain words */
        expects: z.string().min(1),
        /** owner domain (looked up in config.owners) */
        domain: z.string().default('governance'),
      }),
    )
    .min(1),
});
export type EvidenceCatalog = z.infer<typeof EvidenceCatalog>;
export type EvidenceRequirement = EvidenceCatalog['evidence'][number];

const isoDate = z.union([z.iso.date(), z.iso.datetime()]);

/** evidence/manual/*.yaml: one attestation that a manual control was performed. */
export const Attestation = z.strictObject({
  evidence: z.string().min(1),
  attestedBy: z.string().min(1),
  performedAt: isoDate,
  summary: z.string().min(1),
  attachments: z
    .array(
      z.strictObject({
        path: z.string().min(1),
        sha256: z.string().regex(/^[0-9a-f]{64}$/, 'sha256 must be 64 lowercase hex digits'),
      }),
    )
    .default([]),
});
export type Attestation = z.infer<typeof Attestation>;

/** Risk acceptance: failures of one check on matching resources, approved until a date. */
export const WaiverFile = z.strictObject({
  waivers: z.array(
    z.strictObject({
      id: z.string().min(1),
      check: z.string().min(1),
      /** glob over resource ids: `*` matches any run of characters */
      resources: z.string().min(1),
      justification: z.string().min(1),
      approver: z.string({ error: 'a waiver needs an approver' }).min(1),
      approvedAt: isoDate.optional(),
      expires: isoDate,
    }),
  ),
});
export type WaiverFile = z.infer<typeof WaiverFile>;
export type Waiver = WaiverFile['waivers'][number];
