import { OpenClawError } from "../errors.js";
import { parseSourceTree, type SourceMember, skipTrivia } from "./source-tree.js";

/** Keys of `agents` that are not agents in any form. */
const ROSTER_KEYS = new Set(["defaults", "entries", "list"]);

function lineStart(text: string, offset: number): number {
  let start = offset;
  while (start > 0 && text[start - 1] !== "\n" && text[start - 1] !== "\r") start -= 1;
  return start;
}

function cannotMigrate(message: string, hint: string): OpenClawError {
  return new OpenClawError("OC_ERR_CONFIG_MIGRATE", message, { hint });
}

/**
 * Wraps the seed-form agents (`agents.<id>`) in `entries: { ... }`, moving their text as written
 * (comments included) one indentation level in. Returns the text unchanged when there is none.
 */
export function migrateAgentsForm(text: string): string {
  const root = parseSourceTree(text);
  if (root.kind !== "object") return text;
  const agentsMember = root.members.findLast((member) => member.key === "agents");
  const agents = agentsMember?.value;
  if (agents?.kind !== "object") return text;
  const members = agents.members;
  const seedIndexes = members.flatMap((member, index) => (ROSTER_KEYS.has(member.key) ? [] : [index]));
  if (seedIndexes.length === 0) return text;
  const first = seedIndexes[0] as number;
  const last = seedIndexes.at(-1) as number;
  if (members.some((member) => member.key === "entries")) {
    throw cannotMigrate(
      "agents has both agents.<id> and agents.entries: migrate will not merge them",
      "move the agents.<id> entries into agents.entries by hand, then run `openclaw config migrate` again",
    );
  }
  if (last - first + 1 !== seedIndexes.length) {
    throw cannotMigrate(
      "agents.defaults or agents.list sits between agents.<id> entries: migrate moves only a contiguous run",
      "put agents.defaults and agents.list before or after the agents, then run `openclaw config migrate` again",
    );
  }
  // The region starts right after the previous member (its comma) or the `{`, so the comments
  // leading into the first agent move with it.
  const previous = members[first - 1];
  const regionStart = previous ? afterComma(text, previous) : agents.start + 1;
  const lastMember = members[last] as SourceMember;
  const following = members[last + 1];
  const afterLast = skipTrivia(text, lastMember.value.end);
  const hasComma = text[afterLast] === ",";
  const regionEnd = hasComma ? afterLast + 1 : lastMember.value.end;
  const region = text.slice(regionStart, regionEnd);
  if (!/[\n\r]/.test(region)) {
    const inner = region.trim().replace(/,$/, "");
    const replacement = ` entries: { ${inner} }${following ? "," : ""}`;
    return text.slice(0, regionStart) + replacement + text.slice(regionEnd);
  }
  const firstKeyLine = lineStart(text, (members[first] as SourceMember).keyStart);
  const indent = /^[ \t]*/.exec(text.slice(firstKeyLine))?.[0] ?? "";
  const unit = indentUnitOf(text, indent);
  // Every line that begins inside the region moves one level in; text on the region's first
  // line (after the previous member's comma) stays where it is.
  const reindented = region.replace(/(\r\n|\n|\r)(?=[^\r\n])/g, `$1${unit}`);
  const lead = /^[^\r\n]*/.exec(reindented)?.[0] ?? "";
  if (!/^\s*(\/\/.*|\/\*.*\*\/\s*)?$/.test(lead)) {
    throw cannotMigrate(
      "an agent starts on the line of the member before it: migrate cannot re-indent it",
      "put each agent of agents on its own line, then run `openclaw config migrate` again",
    );
  }
  const body = reindented.slice(lead.length);
  const replacement = `${lead}\n${indent}entries: {${body}\n${indent}}${following ? "," : ""}`;
  return text.slice(0, regionStart) + replacement + text.slice(regionEnd);
}

/** After a member's value, its comma and any comment on the rest of that line. */
function afterComma(text: string, member: SourceMember): number {
  const next = skipTrivia(text, member.value.end);
  return text[next] === "," ? next + 1 : member.value.end;
}

/** The file's smallest indentation step, or two spaces when it has none. */
function indentUnitOf(text: string, fallback: string): string {
  const indents = [...text.matchAll(/^([ \t]+)\S/gm)].map((match) => match[1] as string);
  if (indents.length === 0) return fallback || "  ";
  return indents.reduce((a, b) => (b.length < a.length ? b : a));
}
