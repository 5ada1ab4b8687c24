import type { CollectorEntry } from '../config/schema.js';
import { awsConfigDemo } from './aws-config.js';
import { azureDemoService } from './azure.js';
import { entraDemoService } from './entra.js';
import { ldapDemoService } from './ldap.js';
import { oktaDemoService } from './okta.js';
import { tlsDemoService } from './tls.js';

/**
 * A local stand-in for a vendor API that the demo starts so a new user sees a collector work
 * without credentials. It serves the demo plant's recorded data over the vendor's wire protocol.
 */
export interface DemoService {
  name: string;
  start(opts: { exampleDir: string }): Promise<StartedDemoService>;
}

export interface StartedDemoService {
  /** `collectors:` entries to add to the demo config */
  collectors: Array<Omit<CollectorEntry, 'enabled'> & Record<string, unknown>>;
  /** environment variables the collectors need for this run (fake credentials, CA bundle ...) */
  env?: Record<string, string>;
  close(): Promise<void>;
}

/** One line per service. */
export const demoServices: DemoService[] = [
  awsConfigDemo,
  azureDemoService,
  entraDemoService,
  ldapDemoService,
  oktaDemoService,
  tlsDemoService,
];
