import type { SkillWarning } from "../skills/index.js";
import { type Diagnostic, warn } from "./diagnostic.js";

const ID = "skills";

/** A malformed SKILL.md is skipped by the gateway; doctor names the file and what is wrong. */
export function checkSkills(warnings: readonly SkillWarning[] | undefined): Diagnostic[] {
  return (warnings ?? []).map((warning) =>
    warn(
      ID,
      `skill ${warning.file} is skipped: ${warning.reason}`,
      "fix its frontmatter (--- name, description ---); `openclaw skills check` lists every skipped skill",
    ),
  );
}
