import type { FastifyInstance } from "fastify";
import { OpenClawError } from "../../errors.js";
import { OPERATOR_READ, withAccess } from "../access/route-access.js";
import type { OpenAiAgents } from "./openai-agent-target.js";
import { endpointDisabledError } from "./openai-endpoints.js";
import { agentIdFromModel } from "./openai-request.js";

export interface ModelsRouteDeps {
  startedAt: number;
  /** The agents are the models: OpenClaw lists agent targets, not backend provider models. */
  agents: OpenAiAgents & { agentIds(): string[] };
  /** Served with chat completions or responses (`gateway.http.endpoints`), read per request. */
  enabled(): boolean;
}

/** The stable aliases of the default agent, listed first as OpenClaw does. */
const DEFAULT_TARGETS = ["openclaw", "openclaw/default"];

export function registerOpenAiModelsRoutes(server: FastifyInstance, deps: ModelsRouteDeps): void {
  const created = Math.floor(deps.startedAt / 1000);
  const entry = (id: string) => ({ id, object: "model", created, owned_by: "openclaw" });
  server.get("/v1/models", withAccess(OPERATOR_READ), async () => {
    if (!deps.enabled()) throw endpointDisabledError("models");
    return {
      object: "list",
      data: [...DEFAULT_TARGETS, ...deps.agents.agentIds().map((id) => `openclaw/${id}`)].map(entry),
    };
  });
  // A wildcard: the id holds a slash, sent raw (`openclaw/main`) or encoded (`openclaw%2Fmain`).
  server.get("/v1/models/*", withAccess(OPERATOR_READ), async (request) => {
    if (!deps.enabled()) throw endpointDisabledError("models");
    const raw = decoded((request.params as Record<string, string>)["*"] ?? "");
    if (DEFAULT_TARGETS.includes(raw)) return entry(raw);
    const agentId = agentIdFromModel(raw, deps.agents.defaultAgentId());
    if (!deps.agents.has(agentId)) {
      throw new OpenClawError("OC_ERR_UNKNOWN_AGENT", `model "${raw}" does not exist`, {
        hint: "GET /v1/models lists the agents as models: openclaw/<agentId>",
      });
    }
    return entry(`openclaw/${agentId}`);
  });
}

/** A malformed escape names no model: it is a 404 like any other unknown id, not a 500. */
function decoded(id: string): string {
  try {
    return decodeURIComponent(id);
  } catch {
    return id;
  }
}
