import { describe, expect, it } from "vitest";
import { accountLog, credentialOrFile } from "./account-settings.js";
import type { ChannelPlatformContext } from "./channel-platform.js";

const logged: unknown[][] = [];
const context: ChannelPlatformContext = {
  credential: (value, path) =>
    typeof value === "string" ? `inline:${value}@${path}` : value && `ref:${value.$secret}`,
  secretFile: (path) => `file:${path}`,
  log: (...entry) => void logged.push(entry),
};

describe("credentialOrFile", () => {
  it("reads the config's credential first, the file second, else nothing", () => {
    expect(credentialOrFile(context, { $secret: "bot" }, "token.txt", "channels.x.token")).toBe("ref:bot");
    expect(credentialOrFile(context, "t0k", undefined, "channels.x.token")).toBe(
      "inline:t0k@channels.x.token",
    );
    expect(credentialOrFile(context, undefined, "token.txt", "channels.x.token")).toBe("file:token.txt");
    expect(credentialOrFile(context, undefined, undefined, "channels.x.token")).toBeUndefined();
  });
});

describe("accountLog", () => {
  it("tags every line with the channel and the account, the line's own details kept", () => {
    accountLog(context, "slack", "work")("warn", "slow", { ms: 5 });
    accountLog(context, "irc", "default")("info", "up");
    expect(logged).toEqual([
      ["warn", "slow", { channel: "slack", account: "work", ms: 5 }],
      ["info", "up", { channel: "irc", account: "default" }],
    ]);
  });
});
