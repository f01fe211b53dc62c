import type { OpenClawConfig } from "../../config/index.js";
import { OpenClawError } from "../../errors.js";

export type HttpEndpoint = "chatCompletions" | "responses" | "models";

/**
 * Whether an OpenAI-compatible endpoint is served, per `gateway.http.endpoints.*.enabled`, read
 * per request so that a reload applies at once. As in OpenClaw, the model list goes with either
 * chat completions or responses. Unset means on: the seed's configs rely on chat completions.
 */
export function httpEndpointEnabled(config: OpenClawConfig, endpoint: HttpEndpoint): boolean {
  const { chatCompletions, responses } = config.gateway.http.endpoints;
  if (endpoint === "models") return (chatCompletions?.enabled ?? true) || (responses?.enabled ?? true);
  return (endpoint === "chatCompletions" ? chatCompletions?.enabled : responses?.enabled) ?? true;
}

const SETTING: Record<HttpEndpoint, string> = {
  chatCompletions: "gateway.http.endpoints.chatCompletions.enabled",
  responses: "gateway.http.endpoints.responses.enabled",
  models: "gateway.http.endpoints.chatCompletions.enabled (or responses.enabled)",
};

export function endpointDisabledError(endpoint: HttpEndpoint): OpenClawError {
  return new OpenClawError("OC_ERR_NOT_FOUND", `this endpoint is off (${SETTING[endpoint]} is false)`, {
    hint: `set ${SETTING[endpoint]} to true in openclaw.json`,
    details: { endpoint },
  });
}
