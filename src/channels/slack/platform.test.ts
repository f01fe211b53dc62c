import { describe, expect, it } from "vitest";
import { parseConfigText } from "../../config/load.js";
import { SlackChannelSchema } from "../../config/schema/channels-slack.js";
import { ConfigSchema } from "../../config/schema.js";
import { decideAccess } from "../core/access-decision.js";
import type { InboundMessage } from "../core/channel-account.js";
import type { ChannelPlatformContext } from "../core/channel-platform.js";
import { slackPlatform, slackPolicy, slackTarget } from "./platform.js";

const slack = (block: Record<string, unknown>) => SlackChannelSchema.parse(block);

const message = (overrides: Partial<InboundMessage>): InboundMessage => ({
  channel: "slack",
  accountId: "default",
  messageId: "C1:1.1",
  peer: { kind: "channel", id: "C1" },
  sender: { id: "U1" },
  mentioned: true,
  text: "hi",
  attachments: [],
  sentAt: 0,
  ...overrides,
});

const context: ChannelPlatformContext = {
  credential: (value) =>
    typeof value === "string" ? value : value ? `resolved-${value.$secret}` : undefined,
  secretFile: () => "",
  log: () => {},
};

describe("channels.slack config", () => {
  it("takes OpenClaw's documented block, ignoring (with a warning) what it does not implement", () => {
    const loaded = parseConfigText(
      `{
        channels: {
          slack: {
            enabled: true,
            mode: "socket",
            botToken: "xoxb-dev",
            appToken: "xapp-dev",
            dmPolicy: "pairing",
            allowFrom: ["U123"],
            channels: { C123: { requireMention: true, users: ["U123"], systemPrompt: "Short." } },
            replyToMode: "all",
            thread: { historyScope: "thread" },
            streaming: { mode: "partial", nativeTransport: true },
            textChunkLimit: 4000,
          },
        },
      }`,
      "/etc/openclaw/openclaw.json",
    );
    expect(loaded.config.channels.slack).toMatchObject({
      mode: "socket",
      replyToMode: "all",
      channels: { C123: { users: ["U123"] } },
    });
    expect(loaded.warnings.map((warning) => warning.path)).toEqual([
      "channels.slack.channels.C123.systemPrompt",
      "channels.slack.thread",
      "channels.slack.streaming.nativeTransport",
    ]);
  });

  it("refuses plaintext tokens and signing secrets in production, and an unknown mode", () => {
    const result = ConfigSchema.safeParse({
      gateway: { mode: "production" },
      channels: { slack: { mode: "relay", botToken: { $secret: "slack-bot" } } },
    });
    expect(result.success).toBe(false);
    const issues = (result.error?.issues ?? []).map((issue) => issue.path.join("."));
    expect(issues).toContain("channels.slack.mode");
  });

  it("asks for one account per bot token, default first, with its secrets named", () => {
    const specs = slackPlatform.accounts(
      slack({
        botToken: { $secret: "bot" },
        appToken: { $secret: "app" },
        accounts: {
          work: { botToken: { $secret: "work-bot" }, mode: "http", signingSecret: { $secret: "work-sign" } },
        },
      }),
      context,
    );
    expect(specs.map((spec) => [spec.accountId, spec.secrets])).toEqual([
      ["default", ["bot", "app"]],
      ["work", ["work-bot", "app", "work-sign"]],
    ]);
    // An inline (development) token is fingerprinted by a hash, never written into the fingerprint.
    const [inline] = slackPlatform.accounts(
      slack({ botToken: "xoxb-inline-dev-token", appToken: "xapp-inline" }),
      context,
    );
    expect(inline?.fingerprint).not.toContain("xoxb-inline-dev-token");
    expect(inline?.fingerprint).not.toContain("xapp-inline");
    expect(specs[0]?.create().capabilities.threads).toBe("child");
    expect(specs[1]?.create().channel).toBe("slack");
  });
});

describe("slackPolicy", () => {
  const run = (config: Record<string, unknown>, inbound: Partial<InboundMessage>) =>
    decideAccess(message(inbound), slackPolicy(slack(config), undefined), false).action;

  it("answers a listed channel's members, only its users when it names them", () => {
    expect(run({ channels: { C1: {} } }, {})).toBe("run");
    expect(run({ channels: { C1: {} } }, { peer: { kind: "channel", id: "C2" } })).toBe("drop");
    expect(run({ channels: { C1: { users: ["U2"] } } }, {})).toBe("drop");
    expect(run({ channels: { C1: { users: ["U1"] } } }, {})).toBe("run");
    expect(run({ channels: { C1: { enabled: false } } }, {})).toBe("drop");
  });

  it("mention-gates channels by default; requireMention false lets anything through", () => {
    expect(run({ channels: { C1: {} } }, { mentioned: false })).toBe("drop");
    expect(run({ channels: { C1: { requireMention: false } } }, { mentioned: false })).toBe("run");
  });

  it("groupPolicy open admits unlisted channels, disabled none", () => {
    expect(run({ groupPolicy: "open" }, {})).toBe("run");
    expect(run({ groupPolicy: "open", channels: { C9: {} } }, {})).toBe("run");
    expect(run({ groupPolicy: "disabled", channels: { C1: {} } }, {})).toBe("drop");
    expect(run({}, {})).toBe("drop");
  });

  it("pairs unknown DM senders by default; reads the legacy dm.* keys", () => {
    const dm = { peer: { kind: "direct" as const, id: "U1" } };
    expect(run({}, dm)).toBe("pair");
    expect(run({ allowFrom: ["U1"] }, dm)).toBe("run");
    expect(run({ dm: { allowFrom: ["U1"] } }, dm)).toBe("run");
    expect(run({ dm: { policy: "disabled" } }, dm)).toBe("drop");
    expect(run({ dm: { enabled: false }, allowFrom: ["U1"] }, dm)).toBe("drop");
  });
});

describe("slackTarget", () => {
  it.each([
    ["channel:C123", { kind: "channel", id: "C123" }],
    ["user:U123", { kind: "direct", id: "U123" }],
    ["<@U123>", { kind: "direct", id: "U123" }],
    ["slack:C123", { kind: "channel", id: "C123" }],
    ["U123", { kind: "direct", id: "U123" }],
    ["D123", { kind: "direct", id: "D123" }],
    ["#C123", { kind: "channel", id: "C123" }],
  ])("%s", (raw, peer) => {
    expect(slackTarget(raw)).toEqual({ peer });
    expect(slackTarget(raw, "1.2")).toEqual({ peer, threadId: "1.2" });
  });
});
