import { join } from "node:path";
import { AGENT_ID_PATTERN } from "../config/agent-id.js";
import { OpenClawError } from "../errors.js";

/**
 * The file of an agent's store in the memory directory. The id is checked first: it is a file
 * name here, and `../etc` must name no file at all.
 */
export function memoryStorePath(directory: string, agentId: string): string {
  if (!AGENT_ID_PATTERN.test(agentId)) {
    throw new OpenClawError("OC_ERR_BAD_REQUEST", `"${agentId}" is not an agent id`, {
      hint: "agent ids are letters, digits, - and _ (openclaw agents list shows them)",
    });
  }
  return join(directory, `${agentId}.sqlite`);
}
