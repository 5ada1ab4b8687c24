import { fileURLToPath } from 'node:url';
import { localTls } from '../../src/demo/idp-tls.js';
import {
  loadOktaOrgData,
  type OktaOrgData,
  type OktaServerOptions,
  type StartedOktaServer,
  startOktaServer,
} from '../../src/demo/okta.js';

/**
 * The local Okta stand-in for tests. The server itself lives in src/demo/okta.ts because the demo
 * ships it; this module adds the recorded test org and TLS defaults.
 */
export {
  loadOktaOrgData,
  type OktaFault,
  type OktaOrgData,
  type OktaRequestLog,
  type OktaServerOptions,
  type StartedOktaServer,
  startOktaServer,
} from '../../src/demo/okta.js';

/** recorded replies of the test org acme-test.okta.com */
export const OKTA_TEST_ORG = fileURLToPath(
  new URL('../../src/collectors/okta/__fixtures__/org/', import.meta.url),
);

export const OKTA_TEST_TOKEN = '00TestTokenForTheLocalOktaStandIn_do_not_use_0000';

export interface TestOktaOrg extends StartedOktaServer {
  data: OktaOrgData;
  /** PEM of the CA that signed the server certificate (null when the server speaks plain HTTP) */
  ca: string | null;
  caFile: string | null;
}

/** The recorded test org over HTTPS (a runtime test CA), accepting OKTA_TEST_TOKEN. */
export async function startTestOktaOrg(overrides: Partial<OktaServerOptions> = {}): Promise<TestOktaOrg> {
  const data = overrides.data ?? (await loadOktaOrgData(OKTA_TEST_ORG));
  const tls = overrides.tls === null ? null : await localTls();
  const server = await startOktaServer({ apiToken: OKTA_TEST_TOKEN, ...overrides, data, tls });
  return { ...server, data, ca: tls?.ca ?? null, caFile: tls?.caFile ?? null };
}
