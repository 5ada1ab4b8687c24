import { fileURLToPath } from 'node:url';
import {
  type EntraTenantData,
  type GraphServerOptions,
  loadEntraTenantData,
  type StartedGraphServer,
  startGraphServer,
} from '../../src/demo/entra.js';
import { localTls } from '../../src/demo/idp-tls.js';

/**
 * The local Microsoft Graph (and Entra sign-in) stand-in for tests. The server itself lives in
 * src/demo/entra.ts because the demo ships it; this module adds the recorded test tenant.
 */
export {
  type EntraTenantData,
  type GraphFault,
  type GraphRequestLog,
  type GraphServerOptions,
  loadEntraTenantData,
  type StartedGraphServer,
  startGraphServer,
} from '../../src/demo/entra.js';

/** recorded replies of the test tenant acmetest.onmicrosoft.com */
export const ENTRA_TEST_TENANT = fileURLToPath(
  new URL('../../src/collectors/entra/__fixtures__/tenant/', import.meta.url),
);

/** a bearer token the stand-in accepts as it is (for a test TokenCredential) */
export const GRAPH_TEST_TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.eyJ0ZXN0Ijp0cnVlfQ.test-graph-token';

export interface TestGraphTenant extends StartedGraphServer {
  data: EntraTenantData;
  tenantId: string;
  ca: string | null;
  caFile: string | null;
}

/** The recorded test tenant over HTTPS (a runtime test CA), accepting GRAPH_TEST_TOKEN. */
export async function startTestGraphTenant(
  overrides: Partial<GraphServerOptions> = {},
): Promise<TestGraphTenant> {
  const data = overrides.data ?? (await loadEntraTenantData(ENTRA_TEST_TENANT));
  const tls = overrides.tls === null ? null : await localTls();
  const server = await startGraphServer({ tokens: [GRAPH_TEST_TOKEN], ...overrides, data, tls });
  return {
    ...server,
    data,
    tenantId: data.tenant.tenantId,
    ca: tls?.ca ?? null,
    caFile: tls?.caFile ?? null,
  };
}
