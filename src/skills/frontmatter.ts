import { createRequire } from "node:module";
import JSON5 from "json5";

type YamlModule = typeof import("yaml");
let yaml: YamlModule | undefined;

/**
 * yaml is ≈ 70 modules, loaded at gateway start through the agents' settings although most
 * workspaces have no skill: it is required (its CommonJS build) on the first skill file read.
 */
function parseYaml(text: string): unknown {
  yaml ??= createRequire(import.meta.url)("yaml") as YamlModule;
  return yaml.parse(text);
}

/** What a skill's `metadata.openclaw` gates it on (docs/tools/skills.md, "Gating"). */
export interface SkillRequirements {
  bins: string[];
  anyBins: string[];
  env: string[];
  os: string[];
  always: boolean;
}

export interface ParsedSkill {
  name: string;
  description: string;
  requirements: SkillRequirements;
  /** Kept out of the model's index (OpenClaw's `disable-model-invocation`). */
  hiddenFromModel: boolean;
  body: string;
}

export type SkillParseResult = { ok: true; skill: ParsedSkill } | { ok: false; reason: string };

const FENCE = /^---\r?\n([\s\S]*?)\r?\n---(?:\r?\n|$)/;

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

/** `metadata` may be a YAML mapping or (OpenClaw's block form) a JSON5 string. */
function openclawMetadata(metadata: unknown): Record<string, unknown> {
  let value = metadata;
  if (typeof value === "string") {
    try {
      value = JSON5.parse(value);
    } catch {
      return {};
    }
  }
  if (typeof value !== "object" || value === null) return {};
  const record = value as Record<string, unknown>;
  const block = record.openclaw ?? record.clawdbot;
  return typeof block === "object" && block !== null ? (block as Record<string, unknown>) : {};
}

/**
 * Parses a SKILL.md. A file that cannot be parsed is reported, not thrown: one broken skill must
 * not hide its valid siblings. `fallbackName` is the folder's name, used when `name` is absent.
 */
export function parseSkillFile(text: string, fallbackName: string): SkillParseResult {
  const match = FENCE.exec(text);
  if (!match) return { ok: false, reason: "no YAML frontmatter (the file must start with a --- block)" };
  let front: unknown;
  try {
    front = parseYaml(match[1] ?? "");
  } catch (error) {
    return { ok: false, reason: `frontmatter is not valid YAML: ${(error as Error).message.split("\n")[0]}` };
  }
  if (typeof front !== "object" || front === null || Array.isArray(front)) {
    return { ok: false, reason: "frontmatter must be a mapping of keys (name, description, …)" };
  }
  const fields = front as Record<string, unknown>;
  const name = fields.name === undefined ? fallbackName : fields.name;
  if (typeof name !== "string" || !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(name)) {
    return { ok: false, reason: "name must be 1-64 letters, digits, '.', '-' or '_'" };
  }
  if (typeof fields.description !== "string" || fields.description.trim() === "") {
    return { ok: false, reason: "description is missing: the model chooses skills by it" };
  }
  const meta = openclawMetadata(fields.metadata);
  const requires =
    typeof meta.requires === "object" && meta.requires !== null
      ? (meta.requires as Record<string, unknown>)
      : {};
  return {
    ok: true,
    skill: {
      name,
      description: fields.description.trim(),
      requirements: {
        bins: stringList(requires.bins),
        anyBins: stringList(requires.anyBins),
        env: stringList(requires.env),
        os: stringList(meta.os),
        always: meta.always === true,
      },
      hiddenFromModel: fields["disable-model-invocation"] === true,
      body: text.slice(match[0].length),
    },
  };
}
