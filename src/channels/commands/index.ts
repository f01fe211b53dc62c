export {
  answerChatCommand,
  CHAT_COMMANDS,
  type ChatCommandContext,
  type SpawnedRunView,
} from "./chat-commands.js";
export { createConversationHooks } from "./conversation-hooks.js";
export { type ChatCommand, parseChatCommand } from "./parse-chat-command.js";
