export {
  CHAIN_FILE,
  ChainFile,
  checkLink,
  findPrevious,
  linkTo,
  listBundles,
  readChainFile,
} from './chain.js';
export {
  BUNDLE_NAME,
  bundleNameFor,
  MANIFEST_FILE,
  Manifest,
  PUBLIC_KEY_IN_BUNDLE,
  SIGNATURE_FILE,
  SignatureFile,
} from './manifest.js';
export {
  DEFAULT_RETENTION_MONTHS,
  FRAMEWORK_CATEGORY,
  formatPrunePlan,
  type PrunePlan,
  parseRetention,
  pruneBundles,
  type RetentionPolicy,
} from './prune.js';
export { type OpenedBundle, openBundle, readManifestBytes } from './reader.js';
export { canonicalJson, reproduceResults } from './reproduce.js';
export { buildRequirementFiles, DEFAULT_EXCERPT_LIMIT, requirementFileNames } from './requirements.js';
export {
  generateSigningKeyFiles,
  keyIdOf,
  loadPublicKey,
  loadSigningKey,
  SIGNING_KEY_ENV,
  type SigningKey,
  signingKeyFromPem,
} from './signing.js';
export {
  formatVerifyReport,
  type VerifyOptions,
  type VerifyReport,
  type VerifyStep,
  verifyBundle,
} from './verify.js';
export {
  BUNDLE_PATHS,
  type BundleFormat,
  type WriteBundleOptions,
  type WrittenBundle,
  writeBundle,
} from './writer.js';
