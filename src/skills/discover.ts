import { readdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import { type ParsedSkill, parseSkillFile } from "./frontmatter.js";

/** Where a skill was found, highest precedence first (docs/tools/skills.md, "Loading order"). */
export type SkillSource = "workspace" | "project" | "managed" | "extra";

export interface SkillRoot {
  source: SkillSource;
  dir: string;
}

export interface DiscoveredSkill extends ParsedSkill {
  source: SkillSource;
  /** The SKILL.md file. */
  file: string;
  /** The skill's folder (OpenClaw's `{baseDir}`). */
  baseDir: string;
  /** Set when a higher-precedence skill of the same name wins: the winner's file. */
  shadowedBy?: string;
}

export interface SkillWarning {
  file: string;
  reason: string;
}

export interface SkillRootsInput {
  workspaceRoot: string;
  stateDir: string;
  extraDirs?: readonly string[];
  /** Relative extra dirs resolve against the config file's folder. */
  configDir: string;
}

// OpenClaw looks for SKILL.md up to six levels under a root.
const MAX_DEPTH = 6;

function expandHome(path: string): string {
  return path === "~" || path.startsWith("~/") ? join(homedir(), path.slice(1)) : path;
}

export function skillRoots(input: SkillRootsInput): SkillRoot[] {
  return [
    { source: "workspace", dir: join(input.workspaceRoot, "skills") },
    { source: "project", dir: join(input.workspaceRoot, ".agents", "skills") },
    { source: "managed", dir: join(input.stateDir, "skills") },
    ...(input.extraDirs ?? []).map((dir): SkillRoot => {
      const expanded = expandHome(dir);
      return { source: "extra", dir: isAbsolute(expanded) ? expanded : resolve(input.configDir, expanded) };
    }),
  ];
}

/**
 * Symlinked folders are not followed: a link in a skills root must not pull in (and, through the
 * index, show the model the path of) a tree outside the roots the operator configured.
 */
function findSkillFiles(dir: string, depth: number, found: string[]): void {
  let entries: import("node:fs").Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  if (entries.some((entry) => entry.name === "SKILL.md" && entry.isFile())) {
    found.push(join(dir, "SKILL.md"));
    return;
  }
  if (depth >= MAX_DEPTH) return;
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.isDirectory() && !entry.name.startsWith("."))
      findSkillFiles(join(dir, entry.name), depth + 1, found);
  }
}

/**
 * Every skill in every root, in precedence order. A name seen again in a lower root is kept but
 * marked shadowed (so `skills list` can show it); malformed files become warnings.
 */
export function discoverSkills(roots: readonly SkillRoot[]): {
  skills: DiscoveredSkill[];
  warnings: SkillWarning[];
} {
  const skills: DiscoveredSkill[] = [];
  const warnings: SkillWarning[] = [];
  const winners = new Map<string, string>();
  for (const root of roots) {
    const files: string[] = [];
    findSkillFiles(root.dir, 0, files);
    for (const file of files) {
      let text: string;
      try {
        text = readFileSync(file, "utf8");
      } catch (error) {
        warnings.push({ file, reason: `cannot be read: ${(error as Error).message}` });
        continue;
      }
      const baseDir = dirname(file);
      const parsed = parseSkillFile(text, basename(baseDir));
      if (!parsed.ok) {
        warnings.push({ file, reason: parsed.reason });
        continue;
      }
      const winner = winners.get(parsed.skill.name);
      if (!winner) winners.set(parsed.skill.name, file);
      skills.push({
        ...parsed.skill,
        source: root.source,
        file,
        baseDir,
        ...(winner ? { shadowedBy: winner } : {}),
      });
    }
  }
  return { skills, warnings };
}
