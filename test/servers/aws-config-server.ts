/**
 * The local AWS Config server lives in src/demo so that the demo and the benchmark can run it from
 * the compiled package; tests import it from here.
 */
export * from '../../src/demo/aws-config-server.js';
