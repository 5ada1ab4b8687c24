import { z } from 'zod';
import { RESULTS_SCHEMA_VERSION, type Results } from '../check.js';
import { Cadence } from '../controls/schema.js';
import { EntityKind, Source } from '../snapshot/schema.js';

/**
 * results.json as read back from a bundle. Objects are not strict: a newer writer may add fields,
 * and the reports only need the ones named here.
 */
const isoDateOrTime = z.string().min(10);
const Severity = z.enum(['critical', 'high', 'medium', 'low']);
const CheckStatus = z.enum(['pass', 'fail', 'not_applicable', 'error']);
const RequirementStatus = z.enum(['satisfied', 'not_satisfied', 'error', 'not_assessed', 'waived']);

const WaiverRef = z.object({
  id: z.string(),
  approver: z.string(),
  expires: isoDateOrTime,
  justification: z.string(),
});

const AssessedCheck = z.object({
  id: z.string().min(1),
  title: z.string(),
  description: z.string(),
  domain: z.string(),
  severity: Severity,
  likelihood: z.number().int().min(1).max(5),
  impact: z.number().int().min(1).max(5),
  kinds: z.array(EntityKind),
  remediation: z.string(),
  file: z.string(),
  status: CheckStatus,
  reason: z.string(),
  blockedBy: z.array(z.string()),
  findings: z.array(
    z.object({
      check: z.string(),
      resource: z.string(),
      status: z.enum(['pass', 'fail']),
      message: z.string(),
      waiver: WaiverRef.nullable(),
    }),
  ),
  failing: z.number().int().nonnegative(),
  waived: z.number().int().nonnegative(),
  owner: z.string().nullable(),
  dueDate: z.string().nullable(),
});

const EvidenceState = z.object({
  id: z.string().min(1),
  title: z.string(),
  cadence: Cadence,
  expects: z.string(),
  owner: z.string().nullable(),
  status: z.enum(['fresh', 'stale', 'missing']),
  lastPerformedAt: z.string().nullable(),
  attestedBy: z.string().nullable(),
  dueAt: z.string().nullable(),
  attestation: z
    .object({
      file: z.string(),
      digest: z.string(),
      summary: z.string(),
      attachments: z.array(z.object({ path: z.string(), sha256: z.string() })),
    })
    .nullable(),
});

const RequirementResult = z.object({
  framework: z.string(),
  id: z.string().min(1),
  title: z.string(),
  group: z.string(),
  sl: z.number().int().optional(),
  status: RequirementStatus,
  reason: z.string(),
  checks: z.array(z.object({ id: z.string(), status: CheckStatus, failing: z.number(), waived: z.number() })),
  evidence: z.array(
    z.object({ id: z.string(), status: z.enum(['fresh', 'stale', 'missing']), dueAt: z.string().nullable() }),
  ),
  owner: z.string().nullable(),
  dueDate: z.string().nullable(),
  notes: z.string().optional(),
});

const Summary = z.object({
  satisfied: z.number().int().nonnegative(),
  not_satisfied: z.number().int().nonnegative(),
  error: z.number().int().nonnegative(),
  not_assessed: z.number().int().nonnegative(),
  waived: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
});

const FrameworkResult = z.object({
  id: z.string().min(1),
  title: z.string(),
  version: z.string(),
  source: z.string(),
  file: z.string(),
  digest: z.string(),
  summary: Summary,
  requirements: z.array(RequirementResult),
});

const WaiverState = z.object({
  id: z.string(),
  check: z.string(),
  resources: z.string(),
  justification: z.string(),
  approver: z.string(),
  approvedAt: isoDateOrTime.optional(),
  expires: isoDateOrTime,
  file: z.string(),
  line: z.number().int().optional(),
  state: z.enum(['active', 'expired']),
  matched: z.number().int().nonnegative(),
});

export const ResultsFile = z.object({
  schemaVersion: z.literal(RESULTS_SCHEMA_VERSION),
  tool: z.object({ name: z.literal('plantproof'), version: z.string() }),
  evaluatedAt: z.iso.datetime({ offset: true }),
  scope: z.object({ name: z.string(), description: z.string().nullable() }),
  snapshot: z.object({
    collectedAt: z.string(),
    digest: z.string().nullable(),
    entities: z.number().int().nonnegative(),
  }),
  config: z.object({ digest: z.string().nullable() }),
  policy: z.object({ wasmDigest: z.string(), checksDigest: z.string() }),
  controls: z.array(z.object({ framework: z.string(), file: z.string(), digest: z.string() })),
  sources: z.array(Source),
  frameworks: z.array(FrameworkResult),
  checks: z.array(AssessedCheck),
  evidence: z.array(EvidenceState),
  waivers: z.array(WaiverState),
});

// Compile-time proof that what the schema yields is a `Results`: this line fails to type-check otherwise.
export const asResults: (parsed: z.infer<typeof ResultsFile>) => Results = (parsed) => parsed;
