import { describe, expect, it } from "vitest";
import { type GatewayPart, PartGroup } from "./part-group.js";

function recorder() {
  const log: string[] = [];
  const part = (name: string, fail?: "start" | "stop"): GatewayPart => ({
    name,
    start: async () => {
      log.push(`start ${name}`);
      if (fail === "start") throw new Error(`${name} broke`);
    },
    stop: async () => {
      log.push(`stop ${name}`);
      if (fail === "stop") throw new Error(`${name} would not stop`);
    },
  });
  return { log, part };
}

describe("PartGroup", () => {
  it("starts in order and stops in reverse", async () => {
    const { log, part } = recorder();
    const group = new PartGroup([part("a"), part("b"), part("c")], () => undefined);
    await group.start();
    await group.stop();
    expect(log).toEqual(["start a", "start b", "start c", "stop c", "stop b", "stop a"]);
  });

  it("rolls back what started when a part fails, and throws that failure", async () => {
    const { log, part } = recorder();
    const group = new PartGroup(
      [part("a"), part("b"), part("memory", "start"), part("http")],
      () => undefined,
    );
    await expect(group.start()).rejects.toThrow("memory broke");
    expect(log).toEqual(["start a", "start b", "start memory", "stop b", "stop a"]);
    expect(group.names()).toEqual([]);
  });

  it("keeps stopping the others when one stop fails, and reports it", async () => {
    const { log, part } = recorder();
    const failures: string[] = [];
    const group = new PartGroup([part("a"), part("b", "stop"), part("c")], (name) => failures.push(name));
    await group.start();
    await group.stop();
    expect(log.slice(3)).toEqual(["stop c", "stop b", "stop a"]);
    expect(failures).toEqual(["b"]);
  });

  it("has every started part follow a config, in start order, past one that cannot", async () => {
    const followed: string[] = [];
    const follower = (name: string, fails = false): GatewayPart => ({
      name,
      apply: async (config) => {
        followed.push(`${name}:${config.gateway.port}`);
        if (fails) throw new Error(`${name} cannot follow`);
      },
    });
    const group = new PartGroup(
      [follower("agents", true), follower("memory"), { name: "no-config" }],
      () => undefined,
    );
    const config = { gateway: { port: 18790 } } as Parameters<PartGroup["apply"]>[0];
    await group.apply(config);
    expect(followed, "nothing follows before start").toEqual([]);
    await group.start();
    await expect(group.apply(config)).rejects.toThrow("agents cannot follow");
    expect(followed).toEqual(["agents:18790", "memory:18790"]);
    await group.stop();
    await group.apply(config);
    expect(followed, "nor after stop").toHaveLength(2);
  });
});
