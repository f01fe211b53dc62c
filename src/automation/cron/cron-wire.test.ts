import { describe, expect, it } from "vitest";
import { cronInputOf, cronPatchOf } from "./cron-wire.js";

describe("cron jobs as sent over HTTP and WebSocket", () => {
  it("reads the CLI's shorthand", () => {
    expect(
      cronInputOf({
        name: "n",
        agentId: "ops",
        schedule: { every: "10m" },
        message: "m",
        session: "main",
        deliver: "telegram:42",
        missed: "runOnce",
      }),
    ).toEqual({
      name: "n",
      agentId: "ops",
      schedule: { kind: "every", everyMs: 600_000 },
      message: "m",
      session: { kind: "main" },
      deliver: { channel: "telegram", target: "42" },
      missed: "runOnce",
    });
    expect(
      cronInputOf({ name: "n", schedule: { cron: "0 7 * * *", tz: "UTC" }, message: "m" }).schedule,
    ).toEqual({
      kind: "cron",
      expr: "0 7 * * *",
      tz: "UTC",
    });
    expect(
      cronInputOf({ name: "n", schedule: { at: "2030-01-01T10:00:00" }, message: "m" }).schedule,
    ).toEqual({
      kind: "at",
      at: "2030-01-01T10:00:00.000Z",
    });
  });

  it("reads OpenClaw's cron.add params", () => {
    expect(
      cronInputOf({
        name: "n",
        schedule: { kind: "every", everyMs: 1000 },
        sessionTarget: "session:agent:main:ops",
        wakeMode: "now",
        payload: { kind: "agentTurn", message: "hi" },
        delivery: { mode: "announce", channel: "slack", to: "channel:C1", accountId: "work" },
      }),
    ).toMatchObject({
      session: { kind: "key", sessionKey: "agent:main:ops" },
      message: "hi",
      deliver: { channel: "slack", target: "channel:C1", accountId: "work" },
    });
    expect(() =>
      cronInputOf({
        name: "n",
        schedule: { kind: "every", everyMs: 1000 },
        payload: { kind: "systemEvent", text: "x" },
      }),
    ).toThrow(/not supported here/);
  });

  it("a patch changes only what it names; deliver: null stops delivery", () => {
    expect(cronPatchOf({ message: "new" })).toEqual({ message: "new" });
    expect(cronPatchOf({ deliver: null })).toEqual({ deliver: null });
    expect(cronPatchOf({ delivery: { mode: "none" } })).toEqual({ deliver: null });
    expect(cronPatchOf({ enabled: false })).toEqual({ enabled: false });
    expect(() => cronPatchOf({ deliver: "telegram" })).toThrow(/<channel>:<target>/);
    expect(() => cronPatchOf({ missed: "always" })).toThrow(/missed "always" is unknown/);
    expect(() => cronPatchOf({ session: "current" })).toThrow(/session "current" is unknown/);
  });
});
