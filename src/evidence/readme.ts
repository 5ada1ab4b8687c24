import type { Manifest } from './manifest.js';

const STATUS_WORDS: Record<string, string> = {
  satisfied: 'satisfied',
  not_satisfied: 'not satisfied',
  error: 'could not be judged',
  not_assessed: 'not assessed',
  waived: 'waived',
};

function wrap(text: string, width = 78, indent = ''): string {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(' ')) {
      if (line && line.length + 1 + word.length > width - indent.length) {
        out.push(indent + line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push(indent + line);
  }
  return out.join('\n');
}

/**
 * README.txt: what the bundle holds and how to check it, in plain words for an auditor. Made
 * only from the manifest (no clock), so it is as reproducible as the rest of the bundle.
 */
export function renderReadme(m: Omit<Manifest, 'files'>): string {
  const lines: string[] = [];
  const p = (text = '') => lines.push(text ? wrap(text) : '');
  const h = (text: string) => {
    lines.push('', text, '='.repeat(text.length));
  };

  lines.push(`PLANTPROOF EVIDENCE BUNDLE ${m.name}`);
  lines.push('');
  p(
    `Scope: ${m.scope.name}${m.scope.description ? ` — ${m.scope.description}` : ''}. Configuration collected ${m.timestamps.collectedAt}; requirements judged as of ${m.timestamps.evaluatedAt}. Written by plantproof ${m.tool.version}.`,
  );
  lines.push('');
  if (m.signing) {
    p(
      `SIGNED with Ed25519 key sha256:${m.signing.keyId}. Check that this is the key your client told you, by a channel other than this bundle.`,
    );
  } else {
    p(
      'UNSIGNED. This bundle carries no signature: its checksums show accidental damage, but anyone could have changed it and recomputed them. Ask for a signed bundle if you need to rely on who produced it.',
    );
  }
  if (m.outcome.sourcesNotOk.length > 0) {
    lines.push('');
    p(
      'INCOMPLETE COLLECTION. These sources failed or were only partly read; checks that depend on them are reported as "could not be judged" rather than passed:',
    );
    for (const s of m.outcome.sourcesNotOk)
      lines.push(
        wrap(
          `- ${s.id}: ${s.status}${s.error ? ` (${s.error})` : ''}${s.gaps.length ? `; not collected: ${s.gaps.join('; ')}` : ''}`,
          78,
          '  ',
        ).replace(/^ {2}/, ''),
      );
  }

  h('Results');
  for (const f of m.outcome.frameworks) {
    const s = f.summary;
    p(
      `${f.title} (${f.version}): ${s.total} requirements — ${(
        ['satisfied', 'not_satisfied', 'error', 'not_assessed', 'waived'] as const
      )
        .map((k) => `${s[k]} ${STATUS_WORDS[k]}`)
        .join(', ')}.`,
    );
  }
  p();
  p(
    'Every requirement has exactly one status and a reason. "Not assessed" means neither an automated check nor current manual evidence covers it; nothing is counted as passed without proof.',
  );

  h('What is inside');
  const rows: [string, string][] = [
    ['README.txt', 'this text'],
    [
      'manifest.json',
      'every other file with its sha256 and size, the versions and digests of everything used, the link to the previous bundle, and what was redacted',
    ],
    [
      'manifest.sig',
      m.signing
        ? 'the Ed25519 signature over the exact bytes of manifest.json'
        : 'states that the bundle is unsigned, and the sha256 of manifest.json',
    ],
    ...(m.signing
      ? ([
          [
            'signing-key.pub.pem',
            'the public key that made the signature (a convenience: trust only a key you got another way)',
          ],
        ] as [string, string][])
      : []),
    [
      'snapshot.json',
      'the collected configuration: normalized entities, the raw API payloads they came from, and each source with its status, time and API calls',
    ],
    [
      'results.json',
      'every check on every resource, and every requirement of every framework with its status and reason',
    ],
    [
      'requirements/<framework>/<id>.json',
      `one file per requirement: status, reason, the checks, their findings, and for up to ${m.requirementFiles.excerptLimit} resources per check the entity and raw payload that prove it, with collector, target, API and time`,
    ],
    ['policy/', 'the compiled policy (plantproof.wasm) and its check catalog (checks.json), exactly as used'],
    [
      'controls/',
      'the control maps (framework requirement → checks and manual evidence) and the manual evidence catalog, exactly as used',
    ],
    ...(m.config
      ? ([
          ['config/', 'the plantproof.yaml configuration (and waivers) used, with secret values redacted'],
        ] as [string, string][])
      : []),
    ...(m.manualEvidence
      ? ([['evidence/manual/', 'the signed-off manual attestations and their attachments']] as [
          string,
          string,
        ][])
      : []),
    ...(m.reports.length
      ? ([['reports/', 'human-readable reports made from results.json']] as [string, string][])
      : []),
  ];
  for (const [name, what] of rows) {
    lines.push(name);
    lines.push(wrap(what, 78, '    '));
  }

  h('Secrets');
  const redacted = m.redactions.reduce((n, r) => n + r.pointers.length, 0);
  p(
    `Passwords, keys, tokens, connection strings, environment variables, private keys, user data and values that look like secrets were replaced by markers of the form [REDACTED sha256:<12 hex digits>] before anything was written (${redacted} values in all). The marker's digest lets you see that a value changed between two bundles without revealing it. manifest.json lists the location of every redacted value, never the value.`,
  );
  if (m.withheld.length > 0)
    p(
      `${m.withheld.length} input file(s) looked like they held a secret and were left out; manifest.json names them with their sha256.`,
    );

  h('How to verify');
  p('With plantproof (works offline, on the zip or the unpacked folder):');
  lines.push('');
  lines.push(`    npx plantproof verify ${m.name}.zip --public-key <the key you were given>`);
  if (m.previous)
    lines.push(`        --previous ${m.previous.name}.zip      (checks the link to the previous bundle)`);
  lines.push('        --reproduce      (re-runs the bundled policy on the bundled snapshot and');
  lines.push('                          confirms results.json comes out identical)');
  lines.push('');
  p(
    'It checks the sha256 and size of every file, that no file is missing or added, the signature, the link to the previous bundle, and that the zip holds nothing but what the manifest pins. It prints what passed and exactly what failed, and exits non-zero on any failure.',
  );
  p();
  p('Without plantproof, in the unpacked folder (needs jq, sha256sum and OpenSSL 3):');
  lines.push('');
  lines.push('    jq -r \'.files[] | "\\(.sha256)  \\(.path)"\' manifest.json | sha256sum -c');
  if (m.signing) {
    lines.push('    jq -r .signature manifest.sig | base64 -d > manifest.sig.bin');
    lines.push('    openssl pkeyutl -verify -pubin -inkey <trusted-key.pem> -rawin \\');
    lines.push('        -in manifest.json -sigfile manifest.sig.bin');
  }
  lines.push('');
  p(
    'Also check that the folder holds no files beyond those listed (besides manifest.json and manifest.sig), and that the sha256 of the previous bundle\'s manifest.json equals "previous.manifestSha256" in this manifest.',
  );

  h('Chain and reproducibility');
  if (m.previous)
    p(`This bundle follows ${m.previous.name}; its manifest.json had sha256 ${m.previous.manifestSha256}.`);
  else p('This bundle is the first of its chain: it names no previous bundle.');
  p(
    'A bundle holds no clock time of its own making: the same snapshot, configuration and key give a byte-identical zip. Zip entries carry the collection time.',
  );
  lines.push('');
  return `${lines.join('\n')}\n`;
}
