export { agentWorkspaceRoot } from "./agent-workspace.js";
export { DEFAULT_AGENT_ID, type ResolvedAgent, resolveAgentConfigs } from "./agents.js";
export { writeFileAtomic } from "./atomic-write.js";
export { forbiddenBindReason, type ParsedBind, parseBind } from "./bind-rules.js";
export { type BoundaryChange, weakeningChanges } from "./boundary-changes.js";
export { type ConfigIssue, formatIssue, formatWarnings } from "./config-issues.js";
export { type ConfigPath, type ConfigPathSegment, formatConfigPath, parseConfigPath } from "./config-path.js";
export { type DottedKeyOrigin, type DottedKeyProblem, expandDottedKeys } from "./dotted-keys.js";
export { getConfigValue, parseConfigValue, setConfigValueInFile } from "./edit.js";
export {
  configHashOf,
  defaultConfig,
  type LoadedConfig,
  loadConfigFile,
  parseConfigBytes,
  parseConfigSyntax,
  parseConfigText,
} from "./load.js";
export { type MigratedConfig, migrateConfigFile, migrateConfigText } from "./migrate.js";
export {
  CONFIG_FILE_NAME,
  gatewayLogPath,
  type ResolveConfigPathOptions,
  resolveConfigPath,
  resolveStateDir,
} from "./paths.js";
export { isCredentialKey, REDACTED, redactCredentials } from "./redact.js";
export * from "./schema.js";
export {
  createSourceLocator,
  locateInSource,
  type SourceLocation,
  type SourceLocator,
} from "./source-locator.js";
export { editDistance, schemaKeysAt, suggestNearest } from "./suggest.js";
export { loadConfigFileCached, validatedConfigCachePath } from "./validated-cache.js";
export { ConfigWatcher, type ConfigWatcherOptions } from "./watch.js";
export { SYSTEM_WATCH_CLOCK, type WatchClock } from "./watch-clock.js";
