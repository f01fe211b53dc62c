import { describe, expect, it } from "vitest";
import { telegramPlatform } from "../channels/telegram/platform.js";
import { lazyChannelPlatforms } from "./channel-platforms.js";

const byId = (platforms: ReturnType<typeof lazyChannelPlatforms>["platforms"], id: string) => {
  const platform = platforms.find((candidate) => candidate.id === id);
  if (!platform) throw new Error(`no platform ${id}`);
  return platform;
};

describe("the gateway's channel platforms", () => {
  it("are known by id before any is loaded, so that a channel is refused or accepted by name", () => {
    expect(lazyChannelPlatforms().platforms.map((platform) => platform.id)).toEqual([
      "telegram",
      "irc",
      "discord",
      "slack",
    ]);
  });

  it("load only the platforms the config names, and answer as the platform itself once loaded", async () => {
    const lazy = lazyChannelPlatforms();
    const telegram = byId(lazy.platforms, "telegram");
    expect(() => telegram.target("12345")).toThrow(/before it was loaded/);
    await lazy.load(undefined);
    expect(() => telegram.target("12345")).toThrow(/before it was loaded/);
    await lazy.load({ telegram: {} });
    expect(telegram.target("12345")).toEqual(telegramPlatform.target("12345"));
    expect(() => byId(lazy.platforms, "discord").target("12345")).toThrow(/before it was loaded/);
    // A platform loaded stays loaded: a config reload that drops and re-adds it needs no import.
    await lazy.load({});
    expect(telegram.target("12345")).toEqual(telegramPlatform.target("12345"));
  });
});
