import { findMember, parseSourceTree, type SourceMember } from "./source-tree.js";

/**
 * OpenClaw's `api` for a seed `type`, where one names the same wire format. The seed's `openai`
 * speaks chat completions, which OpenClaw calls `openai-completions`; the loader reads that as
 * OpenAI's own endpoint only without a `baseUrl`, so each mapping says whether it needs one.
 */
const API_OF_TYPE: Record<string, { api: string; baseUrl: "absent" | "present" | "either" }> = {
  anthropic: { api: "anthropic-messages", baseUrl: "either" },
  openai: { api: "openai-completions", baseUrl: "absent" },
  "openai-compatible": { api: "openai-completions", baseUrl: "present" },
};

function stringValue(text: string, member: SourceMember): string | undefined {
  const token = text.slice(member.value.start, member.value.end);
  const quoted = /^(["'])([A-Za-z-]*)\1$/.exec(token);
  return quoted?.[2];
}

/**
 * Rewrites `models.providers.<id>.type` as OpenClaw's `api` in place (same position, same quote
 * style). A `type` with no OpenClaw equivalent (`dev`, or `openai` with a custom `baseUrl`) stays.
 */
export function migrateProvidersForm(text: string): string {
  const root = parseSourceTree(text);
  const models = findMember(root, "models");
  const providers = models ? findMember(models.value, "providers") : undefined;
  if (providers?.value.kind !== "object") return text;
  const edits: { start: number; end: number; insert: string }[] = [];
  for (const provider of providers.value.members) {
    const node = provider.value;
    if (node.kind !== "object" || findMember(node, "api")) continue;
    const typeMember = findMember(node, "type");
    if (!typeMember) continue;
    const mapping = API_OF_TYPE[stringValue(text, typeMember) ?? ""];
    if (!mapping) continue;
    const hasBaseUrl = findMember(node, "baseUrl") !== undefined;
    if (mapping.baseUrl === "absent" && hasBaseUrl) continue;
    if (mapping.baseUrl === "present" && !hasBaseUrl) continue;
    const keyQuote = /^["']/.exec(text[typeMember.keyStart] ?? "")?.[0] ?? "";
    const valueQuote = text[typeMember.value.start] as string;
    edits.push({
      start: typeMember.keyStart,
      end: typeMember.value.end,
      insert: `${keyQuote}api${keyQuote}: ${valueQuote}${mapping.api}${valueQuote}`,
    });
  }
  // From the end backwards, so that each edit's offsets are still those of the original text.
  return edits
    .sort((a, b) => b.start - a.start)
    .reduce((current, edit) => current.slice(0, edit.start) + edit.insert + current.slice(edit.end), text);
}
