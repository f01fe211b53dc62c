export { type AgentSkills, type AgentSkillsInput, resolveAgentSkills } from "./agent-skills.js";
export {
  type DiscoveredSkill,
  discoverSkills,
  type SkillRoot,
  type SkillRootsInput,
  type SkillSource,
  type SkillWarning,
  skillRoots,
} from "./discover.js";
export { type EligibilityInput, eligibleSkills, ineligibleReason } from "./eligibility.js";
export {
  type ParsedSkill,
  parseSkillFile,
  type SkillParseResult,
  type SkillRequirements,
} from "./frontmatter.js";
export { malformedSkills } from "./malformed-skills.js";
export { renderSkillIndex } from "./skill-prompt.js";
