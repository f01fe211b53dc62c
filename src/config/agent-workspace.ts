import { isAbsolute, join, resolve } from "node:path";

/**
 * An agent's workspace directory: `agents.<id>.workspace` against the config file's folder, else
 * `<state dir>/workspace/<id>`. One place, because the runtime, `skills` and doctor must agree.
 */
export function agentWorkspaceRoot(
  agent: { id: string; workspace?: string | undefined },
  configDir: string,
  stateDir: string,
): string {
  if (!agent.workspace) return join(stateDir, "workspace", agent.id);
  return isAbsolute(agent.workspace) ? agent.workspace : resolve(configDir, agent.workspace);
}
