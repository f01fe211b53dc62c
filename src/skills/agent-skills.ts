import type { SkillsConfig } from "../config/schema/skills.js";
import { type DiscoveredSkill, discoverSkills, type SkillWarning, skillRoots } from "./discover.js";
import { eligibleSkills } from "./eligibility.js";
import { renderSkillIndex } from "./skill-prompt.js";

export interface AgentSkillsInput {
  workspaceRoot: string;
  stateDir: string;
  configDir: string;
  skills: SkillsConfig | undefined;
  /** `agents.<id>.skills`. */
  allowList: readonly string[] | undefined;
}

export interface AgentSkills {
  offered: DiscoveredSkill[];
  warnings: SkillWarning[];
  /** The system-prompt block; empty when no skill is offered. */
  prompt: string;
}

/** The skills one agent is offered, read from disk when its runtime is set up. */
export function resolveAgentSkills(input: AgentSkillsInput): AgentSkills {
  const roots = skillRoots({
    workspaceRoot: input.workspaceRoot,
    stateDir: input.stateDir,
    configDir: input.configDir,
    ...(input.skills?.load?.extraDirs ? { extraDirs: input.skills.load.extraDirs } : {}),
  });
  const { skills, warnings } = discoverSkills(roots);
  const offered = eligibleSkills(skills, {
    ...(input.skills?.entries ? { entries: input.skills.entries } : {}),
    ...(input.allowList ? { allowList: input.allowList } : {}),
  });
  return { offered, warnings, prompt: renderSkillIndex(offered, input.workspaceRoot) };
}
