import { describe, expect, it } from "vitest";
import { ConfigSchema } from "../schema.js";

const parse = (config: unknown) => ConfigSchema.safeParse(config);
const issuesOf = (config: unknown) =>
  (parse(config).error?.issues ?? []).map((issue) => `${issue.path.join(".")}: ${issue.message}`);

describe("channels config", () => {
  it("takes OpenClaw's telegram block as its docs write it", () => {
    const result = parse({
      channels: {
        telegram: {
          enabled: true,
          botToken: "123:abc",
          dmPolicy: "pairing",
          allowFrom: [8734062810, "tg:745123456"],
          groups: {
            "*": { requireMention: true },
            "-1001234567890": { groupPolicy: "open", requireMention: false },
          },
        },
      },
      bindings: [{ agentId: "main", match: { channel: "telegram", accountId: "default" } }],
      session: { dmScope: "per-channel-peer" },
    });
    expect(result.success).toBe(true);
    expect(result.data?.channels.telegram?.allowFrom).toEqual(["8734062810", "tg:745123456"]);
    expect(result.data?.session).toMatchObject({ dmScope: "per-channel-peer", groupScope: "per-group" });
  });

  it("defaults to no channels, no bindings and DMs in the main session", () => {
    const config = ConfigSchema.parse({});
    expect(config.channels).toEqual({});
    expect(config.bindings).toEqual([]);
    expect(config.session.dmScope).toBe("main");
  });

  it("refuses a plaintext bot token, webhook secret or IRC password in production mode", () => {
    const issues = issuesOf({
      gateway: { mode: "production" },
      channels: {
        telegram: {
          botToken: "123:abc",
          webhookSecret: "s3cret",
          accounts: { work: { botToken: "456:def" } },
        },
        irc: { host: "irc.example.com", password: "hunter2", sasl: { account: "bot", password: "hunter3" } },
      },
    });
    for (const path of [
      "channels.telegram.botToken",
      "channels.telegram.webhookSecret",
      "channels.telegram.accounts.work.botToken",
      "channels.irc.password",
      "channels.irc.sasl.password",
    ]) {
      expect(issues.some((issue) => issue.startsWith(`${path}: plaintext credential refused`))).toBe(true);
    }
  });

  it("takes secret references in production, and names an undeclared one", () => {
    expect(
      parse({
        gateway: { mode: "production" },
        externalSecrets: { tg: { source: "file", path: "/etc/openclaw/tg" } },
        channels: { telegram: { botToken: { $secret: "tg" } } },
      }).success,
    ).toBe(true);
    expect(issuesOf({ channels: { telegram: { botToken: { $secret: "nope" } } } })).toEqual([
      expect.stringContaining('channels.telegram.botToken.$secret: secret "nope" is not declared'),
    ]);
  });

  it("refuses typos and wrong values with their path", () => {
    expect(issuesOf({ channels: { telegram: { dmPolcy: "open" } } })[0]).toContain("channels.telegram");
    expect(issuesOf({ channels: { telegram: { dmPolicy: "everyone" } } })[0]).toContain(
      "channels.telegram.dmPolicy",
    );
    expect(issuesOf({ channels: { irc: { channels: ["ops"] } } })[0]).toContain("channels.irc.channels.0");
    expect(
      issuesOf({
        bindings: [{ agentId: "a", match: { channel: "telegram", peer: { kind: "dm", id: "1" } } }],
      })[0],
    ).toContain("bindings.0.match.peer.kind");
  });
});
