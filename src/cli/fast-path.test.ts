import { describe, expect, it } from "vitest";
import { parseFastCommand } from "./fast-path.js";

describe("parseFastCommand", () => {
  it("takes the plain forms of gateway status, gateway token and config get", () => {
    expect(parseFastCommand(["gateway", "status"])).toEqual({
      verb: "gateway status",
      json: false,
      options: {},
    });
    expect(parseFastCommand(["gateway", "status", "--json"])).toEqual({
      verb: "gateway status",
      json: true,
      options: {},
    });
    expect(parseFastCommand(["gateway", "token"])).toEqual({ verb: "gateway token", options: {} });
    expect(parseFastCommand(["config", "get"])).toEqual({ verb: "config get", path: undefined, options: {} });
    expect(parseFastCommand(["config", "get", "gateway.port"])).toEqual({
      verb: "config get",
      path: "gateway.port",
      options: {},
    });
    expect(parseFastCommand(["--config", "/tmp/a.json", "config", "get", "agents"])).toEqual({
      verb: "config get",
      path: "agents",
      options: { config: "/tmp/a.json" },
    });
  });

  // Each of these is commander's to judge: help, an option placement or spelling the fast path
  // does not parse, an unknown option, an excess argument, another command.
  it.each([
    [[]],
    [["--help"]],
    [["help", "gateway"]],
    [["gateway"]],
    [["gateway", "status", "--help"]],
    [["gateway", "status", "-h"]],
    [["gateway", "status", "--jsn"]],
    [["gateway", "status", "--json", "--json"]],
    [["gateway", "status", "extra"]],
    [["gateway", "status", "--config", "/tmp/a.json"]],
    [["gateway", "token", "--json"]],
    [["gateway", "token", "extra"]],
    [["gateway", "start"]],
    [["config", "get", "a", "b"]],
    [["config", "get", "--help"]],
    [["config", "get", "-x"]],
    [["config", "get", "gateway.port", "--config", "/tmp/a.json"]],
    [["config", "set", "gateway.port", "1"]],
    [["--config"]],
    [["--config", "--help", "gateway", "status"]],
    [["--config=/tmp/a.json", "gateway", "status"]],
    [["--config", "/tmp/a.json", "--config", "/tmp/b.json", "gateway", "status"]],
    [["status"]],
  ])("leaves %j to commander", (args) => {
    expect(parseFastCommand(args)).toBeUndefined();
  });
});
