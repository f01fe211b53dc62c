import { describe, expect, it } from "vitest";
import { checkDockerSandbox } from "./sandbox-checks.js";

const agents = [
  { id: "coder", image: "openclaw-sandbox:1" },
  { id: "tester", image: "openclaw-sandbox:1" },
];

describe("checkDockerSandbox", () => {
  it("fails when agents require a sandbox and Docker does not answer", () => {
    const [finding] = checkDockerSandbox({
      sandboxedAgents: agents,
      reachable: false,
      error: "connect ENOENT /var/run/docker.sock",
      missingImages: [],
    });
    expect(finding).toMatchObject({ id: "docker-sandbox", status: "fail" });
    expect(finding?.summary).toBe(
      "agents coder, tester require a Docker sandbox (sandbox.docker.enabled) but the Docker engine is not reachable: " +
        "connect ENOENT /var/run/docker.sock; they cannot start",
    );
    expect(finding?.fix).toContain("systemctl start docker");
  });

  it("fails a missing image with the command that builds it", () => {
    const [finding] = checkDockerSandbox({
      sandboxedAgents: agents,
      reachable: true,
      missingImages: ["openclaw-sandbox:1"],
    });
    expect(finding?.fix).toContain("openclaw sandbox build");
  });

  it("is ok when all is there, and silent without sandboxed agents", () => {
    expect(
      checkDockerSandbox({ sandboxedAgents: agents, reachable: true, missingImages: [] })[0]?.status,
    ).toBe("ok");
    expect(checkDockerSandbox({ sandboxedAgents: [], reachable: false, missingImages: [] })).toEqual([]);
    expect(checkDockerSandbox(undefined)).toEqual([]);
  });
});
