import { describe, expect, it } from "vitest";
import type { ChannelPlatformContext } from "../core/channel-platform.js";
import { discordPlatform } from "./platform.js";

function context(): ChannelPlatformContext & { warnings: Record<string, unknown>[] } {
  const warnings: Record<string, unknown>[] = [];
  return {
    warnings,
    credential: (value) => (typeof value === "string" ? value : "resolved-token"),
    secretFile: () => "file-token",
    log: (level, _message, details) => {
      if (level === "warn") warnings.push(details);
    },
  };
}

describe("discord platform", () => {
  it("makes the root the default account and each accounts.<id> another", () => {
    const specs = discordPlatform.accounts(
      {
        token: { $secret: "discord-bot" },
        accounts: { work: { tokenFile: "work.token" }, off: { enabled: false } },
      },
      context(),
    );
    expect(specs.map((spec) => spec.accountId)).toEqual(["default", "work"]);
    expect(specs[0]?.secrets).toEqual(["discord-bot"]);
    expect(specs.map((spec) => spec.preview)).toEqual([false, false]);
  });

  it("streams a preview only when asked (OpenClaw's default is off)", () => {
    const [spec] = discordPlatform.accounts({ token: "t", streaming: { mode: "partial" } }, context());
    expect(spec?.preview).toBe(true);
  });

  it("does not rebuild the account for a policy change, and does for a connection change", () => {
    const fingerprint = (config: Record<string, unknown>) =>
      discordPlatform.accounts(config, context())[0]?.fingerprint;
    const base = { token: "t", guilds: { "1": {} } };
    expect(fingerprint({ ...base, guilds: { "2": { requireMention: false } }, allowFrom: ["9"] })).toBe(
      fingerprint(base),
    );
    expect(fingerprint({ ...base, apiBase: "http://127.0.0.1:1/api" })).not.toBe(fingerprint(base));
    expect(fingerprint({ ...base, token: "other" })).not.toBe(fingerprint(base));
    expect(fingerprint(base)).not.toContain('"t"');
  });

  it("warns about guild and channel keys written as names: they match by id here", () => {
    const warned = context();
    discordPlatform.accounts(
      { token: "t", guilds: { "123": { channels: { general: {}, "456": {}, "*": {} } } } },
      warned,
    );
    expect(warned.warnings.map((details) => details.path)).toEqual([
      "channels.discord.guilds.123.channels.general",
    ]);
  });
});
