import { describe, expect, it } from "vitest";
import type { ConfinementAvailability } from "../confinement/index.js";
import { checkHostConfinement } from "./confinement-checks.js";
import type { HostExecAgentFact } from "./facts.js";

const CONFIG = "/etc/openclaw/openclaw.json";
const working: ConfinementAvailability = {
  available: true,
  reason: "bubblewrap 0.8.0 at /usr/bin/bwrap",
  fix: undefined,
  pidsBound: "cgroup-v1",
};
const confined: HostExecAgentFact = {
  id: "coder",
  confinement: "bubblewrap",
  setting: "agents.defaults.sandbox.host.confinement",
};
const unconfined: HostExecAgentFact = {
  id: "legacy",
  confinement: "unconfined",
  setting: "agents.legacy.sandbox.host.confinement",
};

describe("checkHostConfinement", () => {
  it("warns for every unconfined agent, naming the setting, the file and the fix", () => {
    const findings = checkHostConfinement({ hostAgents: [unconfined], availability: undefined }, CONFIG);
    expect(findings).toEqual([
      {
        id: "host-confinement",
        status: "warn",
        subject: "legacy",
        summary:
          'agent "legacy" runs exec unconfined on the host (agents.legacy.sandbox.host.confinement is "unconfined" ' +
          `in ${CONFIG}): its commands run as the gateway's user and can read its token, config and secrets`,
        fix: "openclaw config set agents.legacy.sandbox.host.confinement bubblewrap (or give the agent a Docker sandbox: sandbox.docker.enabled)",
      },
    ]);
  });

  it("fails when confined agents need bubblewrap and it cannot work here, with the probe's fix", () => {
    const [finding] = checkHostConfinement(
      {
        hostAgents: [confined],
        availability: {
          available: false,
          reason: "bubblewrap (bwrap) is not installed",
          fix: "install bubblewrap: apt-get install bubblewrap; or ...",
          pidsBound: "none",
        },
      },
      CONFIG,
    );
    expect(finding).toMatchObject({ id: "host-confinement", status: "fail" });
    expect(finding?.summary).toBe(
      "agent coder runs exec confined by bubblewrap, which cannot work here: bubblewrap (bwrap) is not installed; " +
        "their exec calls are refused",
    );
    expect(finding?.fix).toContain("apt-get install bubblewrap");
  });

  it("warns when processes are unbounded, and is ok otherwise", () => {
    const unbounded = checkHostConfinement(
      {
        hostAgents: [confined],
        availability: { ...working, pidsBound: "none", fix: "give the gateway a writable pids cgroup" },
      },
      CONFIG,
    );
    expect(unbounded).toMatchObject([{ status: "warn", fix: "give the gateway a writable pids cgroup" }]);
    expect(unbounded[0]?.summary).toContain("unbounded processes");
    const fine = checkHostConfinement({ hostAgents: [confined, unconfined], availability: working }, CONFIG);
    expect(fine.map((finding) => finding.status)).toEqual(["warn", "ok"]);
    expect(fine[1]?.summary).toBe(
      "agent coder runs exec confined by bubblewrap 0.8.0 at /usr/bin/bwrap, processes bounded by cgroup-v1",
    );
  });

  it("says nothing without agents that run exec on the host", () => {
    expect(checkHostConfinement(undefined, CONFIG)).toEqual([]);
    expect(checkHostConfinement({ hostAgents: [], availability: undefined }, CONFIG)).toEqual([]);
  });
});
