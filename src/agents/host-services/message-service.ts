import { OpenClawError } from "../../errors.js";
import { MESSAGE_SERVICE } from "../../tools/index.js";
import type { HostServiceHandler } from "./host-service.js";

export interface MessageSend {
  channel: string;
  target: string;
  text: string;
  accountId?: string;
  threadId?: string;
}

/**
 * `message.send` for the agents' `message` tool. The gateway, not the agent's thread, decides
 * who may send: only an agent whose configured `tools` names `message` (a thread that offers
 * itself the tool anyway is refused here).
 */
export function messageService(options: {
  allowed(agentId: string): boolean;
  send(request: MessageSend): Promise<unknown>;
}): HostServiceHandler {
  return ({ agentId, operation, input }) => {
    if (!options.allowed(agentId)) {
      throw new OpenClawError("OC_ERR_FORBIDDEN", `agent ${agentId} may not send messages`, {
        hint: `add "message" to agents.${agentId}.tools`,
      });
    }
    if (operation !== "send")
      throw new OpenClawError("OC_ERR_BAD_REQUEST", `unknown message operation ${operation}`);
    const fields = (typeof input === "object" && input !== null ? input : {}) as Record<string, unknown>;
    const text = (name: string) =>
      typeof fields[name] === "string" && fields[name] !== "" ? (fields[name] as string) : undefined;
    const channel = text("channel");
    const target = text("target");
    const body = text("text");
    if (!channel || !target || !body)
      throw new OpenClawError("OC_ERR_BAD_REQUEST", "message.send needs channel, target and text");
    const accountId = text("accountId");
    const threadId = text("threadId");
    return options.send({
      channel,
      target,
      text: body,
      ...(accountId ? { accountId } : {}),
      ...(threadId ? { threadId } : {}),
    });
  };
}

export { MESSAGE_SERVICE };
