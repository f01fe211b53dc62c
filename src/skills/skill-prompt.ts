import { relative, sep } from "node:path";
import type { DiscoveredSkill } from "./discover.js";

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * The skills block of an agent's system prompt. A workspace skill is listed by its path so the
 * model reads the body on demand with the `read` tool and runs its scripts with the confined
 * `exec`; a skill outside the workspace is out of those tools' reach, so its body is given inline
 * (it is the operator's own text) and it has no scripts the agent can run.
 */
export function renderSkillIndex(skills: readonly DiscoveredSkill[], workspaceRoot: string): string {
  const offered = skills.filter((skill) => !skill.hiddenFromModel);
  if (offered.length === 0) return "";
  const lines = [
    "## Skills",
    "Skills are instructions for particular tasks. When one matches the request, read its SKILL.md with the `read` tool before acting; run its scripts only with `exec`, from the workspace.",
    "<available_skills>",
  ];
  for (const skill of offered) {
    const inWorkspace = skill.source === "workspace" || skill.source === "project";
    lines.push("  <skill>", `    <name>${escapeXml(skill.name)}</name>`);
    lines.push(`    <description>${escapeXml(skill.description)}</description>`);
    if (inWorkspace) {
      const location = relative(workspaceRoot, skill.file).split(sep).join("/");
      lines.push(`    <location>${escapeXml(location)}</location>`);
    } else {
      lines.push(`    <instructions>${escapeXml(skill.body.trim())}</instructions>`);
    }
    lines.push("  </skill>");
  }
  lines.push("</available_skills>");
  return lines.join("\n");
}
