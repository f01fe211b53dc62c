export { describeProviderConformance } from "./describe-provider-conformance.js";
export type {
  ProviderUnderTest,
  RemoteProvider,
  ScriptedText,
  ScriptedToolCall,
} from "./provider-under-test.js";
export { devModelUnderTest } from "./targets/dev-model-target.js";
export { type FakeServerKind, remoteProviderUnderTest } from "./targets/remote-provider-target.js";
