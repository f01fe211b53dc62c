import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveConfigPath, resolveStateDir } from "./paths.js";

describe("resolveStateDir", () => {
  it("uses OPENCLAW_STATE_DIR, absolute, with ~ expanded", () => {
    expect(resolveStateDir({ OPENCLAW_STATE_DIR: "/srv/openclaw" })).toBe("/srv/openclaw");
    expect(resolveStateDir({ OPENCLAW_STATE_DIR: "relative/state" })).toBe(resolve("relative/state"));
    expect(resolveStateDir({ OPENCLAW_STATE_DIR: "~/state", HOME: "/home/ada" })).toBe("/home/ada/state");
  });

  it("defaults to ~/.openclaw", () => {
    expect(resolveStateDir({ HOME: "/home/ada" })).toBe("/home/ada/.openclaw");
    expect(resolveStateDir({ OPENCLAW_STATE_DIR: " " })).toBe(join(homedir(), ".openclaw"));
  });
});

describe("resolveConfigPath", () => {
  const env = {
    HOME: "/home/ada",
    OPENCLAW_CONFIG_PATH: "/etc/openclaw/openclaw.json",
    OPENCLAW_STATE_DIR: "/state",
  };

  it("prefers --config, then OPENCLAW_CONFIG_PATH, then <stateDir>/openclaw.json", () => {
    expect(resolveConfigPath({ explicit: "custom.json", env })).toBe(resolve("custom.json"));
    expect(resolveConfigPath({ explicit: undefined, env })).toBe("/etc/openclaw/openclaw.json");
    expect(resolveConfigPath({ env: { OPENCLAW_STATE_DIR: "/state" } })).toBe("/state/openclaw.json");
    expect(resolveConfigPath({ env: { HOME: "/home/ada" } })).toBe("/home/ada/.openclaw/openclaw.json");
  });
});
