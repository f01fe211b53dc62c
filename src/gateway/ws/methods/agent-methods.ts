import { defaultAgentId } from "../../gateway-context.js";
import { describeAgent } from "../../status-report.js";
import { requireString } from "../frames.js";
import type { MethodTable } from "./method-definition.js";

export const AGENT_METHODS: MethodTable = {
  "agents.list": {
    role: "operator",
    scope: "operator.read",
    handle: ({ gateway }) => ({
      defaultId: defaultAgentId(gateway),
      mainKey: "main",
      scope: "per-sender",
      // The protocol's fields (`name`, `model.primary`) plus this gateway's runtime state
      // (placement, heap, turns) that its Control UI shows; OpenClaw clients ignore the extras.
      agents: gateway.supervisor.list().map((agent) => ({
        ...describeAgent(agent),
        name: agent.name ?? agent.id,
        model: { primary: agent.model },
      })),
    }),
  },
  "agents.kill": {
    role: "operator",
    scope: "operator.admin",
    handle: async ({ gateway, params }) => ({
      agent: describeAgent(await gateway.supervisor.kill(requireString(params, "agentId"))),
    }),
  },
  "agents.restart": {
    role: "operator",
    scope: "operator.admin",
    handle: async ({ gateway, params }) => ({
      agent: describeAgent(await gateway.supervisor.restart(requireString(params, "agentId"))),
    }),
  },
};
