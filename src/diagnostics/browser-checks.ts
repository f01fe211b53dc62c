import { accessSync, constants } from "node:fs";
import { agentOffersTool } from "../agents/agent-tools.js";
import { type OpenClawConfig, resolveAgentConfigs } from "../config/index.js";
import { type Diagnostic, fail, ok } from "./diagnostic.js";

const ID = "browser";

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** An agent is offered the browser tool, but there is no Chromium to run it: every call would fail. */
export function checkBrowser(
  config: OpenClawConfig | undefined,
  isExecutable: (path: string) => boolean = executable,
): Diagnostic[] {
  if (!config || config.tools?.browser?.enabled === false) return [];
  const agents = resolveAgentConfigs(config).filter((agent) => agentOffersTool(agent, config, "browser"));
  if (agents.length === 0) return [];
  const path = config.tools?.browser?.executablePath ?? "/usr/bin/chromium";
  if (isExecutable(path)) return [ok(ID, `browser: chromium at ${path}`)];
  return [
    fail(
      ID,
      `browser: agent(s) ${agents.map((agent) => agent.id).join(", ")} may use the browser tool, but ${path} is not an executable chromium`,
      "install chromium (apt-get install chromium) or set tools.browser.executablePath; or set tools.browser.enabled to false",
    ),
  ];
}
