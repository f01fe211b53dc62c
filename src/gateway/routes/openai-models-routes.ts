import type { FastifyInstance } from "fastify";
import { OpenClawError } from "../../errors.js";
import { OPERATOR_READ, withAccess } from "../access/route-access.js";
import type { GatewayContext } from "../gateway-context.js";
import { agentIdFromModel } from "./openai-request.js";

export function registerOpenAiModelsRoutes(server: FastifyInstance, context: GatewayContext): void {
  const created = Math.floor(context.startedAt / 1000);
  const entry = (id: string) => ({ id: `openclaw/${id}`, object: "model", created, owned_by: "openclaw" });
  server.get("/v1/models", withAccess(OPERATOR_READ), async () => ({
    object: "list",
    data: context.supervisor.list().map((agent) => entry(agent.id)),
  }));
  server.get<{ Params: { model: string } }>("/v1/models/*", withAccess(OPERATOR_READ), async (request) => {
    const raw = (request.params as Record<string, string>)["*"] ?? "";
    const agentId = agentIdFromModel(decodeURIComponent(raw), "");
    if (!context.supervisor.has(agentId)) {
      throw new OpenClawError("OC_ERR_UNKNOWN_AGENT", `model "${raw}" does not exist`, {
        hint: "GET /v1/models lists one model per agent",
      });
    }
    return entry(agentId);
  });
}
