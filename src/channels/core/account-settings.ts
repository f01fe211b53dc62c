import type { ChannelLog } from "./channel-log.js";
import type { ChannelPlatformContext } from "./channel-platform.js";

/**
 * A credential given either in the config (a `$secret` reference or an inline string) or as a
 * file to read (`tokenFile`, `passwordFile`): the config's wins, as in OpenClaw.
 */
export function credentialOrFile(
  context: ChannelPlatformContext,
  value: string | { $secret: string } | undefined,
  file: string | undefined,
  path: string,
): string | undefined {
  if (value !== undefined) return context.credential(value, path);
  return file !== undefined ? context.secretFile(file) : undefined;
}

/** An account's log: the gateway's, every line tagged with the channel and the account. */
export function accountLog(context: ChannelPlatformContext, channel: string, accountId: string): ChannelLog {
  return (level, message, details) =>
    context.log(level, message, { channel, account: accountId, ...details });
}
