import { createHash } from 'node:crypto';
import type { Results } from '../../check.js';
import type { AssessedCheck } from '../../controls/assess.js';

export interface SarifOptions {
  /**
   * Repository-relative file every result is anchored to. Code scanning only accepts
   * repository paths, and a cloud resource has none; the config that defines the scope
   * is the natural place. The resource itself is the result's logical location.
   */
  anchorFile?: string;
}

const LEVEL: Record<AssessedCheck['severity'], 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
};
/** GitHub maps security-severity to its own levels: >= 9 critical, >= 7 high, >= 4 medium, else low. */
const SECURITY_SEVERITY: Record<AssessedCheck['severity'], string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
};

const fingerprint = (check: string, resource: string) =>
  createHash('sha256').update(`${check}\u0000${resource}`).digest('hex').slice(0, 32);

/**
 * SARIF 2.1.0 for GitHub code scanning: every check is a rule, every failing resource a result
 * located by its resource id. Waived failures are included with an accepted suppression, so
 * they show as dismissed rather than vanishing. Failed sources are tool execution notifications.
 */
export function renderSarif(results: Results, opts: SarifOptions = {}): string {
  const anchor = opts.anchorFile ?? 'plantproof.yaml';
  const requirementsOf = new Map<string, string[]>();
  for (const f of results.frameworks)
    for (const r of f.requirements)
      for (const c of r.checks)
        requirementsOf.set(c.id, [...(requirementsOf.get(c.id) ?? []), `${f.id} ${r.id}`]);

  const checks = [...results.checks].sort((a, b) => a.id.localeCompare(b.id));
  const rules = checks.map((c) => ({
    id: c.id,
    name: c.id
      .split(/[._]/)
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join(''),
    shortDescription: { text: c.title },
    fullDescription: { text: c.description },
    help: {
      text: `${c.description}\n\nRemediation: ${c.remediation}`,
      markdown: `${c.description}\n\n**Remediation:** ${c.remediation}\n\nSeverity ${c.severity}, likelihood ${c.likelihood}, impact ${c.impact}. Policy: \`${c.file}\`.`,
    },
    defaultConfiguration: { level: LEVEL[c.severity] },
    properties: {
      tags: ['security', 'compliance', c.domain],
      precision: 'very-high',
      'security-severity': SECURITY_SEVERITY[c.severity],
      severity: c.severity,
      likelihood: c.likelihood,
      impact: c.impact,
      requirements: requirementsOf.get(c.id) ?? [],
    },
  }));

  const sarifResults = checks.flatMap((c, ruleIndex) =>
    c.findings
      .filter((f) => f.status === 'fail')
      .map((f) => ({
        ruleId: c.id,
        ruleIndex,
        level: LEVEL[c.severity],
        message: { text: `${f.resource}: ${f.message}` },
        locations: [
          {
            physicalLocation: { artifactLocation: { uri: anchor }, region: { startLine: 1 } },
            logicalLocations: [{ name: f.resource, fullyQualifiedName: f.resource, kind: 'resource' }],
          },
        ],
        // Code scanning tracks alerts by this hash; all results share one anchor line, so it must name the resource.
        partialFingerprints: { primaryLocationLineHash: fingerprint(c.id, f.resource) },
        ...(f.waiver
          ? {
              suppressions: [
                {
                  kind: 'external',
                  status: 'accepted',
                  justification: `${f.waiver.id} approved by ${f.waiver.approver} until ${f.waiver.expires.slice(0, 10)}: ${f.waiver.justification}`,
                },
              ],
            }
          : {}),
        properties: {
          resource: f.resource,
          owner: c.owner,
          dueDate: f.waiver ? null : c.dueDate,
          checkStatus: c.status,
        },
      })),
  );

  const notifications = results.sources
    .filter((s) => s.status !== 'ok')
    .map((s) => ({
      level: s.status === 'error' ? 'error' : 'warning',
      message: {
        text: `${s.id} ${s.status === 'error' ? 'failed' : 'is partial'}: ${[s.error, ...s.gaps].filter(Boolean).join('; ') || 'incomplete'}. Checks that need it are reported as errors, not passes.`,
      },
      descriptor: { id: `source/${s.id}` },
    }));

  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'plantproof',
            version: results.tool.version,
            semanticVersion: results.tool.version,
            informationUri: 'https://plantproof.dev',
            rules,
          },
        },
        automationDetails: { id: `plantproof/${results.scope.name}/` },
        invocations: [
          {
            executionSuccessful: true,
            ...(notifications.length ? { toolExecutionNotifications: notifications } : {}),
          },
        ],
        results: sarifResults,
        properties: {
          scope: results.scope.name,
          evaluatedAt: results.evaluatedAt,
          snapshotDigest: results.snapshot.digest,
          frameworks: results.frameworks.map((f) => ({ id: f.id, ...f.summary })),
        },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
