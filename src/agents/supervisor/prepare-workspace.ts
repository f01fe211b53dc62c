import { mkdir } from "node:fs/promises";
import type { ResolvedAgent } from "../../config/index.js";
import { OpenClawError } from "../../errors.js";
import type { AgentRuntimeSettings } from "../agent-settings.js";
import type { SandboxHost } from "../host-services/sandbox-service.js";

/**
 * The workspace exists before the agent runs; a sandboxed agent's container is ready, or the
 * agent does not start: its tools never fall back to the host.
 */
export async function prepareWorkspace(
  agent: ResolvedAgent,
  settings: AgentRuntimeSettings,
  sandbox: SandboxHost | undefined,
): Promise<void> {
  await mkdir(settings.workspace.root, { recursive: true, mode: 0o755 });
  if (!settings.workspace.sandboxed) return;
  if (!sandbox) {
    throw new OpenClawError(
      "OC_ERR_SANDBOX_UNAVAILABLE",
      `agent "${agent.id}" needs a Docker sandbox, and none is set up`,
      { hint: "run the agent in the gateway, which provides the sandbox" },
    );
  }
  await sandbox.prepare(agent.id, agent.sandbox?.docker, settings.workspace.root);
}
