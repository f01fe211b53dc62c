import { dirname, isAbsolute, join, resolve } from "node:path";
import { type OpenClawConfig, resolveAgentConfigs } from "../config/index.js";
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
    // As the agent runtime resolves it (agents/runtime-settings.ts).
    const workspaceRoot = agent.workspace
      ? isAbsolute(agent.workspace)
        ? agent.workspace
        : resolve(configDir, agent.workspace)
      : join(stateDir, "workspace", agent.id);
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
