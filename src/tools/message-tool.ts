import { requireHost } from "./host-access.js";
import { asObject, type Tool, ToolInputError } from "./tool.js";

/** The host service of the gateway's messaging channels. */
export const MESSAGE_SERVICE = "message";

/**
 * Sends a message on a channel as the bot (`openclaw message send` for agents). Offered only to
 * agents whose `tools` names it: sending to any chat as the bot is a capability an operator
 * grants, not a default. The gateway checks the same allow-list again on its side.
 */
export const messageTool: Tool = {
  hostService: MESSAGE_SERVICE,
  optIn: true,
  name: "message",
  description:
    "Sends a message as the bot on a messaging channel: `channel` (telegram, irc, discord), `target` (a Telegram chat id, " +
    "an IRC #channel or nick, a Discord channel:<id> or user:<id>), `text` (Markdown). Optional `accountId` and `threadId` (a Telegram forum topic, a Discord thread).",
  parameters: {
    type: "object",
    properties: {
      channel: { type: "string" },
      target: { type: "string" },
      text: { type: "string" },
      accountId: { type: "string" },
      threadId: { type: "string" },
    },
    required: ["channel", "target", "text"],
    additionalProperties: false,
  },
  async execute(input, context) {
    const fields = asObject(input, "message");
    for (const field of ["channel", "target", "text"] as const) {
      if (typeof fields[field] !== "string" || fields[field] === "")
        throw new ToolInputError(`message needs a non-empty string \`${field}\``);
    }
    const host = requireHost(context, "message");
    try {
      return await host.call(MESSAGE_SERVICE, "send", fields);
    } catch (error) {
      throw new ToolInputError(error instanceof Error ? error.message : String(error));
    }
  },
};
