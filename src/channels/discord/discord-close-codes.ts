import { OpenClawError } from "../../errors.js";
import { channelAuthError, channelConnectError } from "../core/channel-errors.js";
import { DISCORD_CHANNEL } from "./normalize-discord-message.js";

/**
 * The gateway close codes after which @discordjs/ws gives up (it resumes or reconnects after
 * every other one), as the error the account fails with. Undefined: not fatal.
 */
export function closeCodeError(code: number, accountId: string): OpenClawError | undefined {
  const where = `channels.discord${accountId === "default" ? "" : `.accounts.${accountId}`}`;
  switch (code) {
    case 4004:
      return channelAuthError(
        DISCORD_CHANNEL,
        accountId,
        "the gateway closed with 4004 Authentication failed (the bot token is invalid or was reset)",
      );
    case 4013:
    case 4014:
      return new OpenClawError(
        "OC_ERR_CHANNEL_CONNECT",
        `discord account "${accountId}" was refused its gateway intents (close ${code}${code === 4014 ? " Disallowed intents" : " Invalid intents"})`,
        {
          hint: "enable Message Content Intent for the bot: Developer Portal → your application → Bot → Privileged Gateway Intents, then wait for the reconnect",
        },
      );
    case 4010:
    case 4011:
    case 4012:
      return channelConnectError(
        DISCORD_CHANNEL,
        accountId,
        `the gateway closed with ${code} (${code === 4012 ? "invalid API version" : "sharding"}); check ${where}.apiBase`,
      );
    default:
      return undefined;
  }
}
