import { describe, expect, it } from "vitest";
import { checkGateway, checkGatewayConfigFile } from "./gateway-checks.js";

describe("checkGateway", () => {
  it("warns, not fails, when the gateway is not running, and says what was skipped", () => {
    const finding = checkGateway({ state: "stopped" });
    expect(finding.status).toBe("warn");
    expect(finding.summary).toContain("agents, memory sync and proxy refusals were not checked");
    expect(finding.fix).toContain("openclaw gateway start");
  });

  it("fails a gateway process that does not answer", () => {
    const finding = checkGateway({
      state: "unresponsive",
      url: "http://127.0.0.1:18789",
      pid: 42,
      error: "timeout",
    });
    expect(finding).toMatchObject({ status: "fail" });
    expect(finding.summary).toBe("gateway (pid 42) does not answer at http://127.0.0.1:18789: timeout");
  });

  it("is ok when it answers", () => {
    const finding = checkGateway({
      state: "running",
      url: "http://127.0.0.1:18789",
      pid: 42,
      version: "0.1.0",
      agents: [],
      refusals: {},
    });
    expect(finding).toMatchObject({
      status: "ok",
      summary: "gateway running at http://127.0.0.1:18789 (pid 42, 0.1.0)",
    });
  });
});

describe("checkGatewayConfigFile", () => {
  const running = {
    state: "running" as const,
    url: "http://127.0.0.1:18789",
    pid: 42,
    configPath: "/etc/openclaw/a.json",
    agents: [],
    refusals: {},
  };

  it("warns when the running gateway uses another file than the one checked", () => {
    const [finding] = checkGatewayConfigFile(running, "/tmp/b.json");
    expect(finding?.status).toBe("warn");
    expect(finding?.summary).toContain("uses /etc/openclaw/a.json, not /tmp/b.json");
  });

  it("says nothing when the files are the same, or no gateway runs", () => {
    expect(checkGatewayConfigFile(running, "/etc/openclaw/./a.json")).toEqual([]);
    expect(checkGatewayConfigFile({ state: "stopped" }, "/tmp/b.json")).toEqual([]);
  });
});
