import type { ConversationHooks } from "../core/message-dispatcher.js";
import type { ThreadBindings } from "../thread-bindings/thread-bindings.js";
import { answerChatCommand, type SpawnedRunView } from "./chat-commands.js";

/**
 * What the dispatcher asks of each allowed message before routing: a slash command is answered
 * here (no model turn), and a conversation with a live binding goes to the helper's session.
 */
export function createConversationHooks(options: {
  bindings: ThreadBindings;
  runs(): readonly SpawnedRunView[];
  now?: () => number;
}): ConversationHooks {
  const now = options.now ?? Date.now;
  return {
    command: (message) =>
      answerChatCommand(message.text, { message, bindings: options.bindings, runs: options.runs, now }),
    bound: async (message) => {
      const binding = await options.bindings.resolve(message);
      return binding ? { agentId: binding.agentId, sessionKey: binding.sessionKey } : undefined;
    },
  };
}
