import type { Peer } from "../core/channel-account.js";
import { ChannelSendError } from "../core/channel-errors.js";

/**
 * The PRIVMSG target for a peer. Checked strictly because it goes into a raw protocol line: a
 * space or line break would inject a command, a comma would address several targets, and a
 * direct peer that names a channel (or the reverse) would post where nobody asked.
 */
export function resolveIrcTarget(peer: Peer, server: { isChannelName(name: string): boolean }): string {
  const name = peer.id;
  if (name === "" || name.startsWith(":") || /[\s,\x00-\x1f\x7f]/.test(name)) {
    throw new ChannelSendError(`"${name}" is not an IRC nick or channel name`, { retryable: false });
  }
  const isChannel = server.isChannelName(name);
  if (peer.kind === "direct" && isChannel) {
    throw new ChannelSendError(`direct target "${name}" is a channel name`, { retryable: false });
  }
  if (peer.kind !== "direct" && !isChannel) {
    throw new ChannelSendError(`${peer.kind} target "${name}" is not a channel name on this server`, {
      retryable: false,
    });
  }
  return name;
}
