export { chunkDiscordMarkdown, DISCORD_MESSAGE_LIMIT } from "./chunk-discord-markdown.js";
export { createDiscordAccount, DISCORD_INTENTS } from "./discord-account.js";
export type { DiscordAccountOptions, DiscordLog, DiscordLogLevel } from "./discord-account-options.js";
export { discordAccountPolicy } from "./discord-policy.js";
export { resolveDiscordTarget } from "./discord-target.js";
export { DISCORD_CHANNEL, normalizeDiscordMessage } from "./normalize-discord-message.js";
