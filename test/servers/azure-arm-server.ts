/**
 * The local Azure stand-in lives in src/demo so the compiled demo can run it; tests import it from
 * here, with the recorded fixtures, fault helpers and collector options that point at it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type ArmReply,
  type ArmRequest,
  type AzureArmServer,
  type AzureArmServerOptions,
  type AzureDataset,
  createLocalCa,
  type LocalCa,
  loadAzureDataset,
  startAzureArmServer,
} from '../../src/demo/azure.js';

export * from '../../src/demo/azure.js';

export const AZURE_FIXTURES = fileURLToPath(
  new URL('../../src/collectors/azure/__fixtures__/', import.meta.url),
);

export const TEST_TENANT = '3e0c1a7d-8f2b-4c5e-9a1d-2b3c4d5e6f70';
export const TEST_CLIENT = '5c2f7a1e-9d3b-4e8a-b6c4-1f0e2d3c4b5a';
export const TEST_SECRET = 'test-client-secret';
export const SECRET_ENV = 'PLANTPROOF_TEST_AZURE_SECRET';

const errorBody = (name: string) =>
  JSON.parse(readFileSync(`${AZURE_FIXTURES}errors/${name}.json`, 'utf8')) as { error: { message: string } };

/** Replies as Azure sends them when things go wrong. */
export const azureReplies = {
  /** Resource Graph over quota; `retryAfter` adds the header the SDK's retry policy acts on */
  graphThrottled: (retryAfter?: number): ArmReply => ({
    status: 429,
    headers: {
      'x-ms-user-quota-remaining': '0',
      'x-ms-user-quota-resets-after': '00:00:01',
      ...(retryAfter !== undefined ? { 'retry-after': String(retryAfter) } : {}),
    },
    body: errorBody('rate-limiting'),
  }),
  /** Resource Manager read throttling, with Retry-After */
  armThrottled: (retryAfter = 1): ArmReply => ({
    status: 429,
    headers: { 'retry-after': String(retryAfter) },
    body: errorBody('subscription-requests-throttled'),
  }),
  /** what a TLS-inspecting proxy or captive portal hands back instead of JSON */
  proxyPage: (): ArmReply => ({
    status: 200,
    body: readFileSync(`${AZURE_FIXTURES}errors/proxy-error.html`, 'utf8'),
  }),
};

export interface Fault {
  match: (req: ArmRequest) => boolean;
  reply: () => ArmReply;
  /** how many matching requests get the fault (default 1) */
  times?: number;
}

/** An `intercept` that answers the first `times` requests matching each fault, then lets them through. */
export function withFaults(faults: Fault[]): (req: ArmRequest) => ArmReply | undefined {
  const left = faults.map((f) => f.times ?? 1);
  return (req) => {
    for (const [i, f] of faults.entries()) {
      if ((left[i] ?? 0) > 0 && f.match(req)) {
        left[i] = (left[i] ?? 0) - 1;
        return f.reply();
      }
    }
    return undefined;
  };
}

export const isGraph = (req: ArmRequest) =>
  req.method === 'POST' && /resourcegraph\/resources$/i.test(req.path);

export const graphSkipToken = (req: ArmRequest) =>
  (req.body as { options?: { $skipToken?: string } } | undefined)?.options?.$skipToken;

export interface TestAzure {
  server: AzureArmServer;
  ca: LocalCa;
  /** collector options (before parsing) pointing at the server */
  options: Record<string, unknown>;
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

let sharedCa: Promise<LocalCa> | undefined;

/** One CA per test process; certificates are cheap but openssl is not instant. */
export function testCa(): Promise<LocalCa> {
  sharedCa ??= createLocalCa();
  return sharedCa;
}

export async function startTestAzure(
  opts: Partial<Omit<AzureArmServerOptions, 'tls' | 'dataset'>> & { dataset?: AzureDataset } = {},
): Promise<TestAzure> {
  const ca = await testCa();
  const dataset = opts.dataset ?? (await loadAzureDataset(`${AZURE_FIXTURES}plant`));
  const server = await startAzureArmServer({
    tenantId: TEST_TENANT,
    clientId: TEST_CLIENT,
    clientSecret: TEST_SECRET,
    ...opts,
    dataset,
    tls: ca,
  });
  return {
    server,
    ca,
    options: {
      tenantId: TEST_TENANT,
      clientId: TEST_CLIENT,
      clientSecretEnv: SECRET_ENV,
      endpoint: server.url,
      authorityHost: server.url,
      caFile: ca.caFile,
      timeoutMs: 10_000,
    },
    env: { [SECRET_ENV]: TEST_SECRET },
    close: () => server.close(),
  };
}
