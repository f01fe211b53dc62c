import { type Diagnostic, fail, ok, warn } from "./diagnostic.js";
import type { ConfinementFact } from "./facts.js";

const ID = "host-confinement";

/**
 * `exec` on the host is confined by bubblewrap unless an agent opts out: an opted-out agent's
 * commands can read the gateway's secrets, so each one is named; confinement that cannot work
 * here fails (those agents' commands are refused); unbounded pids are worth knowing about.
 */
export function checkHostConfinement(
  confinement: ConfinementFact | undefined,
  configPath: string,
): Diagnostic[] {
  if (!confinement || confinement.hostAgents.length === 0) return [];
  const findings: Diagnostic[] = [];
  for (const agent of confinement.hostAgents.filter((candidate) => candidate.confinement === "unconfined")) {
    findings.push(
      warn(
        ID,
        `agent "${agent.id}" runs exec unconfined on the host (${agent.setting} is "unconfined" in ${configPath}): ` +
          "its commands run as the gateway's user and can read its token, config and secrets",
        `openclaw config set ${agent.setting} bubblewrap (or give the agent a Docker sandbox: sandbox.docker.enabled)`,
        { subject: agent.id },
      ),
    );
  }
  const confined = confinement.hostAgents.filter((agent) => agent.confinement === "bubblewrap");
  if (confined.length === 0) return findings;
  const ids = confined.map((agent) => agent.id).join(", ");
  const names = confined.length === 1 ? `agent ${ids} runs` : `agents ${ids} run`;
  const availability = confinement.availability;
  if (!availability?.available) {
    findings.push(
      fail(
        ID,
        `${names} exec confined by bubblewrap, which cannot work here` +
          `${availability ? `: ${availability.reason}` : ""}; their exec calls are refused`,
        availability?.fix ?? "apt-get install bubblewrap",
      ),
    );
  } else if (availability.pidsBound === "none") {
    findings.push(
      warn(
        ID,
        `${names} exec confined by ${availability.reason}, but with unbounded processes: ` +
          "the gateway runs as root (RLIMIT_NPROC does not apply) and no pids cgroup is writable",
        availability.fix ?? "give the gateway a writable pids cgroup",
      ),
    );
  } else {
    findings.push(
      ok(
        ID,
        `${names} exec confined by ${availability.reason}, processes bounded by ${availability.pidsBound}`,
      ),
    );
  }
  return findings;
}
