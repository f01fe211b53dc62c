import type { InboundMessage } from "../core/channel-account.js";
import { type IrcCasemapping, ircFoldCase } from "./irc-casemapping.js";
import { detectIrcMention } from "./irc-mention.js";

/** A PRIVMSG (or CTCP ACTION) the account received, as read off the wire. */
export interface IrcPrivmsg {
  nick: string;
  ident: string;
  hostname: string;
  target: string;
  text: string;
  isAction: boolean;
  /** IRCv3 `server-time`, when the server sends it. */
  time?: number | undefined;
}

export interface IrcReceiver {
  channel: string;
  accountId: string;
  /** The nick the account has now (it can change after registration). */
  ownNick: string;
  casemapping: IrcCasemapping;
  /** Whether a target names a channel on this server (its `CHANTYPES`: `#&` by default). */
  isChannelName: (target: string) => boolean;
  /** IRC has no message ids: the account makes one per message, unique per connection. */
  messageId: string;
  receivedAt: number;
}

/**
 * Normalizes one PRIVMSG. IRC channels are group conversations in OpenClaw's terms (group
 * policy, group allowlists, mention gating), keyed by the channel name folded to one case since
 * IRC names are case-insensitive; a message to our own nick is a direct message from its sender.
 * Anything else (a server mask such as `$*`, a nick we no longer have) is not for the account.
 */
export function toInboundMessage(privmsg: IrcPrivmsg, receiver: IrcReceiver): InboundMessage | undefined {
  const toChannel = receiver.isChannelName(privmsg.target);
  const toUs =
    ircFoldCase(privmsg.target, receiver.casemapping) === ircFoldCase(receiver.ownNick, receiver.casemapping);
  if (!toChannel && !toUs) return undefined;
  const text = privmsg.isAction ? `/me ${privmsg.text}` : privmsg.text;
  const mention = toChannel
    ? detectIrcMention(text, receiver.ownNick, receiver.casemapping)
    : { mentioned: true, text };
  return {
    channel: receiver.channel,
    accountId: receiver.accountId,
    messageId: receiver.messageId,
    peer: toChannel
      ? { kind: "group", id: ircFoldCase(privmsg.target, receiver.casemapping) }
      : { kind: "direct", id: privmsg.nick },
    sender: {
      id: privmsg.nick,
      name: privmsg.nick,
      ...(privmsg.ident || privmsg.hostname ? { username: `${privmsg.ident}@${privmsg.hostname}` } : {}),
    },
    mentioned: mention.mentioned,
    text: mention.text,
    attachments: [],
    sentAt: privmsg.time ?? receiver.receivedAt,
  };
}
