import type { DmScope, GroupScope } from "../../sessions/index.js";
import type { InboundMessage, PeerKind, RoutingContext } from "./channel-account.js";

export type { RoutingContext };

/** A `bindings[]` entry, as the config schema gives it. */
export interface Binding {
  agentId: string;
  match: {
    channel: string;
    accountId?: string | undefined;
    peer?: { kind: PeerKind; id: string } | undefined;
    guildId?: string | undefined;
    teamId?: string | undefined;
  };
  session?: { dmScope?: DmScope | undefined; groupScope?: GroupScope | undefined } | undefined;
}

/** Where a message is routed, and why (for logs and `channels status`). */
export interface Route {
  agentId: string;
  /** Which rule picked it: `peer`, `peer:*`, `guild`, `team`, `account`, `channel`, `topic`, `default`. */
  matchedBy: string;
  dmScope: DmScope;
  groupScope: GroupScope;
}

const RANKS = { peer: 6, "peer:*": 5, guild: 4, team: 3, account: 2, channel: 1 } as const;

/**
 * OpenClaw's routing: the most specific binding wins (an exact peer, a peer wildcard, a guild,
 * a team, an account, the channel with any account), every field a binding gives must match,
 * and among equals the first written wins. Without a match: the default agent.
 */
export function routeMessage(
  message: Pick<InboundMessage, "channel" | "accountId" | "peer">,
  bindings: readonly Binding[],
  defaults: { agentId: string; dmScope: DmScope; groupScope: GroupScope },
  context: RoutingContext = {},
): Route {
  let best: { binding: Binding; rank: number; matchedBy: keyof typeof RANKS } | undefined;
  for (const binding of bindings) {
    const matchedBy = matchOf(binding, message, context);
    if (matchedBy === undefined) continue;
    const rank = RANKS[matchedBy];
    if (!best || rank > best.rank) best = { binding, rank, matchedBy };
  }
  if (!best) return { ...defaults, matchedBy: "default" };
  return {
    agentId: best.binding.agentId,
    matchedBy: best.matchedBy,
    dmScope: best.binding.session?.dmScope ?? defaults.dmScope,
    groupScope: best.binding.session?.groupScope ?? defaults.groupScope,
  };
}

function matchOf(
  binding: Binding,
  message: Pick<InboundMessage, "channel" | "accountId" | "peer">,
  context: RoutingContext,
): keyof typeof RANKS | undefined {
  const { match } = binding;
  if (match.channel !== message.channel) return undefined;
  if (match.accountId !== undefined && match.accountId !== "*" && match.accountId !== message.accountId)
    return undefined;
  if (match.guildId !== undefined && match.guildId !== context.guildId) return undefined;
  if (match.teamId !== undefined && match.teamId !== context.teamId) return undefined;
  if (match.peer !== undefined) {
    if (match.peer.kind !== message.peer.kind) return undefined;
    if (match.peer.id === "*") return "peer:*";
    const same =
      message.channel === "irc"
        ? match.peer.id.toLowerCase() === message.peer.id.toLowerCase()
        : match.peer.id === message.peer.id;
    return same ? "peer" : undefined;
  }
  if (match.guildId !== undefined) return "guild";
  if (match.teamId !== undefined) return "team";
  if (match.accountId !== undefined && match.accountId !== "*") return "account";
  return "channel";
}
