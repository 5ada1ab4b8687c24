import { describe, expect, it } from 'vitest';
import { fixtureResults } from '../../../test/fixtures/results.js';
import { renderJunit, xmlEscape } from './index.js';

describe('junit.xml', () => {
  const xml = renderJunit(fixtureResults('current'));

  it('has one suite per framework and one case per requirement, with consistent counts', () => {
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites /);
    expect(xml).toContain('tests="33" failures="15" errors="2" skipped="6"');
    expect(xml.match(/<testsuite /g)).toHaveLength(4);
    expect(xml.match(/<testcase /g)).toHaveLength(33);
    expect(xml).toContain(
      '<testsuite name="SOC 2 Trust Services Criteria" id="soc2" package="soc2" tests="12" failures="4" errors="1" skipped="3" time="0" timestamp="2026-11-22T06:00:00" hostname="plantproof">',
    );
    expect(xml.match(/<failure /g)).toHaveLength(15);
    expect(xml.match(/<error /g)).toHaveLength(2);
    expect(xml.match(/<skipped /g)).toHaveLength(6);
  });

  it('maps each status to the JUnit outcome CI dashboards understand', () => {
    expect(xml).toContain(
      '<testcase classname="soc2" name="CC1.1 Leadership sets and upholds standards of ethical conduct" time="0"/>',
    );
    expect(xml).toMatch(
      /name="CC6.6 Perimeter[^"]*" time="0">\n\s+<failure message="failing: network.admin_ports_internet \(2 resources\)" type="not_satisfied">/,
    );
    expect(xml).toMatch(
      /name="CC6.8 [^"]*" time="0">\n\s+<system-out>every failure is covered by an active waiver/,
    );
    expect(xml).toMatch(
      /name="CC6.3 [^"]*" time="0">\n\s+<skipped message="not assessed: no attestation for &quot;Quarterly user access review&quot;/,
    );
  });

  it('escapes XML and drops characters XML cannot carry', () => {
    expect(xmlEscape(`a<b>&"c'\u0001`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;');
    expect(xml).not.toMatch(
      /<(?!\/?(?:\?xml|testsuites|testsuite|testcase|properties|property|failure|error|skipped|system-out)\b)/,
    );
  });
});
