import { type AccountPolicy, type GroupSettings, listAllows } from "./account-policy.js";
import type { InboundMessage } from "./channel-account.js";

export type AccessDecision =
  /** Runs a turn; `agentId` when a forum topic names its agent. */
  | { action: "run"; agentId?: string }
  /** An unknown sender under dmPolicy "pairing": offered a code, not processed. */
  | { action: "pair" }
  /** Not for the agent: kept in the inbox as dropped, with why. */
  | { action: "drop"; reason: string };

/**
 * OpenClaw's access rules for one received message. DMs: `disabled` drops; `open` needs
 * allowFrom ["*"] to be public (concrete entries still restrict it); `allowlist` admits
 * allowFrom; `pairing` admits allowFrom and approved senders, and offers the rest a code.
 * Groups: the group must be allowed (`groups` lists it or "*", or groupPolicy is open with no
 * `groups`), then the sender (groupPolicy: open, or in the group's allowFrom, else
 * groupAllowFrom, else allowFrom: never the pairing approvals), then the mention gate.
 */
export function decideAccess(
  message: InboundMessage,
  policy: AccountPolicy,
  approved: boolean,
): AccessDecision {
  if (!policy.enabled) return { action: "drop", reason: "account disabled" };
  const { channel } = message;
  const senderId = message.sender.id;
  if (message.peer.kind === "direct") {
    switch (policy.dmPolicy) {
      case "disabled":
        return { action: "drop", reason: "dmPolicy is disabled" };
      case "open":
      case "allowlist":
        return listAllows(policy.allowFrom, senderId, channel)
          ? { action: "run" }
          : { action: "drop", reason: `sender ${senderId} is not in allowFrom` };
      case "pairing":
        return listAllows(policy.allowFrom, senderId, channel) || approved
          ? { action: "run" }
          : { action: "pair" };
    }
  }
  const group = groupSettings(policy, message.peer.id, channel, message.routing?.guildId);
  if (group === undefined) {
    return policy.groups === undefined && policy.groupPolicy === "open"
      ? senderAndMention(message, policy, {})
      : { action: "drop", reason: `group ${message.peer.id} is not in groups` };
  }
  if (group.enabled === false) return { action: "drop", reason: `group ${message.peer.id} is disabled` };
  return senderAndMention(message, policy, group);
}

function groupSettings(
  policy: AccountPolicy,
  peerId: string,
  channel: string,
  guildId: string | undefined,
): GroupSettings | undefined {
  const groups = policy.groups;
  if (!groups) return undefined;
  if (Object.hasOwn(groups, peerId)) return groups[peerId];
  // A Discord channel with no entry of its own is covered by its guild's (channels.discord.guilds).
  if (guildId !== undefined && Object.hasOwn(groups, guildId)) return groups[guildId];
  if (channel === "irc") {
    const folded = peerId.toLowerCase();
    const key = Object.keys(groups).find((name) => name.toLowerCase() === folded);
    if (key !== undefined) return groups[key];
  }
  return groups["*"];
}

function senderAndMention(
  message: InboundMessage,
  policy: AccountPolicy,
  group: GroupSettings,
): AccessDecision {
  const senderPolicy = group.groupPolicy ?? policy.groupPolicy;
  if (senderPolicy === "disabled") return { action: "drop", reason: "groupPolicy is disabled" };
  if (senderPolicy === "allowlist") {
    const list = group.allowFrom ?? policy.groupAllowFrom ?? policy.allowFrom;
    if (!listAllows(list, message.sender.id, message.channel)) {
      return { action: "drop", reason: `sender ${message.sender.id} is not allowed in ${message.peer.id}` };
    }
  }
  const topic =
    message.threadId !== undefined ? (group.topics?.[message.threadId] ?? group.topics?.["*"]) : undefined;
  if (topic?.enabled === false) return { action: "drop", reason: `topic ${message.threadId} is disabled` };
  const requireMention = topic?.requireMention ?? group.requireMention ?? policy.requireMention;
  if (requireMention && !message.mentioned) return { action: "drop", reason: "no mention" };
  return topic?.agentId ? { action: "run", agentId: topic.agentId } : { action: "run" };
}
