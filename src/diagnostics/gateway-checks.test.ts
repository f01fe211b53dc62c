import { describe, expect, it } from "vitest";
import { checkGateway } from "./gateway-checks.js";

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
