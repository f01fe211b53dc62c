import type { ProviderFetch } from "./ai-sdk-model.js";
import { DevModel } from "./dev-model.js";
import type { ModelProvider, ModelSpec } from "./types.js";

/**
 * Builds the provider a resolved spec describes; rejects with OC_ERR_MODEL_CONFIG when it
 * cannot. The AI SDK is imported only when a real provider is used: it is most of an agent
 * thread's start-up time and heap, which a dev-model agent never needs.
 */
export async function createModelProvider(spec: ModelSpec, fetch?: ProviderFetch): Promise<ModelProvider> {
  if (spec.type === "dev") return new DevModel(spec.model);
  const { AiSdkModelProvider } = await import("./ai-sdk-model.js");
  return new AiSdkModelProvider(spec, fetch);
}
