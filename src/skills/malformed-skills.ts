import { dirname } from "node:path";
import { agentWorkspaceRoot } from "../config/agent-workspace.js";
import { resolveAgentConfigs } from "../config/agents.js";
import type { OpenClawConfig } from "../config/index.js";
import { discoverSkills, type SkillWarning, skillRoots } from "./discover.js";

/** Every malformed SKILL.md any configured agent would skip, each file once (for doctor). */
export function malformedSkills(
  config: OpenClawConfig,
  configPath: string,
  stateDir: string,
): SkillWarning[] {
  const configDir = dirname(configPath);
  const byFile = new Map<string, SkillWarning>();
  for (const agent of resolveAgentConfigs(config)) {
    const workspaceRoot = agentWorkspaceRoot(agent, configDir, stateDir);
    const roots = skillRoots({
      workspaceRoot,
      stateDir,
      configDir,
      ...(config.skills.load?.extraDirs ? { extraDirs: config.skills.load.extraDirs } : {}),
    });
    for (const warning of discoverSkills(roots).warnings) byFile.set(warning.file, warning);
  }
  return [...byFile.values()];
}
