export type { ProviderFetch } from "./ai-sdk-model.js";
export { effectiveBaseUrl } from "./base-urls.js";
export { createModelProvider } from "./create-model.js";
export { DevModel, parseToolCommand } from "./dev-model.js";
export {
  type CredentialReader,
  type CredentialRequest,
  type ReadCredential,
  resolveModelSpec,
  splitModelId,
} from "./resolve-model.js";
export { type SilenceClock, SYSTEM_SILENCE_CLOCK } from "./silence-clock.js";
export type {
  ChatMessage,
  FinishReason,
  ModelProvider,
  ModelRequest,
  ModelSpec,
  ModelStreamPart,
  ProviderType,
  ToolCall,
  ToolDescriptor,
  Usage,
} from "./types.js";
