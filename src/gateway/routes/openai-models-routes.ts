import type { FastifyInstance } from "fastify";
import type { AgentSupervisor } from "../../agents/index.js";
import { OpenClawError } from "../../errors.js";
import { OPERATOR_READ, withAccess } from "../access/route-access.js";
import { endpointDisabledError } from "./openai-endpoints.js";
import { agentIdFromModel } from "./openai-request.js";

export interface ModelsRouteDeps {
  startedAt: number;
  /** One model per configured agent. */
  agents: Pick<AgentSupervisor, "agentIds" | "has">;
  /** Served with chat completions or responses (`gateway.http.endpoints`), read per request. */
  enabled(): boolean;
}

export function registerOpenAiModelsRoutes(server: FastifyInstance, deps: ModelsRouteDeps): void {
  const created = Math.floor(deps.startedAt / 1000);
  const entry = (id: string) => ({ id: `openclaw/${id}`, object: "model", created, owned_by: "openclaw" });
  server.get("/v1/models", withAccess(OPERATOR_READ), async () => {
    if (!deps.enabled()) throw endpointDisabledError("models");
    return { object: "list", data: deps.agents.agentIds().map(entry) };
  });
  server.get<{ Params: { model: string } }>("/v1/models/*", withAccess(OPERATOR_READ), async (request) => {
    if (!deps.enabled()) throw endpointDisabledError("models");
    const raw = (request.params as Record<string, string>)["*"] ?? "";
    const agentId = agentIdFromModel(decodeURIComponent(raw), "");
    if (!deps.agents.has(agentId)) {
      throw new OpenClawError("OC_ERR_UNKNOWN_AGENT", `model "${raw}" does not exist`, {
        hint: "GET /v1/models lists one model per agent",
      });
    }
    return entry(agentId);
  });
}
