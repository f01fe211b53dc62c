import { describe, expect, it } from "vitest";
import { decideAccess } from "./access-decision.js";
import { accountPolicy } from "./account-policy.js";
import type { InboundMessage } from "./channel-account.js";

function message(overrides: Partial<InboundMessage> = {}): InboundMessage {
  return {
    channel: "telegram",
    accountId: "default",
    messageId: "1:1",
    peer: { kind: "direct", id: "42" },
    sender: { id: "42" },
    mentioned: true,
    text: "hi",
    attachments: [],
    sentAt: 0,
    ...overrides,
  };
}

const group = (overrides: Partial<InboundMessage> = {}) =>
  message({ peer: { kind: "group", id: "-100" }, mentioned: false, ...overrides });

describe("decideAccess: DMs", () => {
  it("pairs unknown senders by default, runs allowFrom and approved ones", () => {
    const policy = accountPolicy({}, undefined);
    expect(policy.dmPolicy).toBe("pairing");
    expect(decideAccess(message(), policy, false)).toEqual({ action: "pair" });
    expect(decideAccess(message(), policy, true)).toEqual({ action: "run" });
    expect(decideAccess(message(), accountPolicy({ allowFrom: ["tg:42"] }, undefined), false)).toEqual({
      action: "run",
    });
  });

  it("allowlist refuses others; open is public only with *; disabled drops all", () => {
    expect(
      decideAccess(message(), accountPolicy({ dmPolicy: "allowlist", allowFrom: ["7"] }, undefined), true)
        .action,
    ).toBe("drop");
    expect(
      decideAccess(message(), accountPolicy({ dmPolicy: "open", allowFrom: ["7"] }, undefined), false).action,
    ).toBe("drop");
    expect(
      decideAccess(message(), accountPolicy({ dmPolicy: "open", allowFrom: ["*"] }, undefined), false).action,
    ).toBe("run");
    expect(
      decideAccess(message(), accountPolicy({ dmPolicy: "disabled", allowFrom: ["*"] }, undefined), false)
        .action,
    ).toBe("drop");
  });

  it("lets an account's own policy win and inherit what it omits from the root", () => {
    const policy = accountPolicy({ dmPolicy: "allowlist", allowFrom: ["42"] }, { dmPolicy: "disabled" });
    expect(policy).toMatchObject({ dmPolicy: "disabled", allowFrom: ["42"] });
  });
});

describe("decideAccess: groups", () => {
  it("drops groups not listed, and everything without a mention by default", () => {
    expect(decideAccess(group(), accountPolicy({ allowFrom: ["42"] }, undefined), false)).toMatchObject({
      action: "drop",
    });
    const listed = accountPolicy({ allowFrom: ["42"], groups: { "-100": {} } }, undefined);
    expect(decideAccess(group(), listed, false)).toEqual({ action: "drop", reason: "no mention" });
    expect(decideAccess(group({ mentioned: true }), listed, false)).toEqual({ action: "run" });
  });

  it("checks group senders against the group's list, groupAllowFrom, then allowFrom; never pairing approvals", () => {
    const policy = accountPolicy({ groups: { "*": { requireMention: false } } }, undefined);
    expect(decideAccess(group(), policy, true).action).toBe("drop");
    expect(
      decideAccess(
        group(),
        accountPolicy({ allowFrom: ["42"], groups: { "*": { requireMention: false } } }, undefined),
        false,
      ).action,
    ).toBe("run");
    expect(
      decideAccess(
        group(),
        accountPolicy(
          { allowFrom: ["42"], groupAllowFrom: ["7"], groups: { "*": { requireMention: false } } },
          undefined,
        ),
        false,
      ).action,
    ).toBe("drop");
    expect(
      decideAccess(
        group(),
        accountPolicy({ groups: { "-100": { groupPolicy: "open", requireMention: false } } }, undefined),
        false,
      ).action,
    ).toBe("run");
  });

  it("gives forum topics their own mention setting and agent", () => {
    const policy = accountPolicy(
      {
        allowFrom: ["42"],
        groups: { "-100": { topics: { "5": { requireMention: false, agentId: "ops" } } } },
      },
      undefined,
    );
    expect(decideAccess(group({ threadId: "5" }), policy, false)).toEqual({ action: "run", agentId: "ops" });
    expect(decideAccess(group({ threadId: "6" }), policy, false).action).toBe("drop");
  });

  it("matches IRC channels and nicks case-insensitively", () => {
    const policy = accountPolicy({ allowFrom: ["Alice"], groups: { "#Ops": {} } }, undefined);
    const irc = group({
      channel: "irc",
      peer: { kind: "group", id: "#ops" },
      sender: { id: "alice" },
      mentioned: true,
    });
    expect(decideAccess(irc, policy, false).action).toBe("run");
  });
});
