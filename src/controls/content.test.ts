import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ControlMap, EvidenceCatalog, type Requirement } from './schema.js';

// The control content is data, not code: these tests pin it to the framework identifier lists in
// test/frameworks/ and to the checks and manual evidence that exist, so a typo in a YAML file
// fails here rather than as a silently unassessed requirement.

const root = new URL('../../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8');

/** Every automated check id the policies provide. A control map naming anything else is wrong. */
const CHECK_IDS = [
  'storage.encrypted_at_rest',
  'storage.customer_managed_key',
  'storage.public_access_blocked',
  'storage.tls_only',
  'storage.versioning_enabled',
  'storage.access_logging',
  'database.encrypted_at_rest',
  'database.customer_managed_key',
  'database.not_public',
  'database.backups',
  'database.min_tls',
  'crypto.key_rotation',
  'crypto.key_deletion_protection',
  'tls.endpoint_reachable',
  'tls.min_version_12',
  'tls.device_tls13',
  'tls.weak_ciphers',
  'tls.certificate_expiry',
  'tls.certificate_trusted',
  'tls.self_signed_public',
  'tls.certificate_key_strength',
  'tls.hsts',
  'identity.mfa_all_users',
  'identity.mfa_privileged',
  'identity.sso_enforced',
  'identity.session_timeout',
  'identity.inactive_accounts',
  'identity.shared_accounts',
  'identity.password_policy',
  'identity.least_privilege_rbac',
  'identity.access_keys_rotated',
  'identity.directory_secure_bind',
  'identity.no_roles_on_disabled_users',
  'logging.audit_enabled',
  'logging.all_regions',
  'logging.retention',
  'logging.integrity_validation',
  'logging.immutable',
  'network.admin_ports_internet',
  'network.ot_ports_internet',
  'network.unrestricted_ingress',
  'ot.dmz_bypass',
  'ot.cross_zone_encryption',
  'ot.cross_zone_authentication',
  'ot.default_credentials',
  'ot.signed_firmware',
  'ot.asset_in_declared_zone',
  'data.partner_agreement',
  'data.allowed_regions',
  'data.restricted_encrypted_flows',
] as const;

const EVIDENCE_DOMAINS = [
  'governance',
  'identity',
  'network',
  'ot',
  'logging',
  'crypto',
  'storage',
  'data',
  'people',
  'physical',
  'supplier',
  'incident',
  'continuity',
];

const MAX_TITLE_WORDS = 12;

interface Framework {
  file: string;
  id: string;
  csv: string;
  /** the CSV column `group` must equal */
  groupColumn: string;
}

const FRAMEWORKS: Framework[] = [
  { file: 'controls/soc2.yaml', id: 'soc2', csv: 'soc2-tsc-2017.csv', groupColumn: 'category' },
  {
    file: 'controls/iso27001-2022.yaml',
    id: 'iso27001-2022',
    csv: 'iso27001-2022-annex-a.csv',
    groupColumn: 'theme',
  },
  {
    file: 'controls/iec62443-3-3.yaml',
    id: 'iec62443-3-3',
    csv: 'iec62443-3-3.csv',
    groupColumn: 'foundational_requirement',
  },
  { file: 'controls/cmmc-l2.yaml', id: 'cmmc-l2', csv: 'cmmc-2.0-l2.csv', groupColumn: 'domain' },
];

type CsvRow = Record<string, string>;

function readCsv(name: string): CsvRow[] {
  const [header, ...lines] = read(`test/frameworks/${name}`)
    .split('\n')
    .filter((line) => line.trim() !== '');
  const columns = header!.split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    expect(cells, `${name}: ${line}`).toHaveLength(columns.length);
    return Object.fromEntries(columns.map((column, i) => [column, cells[i]!]));
  });
}

function loadMap(file: string): ControlMap {
  return ControlMap.parse(parse(read(file)));
}

function loadEvidence(): EvidenceCatalog {
  return EvidenceCatalog.parse(parse(read('controls/evidence.yaml')));
}

/** Share of requirements with at least one automated check, and a message that shows the numbers. */
function coverage(requirements: Requirement[], label: string): { share: number; message: string } {
  const automated = requirements.filter((r) => r.checks.length > 0);
  const share = requirements.length === 0 ? 0 : automated.length / requirements.length;
  const manual = requirements.filter((r) => r.checks.length === 0).map((r) => r.id);
  return {
    share,
    message: `${label}: ${automated.length}/${requirements.length} automated (${(share * 100).toFixed(1)}%); manual only: ${manual.join(', ')}`,
  };
}

const wordCount = (title: string): number => title.trim().split(/\s+/).length;

describe('controls/evidence.yaml', () => {
  const catalog = loadEvidence();
  const ids = catalog.evidence.map((e) => e.id);

  it('holds 25 to 40 manual evidence requirements with unique ids', () => {
    expect(ids.length).toBeGreaterThanOrEqual(25);
    expect(ids.length).toBeLessThanOrEqual(40);
    expect(new Set(ids).size, 'duplicate evidence id').toBe(ids.length);
  });

  it('includes the evidence every framework leans on, at the expected cadence', () => {
    const cadence = Object.fromEntries(catalog.evidence.map((e) => [e.id, e.cadence]));
    expect(cadence).toMatchObject({
      'access-review': 'quarterly',
      'incident-response-tabletop': 'annual',
      'vulnerability-scan': 'weekly',
      'security-training': 'annual',
      'supplier-security-review': 'annual',
    });
  });

  it('uses only the known owner domains', () => {
    for (const e of catalog.evidence) expect(EVIDENCE_DOMAINS, e.id).toContain(e.domain);
  });

  it('is referenced by at least one framework requirement', () => {
    const used = new Set(FRAMEWORKS.flatMap((f) => loadMap(f.file).requirements.flatMap((r) => r.evidence)));
    expect(ids.filter((id) => !used.has(id))).toEqual([]);
  });
});

describe('the check id list', () => {
  const distPath = new URL('policies/dist/checks.json', root);
  const builtChecks = (): string[] =>
    Object.keys(JSON.parse(readFileSync(distPath, 'utf8')) as Record<string, unknown>);

  it.skipIf(!existsSync(distPath))('knows every check the built policies provide', () => {
    const known = new Set<string>(CHECK_IDS);
    expect(builtChecks().filter((id) => !known.has(id))).toEqual([]);
  });

  it.skipIf(!existsSync(distPath))('names only checks that the built policies provide', () => {
    const built = new Set(builtChecks());
    const referenced = new Set(
      FRAMEWORKS.flatMap((f) => loadMap(f.file).requirements.flatMap((r) => r.checks)),
    );
    const missing = [...referenced].filter((id) => !built.has(id)).sort();
    expect(missing, `checks mapped in controls/ but absent from policies/dist/checks.json`).toEqual([]);
  });
});

describe.each(FRAMEWORKS)('$file', (framework) => {
  const rows = readCsv(framework.csv);
  const evidenceIds = new Set(loadEvidence().evidence.map((e) => e.id));
  const knownChecks = new Set<string>(CHECK_IDS);

  it('parses against the ControlMap schema with the expected framework id', () => {
    const map = loadMap(framework.file);
    expect(map.framework.id).toBe(framework.id);
    expect(map.framework.source).toMatch(/identifiers only/);
  });

  it('lists exactly the CSV ids, in the CSV order, without duplicates', () => {
    const ids = loadMap(framework.file).requirements.map((r) => r.id);
    expect(new Set(ids).size, 'duplicate requirement id').toBe(ids.length);
    expect(ids).toEqual(rows.map((row) => row.id));
  });

  it('groups every requirement as the CSV does', () => {
    const groups = loadMap(framework.file).requirements.map((r) => [r.id, r.group]);
    expect(groups).toEqual(rows.map((row) => [row.id, row[framework.groupColumn]]));
  });

  it('names only evidence from evidence.yaml and only existing checks', () => {
    for (const r of loadMap(framework.file).requirements) {
      for (const e of r.evidence) expect(evidenceIds.has(e), `${r.id}: unknown evidence ${e}`).toBe(true);
      for (const c of r.checks) expect(knownChecks.has(c), `${r.id}: unknown check ${c}`).toBe(true);
      expect(new Set(r.checks).size, `${r.id}: a check listed twice`).toBe(r.checks.length);
      expect(new Set(r.evidence).size, `${r.id}: evidence listed twice`).toBe(r.evidence.length);
    }
  });

  it(`keeps titles short (at most ${MAX_TITLE_WORDS} words) and mostly distinct`, () => {
    const requirements = loadMap(framework.file).requirements;
    for (const r of requirements) {
      expect(wordCount(r.title), `${r.id}: "${r.title}"`).toBeLessThanOrEqual(MAX_TITLE_WORDS);
    }
    const counts = new Map<string, number>();
    for (const r of requirements) {
      const key = r.title.trim().toLowerCase();
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const repeated = [...counts].filter(([, n]) => n > 2).map(([title, n]) => `${title} (${n}x)`);
    expect(repeated).toEqual([]);
  });
});

describe('framework-specific rules and coverage', () => {
  it('SOC 2: every CC6.x, CC7.x and CC8.1 criterion has an automated check', () => {
    const target = loadMap('controls/soc2.yaml').requirements.filter((r) => /^CC[67]\.|^CC8\.1$/.test(r.id));
    expect(target).toHaveLength(14);
    const { share, message } = coverage(target, 'SOC 2 CC6/CC7/CC8.1');
    expect(share, message).toBe(1);
  });

  it('ISO 27001: at least 60% of the section 8 controls have an automated check', () => {
    const section8 = loadMap('controls/iso27001-2022.yaml').requirements.filter((r) => r.id.startsWith('8.'));
    expect(section8).toHaveLength(34);
    const { share, message } = coverage(section8, 'ISO 27001 8.1-8.34');
    expect(share, message).toBeGreaterThanOrEqual(0.6);
  });

  it('IEC 62443-3-3: at least 50% of all rows and of the SRs alone have an automated check', () => {
    const requirements = loadMap('controls/iec62443-3-3.yaml').requirements;
    const all = coverage(requirements, 'IEC 62443-3-3 SR+RE');
    expect(all.share, all.message).toBeGreaterThanOrEqual(0.5);
    const srs = requirements.filter((r) => !r.id.includes(' RE '));
    expect(srs).toHaveLength(51);
    const sr = coverage(srs, 'IEC 62443-3-3 SR');
    expect(sr.share, sr.message).toBeGreaterThanOrEqual(0.5);
  });

  it('IEC 62443-3-3: sl equals the CSV sl_c, and an unsettled SL is said so in notes', () => {
    const byId = new Map(loadMap('controls/iec62443-3-3.yaml').requirements.map((r) => [r.id, r]));
    for (const row of readCsv('iec62443-3-3.csv')) {
      const r = byId.get(row.id!)!;
      if (row.sl_c === '') {
        expect(r.sl, `${row.id}: no sl while the SL is unsettled`).toBeUndefined();
        expect(r.notes ?? '', `${row.id}: notes must say the SL is unsettled`).toMatch(/unsettled/i);
      } else {
        expect(r.sl, row.id).toBe(Number(row.sl_c));
      }
    }
  });

  it('CMMC L2: at least 50% of the 110 practices have an automated check', () => {
    const requirements = loadMap('controls/cmmc-l2.yaml').requirements;
    expect(requirements).toHaveLength(110);
    const { share, message } = coverage(requirements, 'CMMC L2');
    expect(share, message).toBeGreaterThanOrEqual(0.5);
  });
});
