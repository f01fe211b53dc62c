import { z } from "zod";
import { openclawOnlyKeys } from "./openclaw-only.js";

/** `skills.entries.<name>`: whether a skill is offered. */
const SkillEntrySchema = z.strictObject({
  enabled: z.boolean().optional().describe("false hides the skill from every agent."),
  // env and apiKey would put values into the agent's commands; this gateway keeps secrets out
  // of agents, so they are accepted for compatibility and reported as unsupported.
  ...openclawOnlyKeys(["env", "apiKey", "config"]),
});

/** `skills.*` (docs/tools/skills-config.md): where SKILL.md folders load from and which are on. */
export const SkillsSchema = z.strictObject({
  load: z
    .strictObject({
      extraDirs: z
        .array(z.string().min(1))
        .optional()
        .describe("More skill roots, lowest precedence; ~ is the home directory."),
      ...openclawOnlyKeys(["allowSymlinkTargets", "watch", "watchDebounceMs"]),
    })
    .optional(),
  entries: z.record(z.string().min(1), SkillEntrySchema).optional(),
  ...openclawOnlyKeys(["allowBundled", "install", "limits", "workshop"]),
});

export type SkillsConfig = z.output<typeof SkillsSchema>;
