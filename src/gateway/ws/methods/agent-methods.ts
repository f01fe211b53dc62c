import type { AgentSupervisor } from "../../../agents/index.js";
import { describeAgent } from "../../status-report.js";
import { requireString } from "../frames.js";
import type { MethodTable } from "./method-definition.js";

/** Agent control over WebSocket (`agents.*`), twin of the HTTP routes. */
export interface AgentMethodsDeps {
  supervisor: Pick<AgentSupervisor, "list" | "kill" | "restart">;
  defaultAgentId(): string;
}

export function agentMethods(deps: AgentMethodsDeps): MethodTable {
  return {
    "agents.list": {
      role: "operator",
      scope: "operator.read",
      handle: () => ({
        defaultId: deps.defaultAgentId(),
        mainKey: "main",
        scope: "per-sender",
        // The protocol's fields (`name`, `model.primary`) plus this gateway's runtime state
        // (placement, heap, turns) that its Control UI shows; OpenClaw clients ignore the extras.
        agents: deps.supervisor.list().map((agent) => ({
          ...describeAgent(agent),
          name: agent.name ?? agent.id,
          model: {
            primary: agent.model,
            ...(agent.modelFallbacks ? { fallbacks: agent.modelFallbacks } : {}),
          },
        })),
      }),
    },
    "agents.kill": {
      role: "operator",
      scope: "operator.admin",
      handle: async ({ params }) => ({
        agent: describeAgent(await deps.supervisor.kill(requireString(params, "agentId"))),
      }),
    },
    "agents.restart": {
      role: "operator",
      scope: "operator.admin",
      handle: async ({ params }) => ({
        agent: describeAgent(await deps.supervisor.restart(requireString(params, "agentId"))),
      }),
    },
  };
}
