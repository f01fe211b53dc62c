export {
  type AuditFinding,
  type AuditFindingKind,
  type AuditOptions,
  type AuditSkipReason,
  auditPlaintextCredentials,
} from "./audit.js";
export {
  type AmbiguousNameBinding,
  ambiguousNameBindings,
  describeBindingReason,
  findSecretReferences,
  providerForSecretName,
  resolveBindings,
  type SecretBinding,
  type SecretProvider,
  type SecretReference,
  unknownSecretReferences,
} from "./bindings.js";
export { CredentialBroker, type CredentialSource, type SecretValues } from "./credential-broker.js";
export { DEFAULT_EXEC_ENV_ALLOW_LIST, DEFAULT_EXEC_TIMEOUT_MS } from "./exec-source.js";
export { type KeyFormatKind, maskCredential } from "./key-formats.js";
export { withLocalSecrets } from "./local-secrets.js";
export { findPlaintextCredentials } from "./plaintext.js";
export { Redactor, SECRET_MASK } from "./redactor.js";
export { unknownSecret } from "./secret-errors.js";
export { listSecrets, type SecretListing } from "./secret-listing.js";
export type { ReloadReport, SecretHealth, SecretSourceKind, SecretStatus } from "./secret-status.js";
export { SecretStore, type SecretStoreOptions } from "./secret-store.js";
export { MAX_SECRET_BYTES } from "./secret-value.js";
export { describeSecretSource, readSecretSource, type SecretSourceOptions } from "./sources.js";
