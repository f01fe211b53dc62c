import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { channelSessionKey } from "../../sessions/index.js";
import { type Binding, routeMessage } from "./agent-routing.js";

const defaults = { agentId: "main", dmScope: "main" as const, groupScope: "per-group" as const };
const dm = (peerId: string, accountId = "default", channel = "telegram") => ({
  channel,
  accountId,
  peer: { kind: "direct" as const, id: peerId },
});

describe("routeMessage", () => {
  const bindings: Binding[] = [
    { agentId: "channel-agent", match: { channel: "telegram" } },
    { agentId: "account-agent", match: { channel: "telegram", accountId: "work" } },
    { agentId: "peer-agent", match: { channel: "telegram", peer: { kind: "direct", id: "42" } } },
    {
      agentId: "wildcard-agent",
      match: { channel: "telegram", accountId: "work", peer: { kind: "group", id: "*" } },
    },
  ];

  it("picks the most specific binding: peer, then peer wildcard, then account, then channel", () => {
    expect(routeMessage(dm("42"), bindings, defaults)).toMatchObject({
      agentId: "peer-agent",
      matchedBy: "peer",
    });
    expect(routeMessage(dm("42", "work"), bindings, defaults).agentId).toBe("peer-agent");
    expect(routeMessage(dm("7", "work"), bindings, defaults)).toMatchObject({
      agentId: "account-agent",
      matchedBy: "account",
    });
    expect(routeMessage(dm("7"), bindings, defaults)).toMatchObject({
      agentId: "channel-agent",
      matchedBy: "channel",
    });
    expect(
      routeMessage(
        { channel: "telegram", accountId: "work", peer: { kind: "group", id: "-100" } },
        bindings,
        defaults,
      ),
    ).toMatchObject({ agentId: "wildcard-agent", matchedBy: "peer:*" });
    expect(routeMessage(dm("7", "default", "irc"), bindings, defaults)).toMatchObject({
      agentId: "main",
      matchedBy: "default",
    });
  });

  it("requires every field a binding gives to match", () => {
    const strict: Binding[] = [
      { agentId: "x", match: { channel: "telegram", accountId: "work", peer: { kind: "direct", id: "42" } } },
    ];
    expect(routeMessage(dm("42"), strict, defaults).agentId).toBe("main");
    expect(routeMessage(dm("42", "work"), strict, defaults).agentId).toBe("x");
    const guild: Binding[] = [{ agentId: "g", match: { channel: "discord", guildId: "G1" } }];
    expect(routeMessage(dm("1", "default", "discord"), guild, defaults).agentId).toBe("main");
    expect(routeMessage(dm("1", "default", "discord"), guild, defaults, { guildId: "G1" }).agentId).toBe("g");
  });

  it("takes a binding's session scopes over the global ones", () => {
    const scoped: Binding[] = [
      { agentId: "s", match: { channel: "telegram" }, session: { dmScope: "per-channel-peer" } },
    ];
    const route = routeMessage(dm("42"), scoped, defaults);
    expect(channelSessionKey(route.agentId, dm("42"), route)).toBe("agent:s:telegram:direct:42");
  });

  it("never prefers a less specific binding, whatever the order they are written in", () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(bindings, { minLength: 1 }), (subset) => {
        const route = routeMessage(dm("42", "work"), subset, defaults);
        const ranks = ["channel-agent", "account-agent", "peer-agent"];
        const best = ranks.filter((agent) => subset.some((binding) => binding.agentId === agent)).at(-1);
        expect(route.agentId).toBe(best ?? "main");
      }),
    );
  });
});

describe("channelSessionKey", () => {
  const telegramDm = {
    channel: "telegram",
    accountId: "default",
    peer: { kind: "direct" as const, id: "42" },
  };
  it("spells OpenClaw's keys for each dmScope", () => {
    const keyFor = (dmScope: "main" | "per-peer" | "per-channel-peer" | "per-account-channel-peer") =>
      channelSessionKey("main", telegramDm, { dmScope, groupScope: "per-group" });
    expect(keyFor("main")).toBe("agent:main:main");
    expect(keyFor("per-peer")).toBe("agent:main:direct:42");
    expect(keyFor("per-channel-peer")).toBe("agent:main:telegram:direct:42");
    expect(keyFor("per-account-channel-peer")).toBe("agent:main:telegram:default:direct:42");
  });

  it("keeps groups, topics and channels apart", () => {
    const scopes = { dmScope: "main" as const, groupScope: "per-group" as const };
    const group = {
      channel: "telegram",
      accountId: "default",
      peer: { kind: "group" as const, id: "-1001234567890" },
    };
    expect(channelSessionKey("main", group, scopes)).toBe("agent:main:telegram:group:-1001234567890");
    expect(channelSessionKey("main", { ...group, threadId: "42" }, scopes)).toBe(
      "agent:main:telegram:group:-1001234567890:topic:42",
    );
    expect(
      channelSessionKey(
        "main",
        {
          channel: "discord",
          accountId: "default",
          peer: { kind: "channel", id: "123456" },
          threadId: "987654",
        },
        scopes,
      ),
    ).toBe("agent:main:discord:channel:123456:thread:987654");
    expect(channelSessionKey("main", group, { ...scopes, groupScope: "main" })).toBe("agent:main:main");
  });
});
