import { type Diagnostic, fail, ok } from "./diagnostic.js";
import type { DockerFact } from "./facts.js";

const ID = "docker-sandbox";

/**
 * An agent with `sandbox.docker.enabled` never runs its tools on the host: without a reachable
 * Docker engine (and its image) it does not start at all.
 */
export function checkDockerSandbox(docker: DockerFact | undefined): Diagnostic[] {
  if (!docker || docker.sandboxedAgents.length === 0) return [];
  const agents = docker.sandboxedAgents.map((agent) => agent.id).join(", ");
  if (!docker.reachable) {
    return [
      fail(
        ID,
        `agents ${agents} require a Docker sandbox (sandbox.docker.enabled) but the Docker engine is not reachable` +
          `${docker.error ? `: ${docker.error}` : ""}; they cannot start`,
        "start Docker (systemctl start docker, or dockerd) and check /var/run/docker.sock or DOCKER_HOST; openclaw sandbox doctor tells more",
      ),
    ];
  }
  if (docker.missingImages.length > 0) {
    return [
      fail(
        ID,
        `sandbox image ${docker.missingImages.join(", ")} is not present; agents ${agents} cannot start`,
        "build it offline: openclaw sandbox build (or set sandbox.docker.image to an image you have)",
      ),
    ];
  }
  return [ok(ID, `Docker reachable and sandbox image present for agents ${agents}`)];
}
