import { describe, expect, it } from "vitest";
import { withinActiveHours } from "./active-hours.js";
import { isNothingToReport } from "./heartbeat-reply.js";
import { HeartbeatRunner, type HeartbeatSettings, routeOf } from "./heartbeat-runner.js";

describe("a heartbeat reply that says nothing to report", () => {
  it("NO_REPLY alone, or HEARTBEAT_OK at the start or end of a short reply", () => {
    expect(isNothingToReport("NO_REPLY")).toBe(true);
    expect(isNothingToReport("  HEARTBEAT_OK \n")).toBe(true);
    expect(isNothingToReport("HEARTBEAT_OK — all quiet.")).toBe(true);
    expect(isNothingToReport("All quiet. HEARTBEAT_OK")).toBe(true);
    expect(isNothingToReport("")).toBe(true);
  });

  it("an alert, HEARTBEAT_OK in the middle, or more than 300 characters beside it, is delivered", () => {
    expect(isNothingToReport("Disk is 95% full on db-1")).toBe(false);
    expect(isNothingToReport("Before HEARTBEAT_OK after")).toBe(false);
    expect(isNothingToReport(`HEARTBEAT_OK ${"x".repeat(301)}`)).toBe(false);
    expect(isNothingToReport(`HEARTBEAT_OK ${"x".repeat(300)}`)).toBe(true);
    expect(isNothingToReport("NO_REPLY, but actually the build is red")).toBe(false);
  });
});

describe("activeHours", () => {
  const at = (iso: string) => Date.parse(iso);
  it("start inclusive, end exclusive, in the given zone", () => {
    const hours = { start: "09:00", end: "17:00", timezone: "America/New_York" };
    expect(withinActiveHours(hours, at("2026-12-02T14:00:00Z"))).toBe(true); // 09:00 EST
    expect(withinActiveHours(hours, at("2026-12-02T13:59:00Z"))).toBe(false);
    expect(withinActiveHours(hours, at("2026-12-02T22:00:00Z"))).toBe(false); // 17:00 EST
    expect(withinActiveHours(hours, at("2026-07-02T13:00:00Z"))).toBe(true); // 09:00 EDT
  });
  it("a window across midnight, a full day, and a zero-width one", () => {
    const night = { start: "22:00", end: "06:00", timezone: "UTC" };
    expect(withinActiveHours(night, at("2026-12-02T23:30:00Z"))).toBe(true);
    expect(withinActiveHours(night, at("2026-12-02T05:59:00Z"))).toBe(true);
    expect(withinActiveHours(night, at("2026-12-02T12:00:00Z"))).toBe(false);
    expect(
      withinActiveHours({ start: "00:00", end: "24:00", timezone: "UTC" }, at("2026-12-02T23:59:00Z")),
    ).toBe(true);
    expect(
      withinActiveHours({ start: "08:00", end: "08:00", timezone: "UTC" }, at("2026-12-02T08:00:00Z")),
    ).toBe(false);
    expect(withinActiveHours(undefined, 0)).toBe(true);
  });
});

describe("HeartbeatRunner", () => {
  function runner(
    settings: HeartbeatSettings,
    reply: string,
    now = () => Date.parse("2026-12-02T12:00:00Z"),
  ) {
    const turns: { agentId: string; prompt: string }[] = [];
    const sent: { channel: string; target: string; text: string }[] = [];
    const heartbeat = new HeartbeatRunner({
      agents: () => [{ agentId: "main", settings }],
      turn: async (agentId, prompt) => {
        turns.push({ agentId, prompt });
        return reply;
      },
      deliver: async (delivery, text) => {
        sent.push({ channel: delivery.channel, target: delivery.target, text });
      },
      now,
    });
    heartbeat.start();
    return { heartbeat, turns, sent };
  }

  it("sends the prompt in a turn and delivers an alert to the target", async () => {
    const { heartbeat, turns, sent } = runner(
      { every: "30m", prompt: "check the queue", target: "telegram", to: "42" },
      "Queue is stuck",
    );
    expect(await heartbeat.beat("main")).toMatchObject({ outcome: "delivered" });
    expect(turns).toEqual([{ agentId: "main", prompt: "check the queue" }]);
    expect(sent).toEqual([{ channel: "telegram", target: "42", text: "Queue is stuck" }]);
    heartbeat.stop();
  });

  it("keeps HEARTBEAT_OK to itself", async () => {
    const { heartbeat, sent } = runner({ every: "30m", target: "telegram", to: "42" }, "HEARTBEAT_OK");
    expect(await heartbeat.beat("main")).toMatchObject({ outcome: "silent" });
    expect(sent).toEqual([]);
    heartbeat.stop();
  });

  it("skips outside its active hours, and is off at every: 0m", async () => {
    const outside = runner(
      {
        every: "30m",
        activeHours: { start: "08:00", end: "09:00", timezone: "UTC" },
        target: "telegram",
        to: "1",
      },
      "hello",
    );
    expect(await outside.heartbeat.beat("main")).toMatchObject({ outcome: "outside-hours" });
    expect(outside.turns).toEqual([]);
    outside.heartbeat.stop();
    const off = runner({ every: "0m" }, "hello");
    expect(await off.heartbeat.beat("main")).toBeUndefined();
    off.heartbeat.stop();
  });
});

describe("a heartbeat's delivery route", () => {
  it("target + to, a channel target in one string, or nothing", () => {
    expect(routeOf({ target: "telegram", to: "42" })).toEqual({ channel: "telegram", target: "42" });
    expect(routeOf({ target: "irc:#ops" })).toEqual({ channel: "irc", target: "#ops" });
    expect(routeOf({ target: "telegram" })).toBeUndefined();
    expect(routeOf({ target: "none", to: "42" })).toBeUndefined();
    expect(routeOf({ target: "owner" })).toBeUndefined();
    expect(routeOf({})).toBeUndefined();
  });
});
