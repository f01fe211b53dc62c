import { AiSdkModelProvider } from "./ai-sdk-model.js";
import { DevModel } from "./dev-model.js";
import type { ModelProvider, ModelSpec } from "./types.js";

/** Builds the provider a resolved spec describes. Throws OC_ERR_MODEL_CONFIG when it cannot. */
export function createModelProvider(spec: ModelSpec): ModelProvider {
  if (spec.type === "dev") return new DevModel(spec.model);
  return new AiSdkModelProvider(spec);
}
