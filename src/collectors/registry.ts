import { awsConfigCollector } from './aws-config/index.js';
import { azureCollector } from './azure/index.js';
import { entraCollector } from './entra/index.js';
import { inventoryCollector } from './inventory/index.js';
import { ldapCollector } from './ldap/index.js';
import { oktaCollector } from './okta/index.js';
import { tlsCollector } from './tls/index.js';
import type { AnyCollector } from './types.js';

/** Every collector plantproof knows, by the `type` used in plantproof.yaml. One line each. */
export const collectors: Record<string, AnyCollector> = {
  'aws-config': awsConfigCollector,
  azure: azureCollector,
  entra: entraCollector,
  inventory: inventoryCollector,
  ldap: ldapCollector,
  okta: oktaCollector,
  tls: tlsCollector,
};

export function getCollector(type: string): AnyCollector | undefined {
  return Object.hasOwn(collectors, type) ? collectors[type] : undefined;
}
