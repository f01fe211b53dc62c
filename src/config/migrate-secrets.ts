import JSON5 from "json5";
import {
  findMember,
  parseSourceTree,
  type SourceMember,
  type SourceNode,
  skipTrivia,
} from "./source-tree.js";

/** What the secrets rewrite did not move, and why: said by `config migrate`, never silent. */
export interface SecretsMigration {
  text: string;
  notes: string[];
}

type Declaration = Record<string, unknown> & { source: string };
type Ref = { source: string; provider: string; id: string };

const ENV_ID = /^[A-Z][A-Z0-9_]{0,127}$/;
const PROVIDER_ALIAS = /^[a-z][a-z0-9_-]{0,63}$/;
/** Ids the loader accepts for exec refs (secret-refs.ts): anything else stays in seed form. */
const EXEC_ID = /^[A-Za-z0-9][A-Za-z0-9._:/#-]{0,255}$/;

/** A `{ "$secret": name }` object in the text: the seed's reference. */
interface Reference {
  node: Extract<SourceNode, { kind: "object" }>;
  name: string;
  quotedKeys: boolean;
}

function referencesIn(text: string, node: SourceNode, found: Reference[]): Reference[] {
  if (node.kind === "array") for (const item of node.items) referencesIn(text, item, found);
  if (node.kind !== "object") return found;
  const only = node.members.length === 1 ? node.members[0] : undefined;
  if (only?.key === "$secret" && only.value.kind === "scalar") {
    const name = JSON5.parse(text.slice(only.value.start, only.value.end)) as unknown;
    if (typeof name === "string")
      found.push({ node, name, quotedKeys: /^["']/.test(text[only.keyStart] ?? "") });
    return found;
  }
  for (const member of node.members) {
    if (member.key !== "externalSecrets") referencesIn(text, member.value, found);
  }
  return found;
}

/**
 * The provider and ref for one declaration, as the loader reads them back (secret-refs.ts maps a
 * ref to exactly this declaration): env by the default env alias, a file by a provider per file
 * and mode, exec only when it already speaks OpenClaw's protocol v1 from an absolute path.
 */
function openclawFormOf(
  declaration: Declaration,
  providers: Map<string, Record<string, unknown>>,
  aliasHint: string,
): { ref: Ref } | string {
  if (declaration.source === "env") {
    const key = declaration.key as string;
    if (!ENV_ID.test(key)) return `its variable "${key}" is not an upper-case name, which SecretRefs need`;
    return { ref: { source: "env", provider: "default", id: key } };
  }
  if (declaration.source === "file") {
    const pointer = declaration.pointer as string | undefined;
    if (pointer === "") return "it reads a whole JSON document, which SecretRefs cannot name";
    const provider = {
      source: "file",
      path: declaration.path,
      mode: pointer === undefined ? "singleValue" : "json",
    };
    const alias = providerAlias(providers, provider, aliasHint);
    return { ref: { source: "file", provider: alias, id: pointer ?? "value" } };
  }
  if (declaration.source === "exec") {
    const json = declaration.json as { provider: string; id: string; jsonOnly?: boolean } | undefined;
    const [command, ...args] = declaration.command as string[];
    if (!json) return "its command prints a bare value; OpenClaw's exec providers speak protocol v1";
    if (!command?.startsWith("/")) return "its command is not an absolute path";
    if (!PROVIDER_ALIAS.test(json.provider) || json.provider === "default")
      return `its provider name "${json.provider}" is not a valid secrets.providers alias`;
    const segments = json.id.split("/");
    if (!EXEC_ID.test(json.id) || segments.includes(".") || segments.includes(".."))
      return `its id "${json.id}" is not one a SecretRef may carry`;
    const provider = {
      source: "exec",
      command,
      ...(args.length > 0 ? { args } : {}),
      ...(declaration.passEnv !== undefined ? { passEnv: declaration.passEnv } : {}),
      ...(json.jsonOnly !== undefined ? { jsonOnly: json.jsonOnly } : {}),
      ...(declaration.timeoutMs !== undefined ? { timeoutMs: declaration.timeoutMs } : {}),
    };
    const existing = providers.get(json.provider);
    if (existing && JSON.stringify(existing) !== JSON.stringify(provider))
      return `another secret names provider "${json.provider}" with a different command`;
    providers.set(json.provider, provider);
    return { ref: { source: "exec", provider: json.provider, id: json.id } };
  }
  return "its source has no SecretRef form";
}

/** The alias of an identical provider already made, or a new one derived from the secret's name. */
function providerAlias(
  providers: Map<string, Record<string, unknown>>,
  provider: Record<string, unknown>,
  hint: string,
): string {
  for (const [alias, existing] of providers)
    if (JSON.stringify(existing) === JSON.stringify(provider)) return alias;
  const base =
    hint
      .toLowerCase()
      .replace(/[^a-z0-9_-]+/g, "-")
      .replace(/^[^a-z]+/, "")
      .slice(0, 56) || "file";
  let alias = base === "default" ? "default-file" : base;
  for (let suffix = 2; providers.has(alias); suffix += 1) alias = `${base}-${suffix}`;
  providers.set(alias, provider);
  return alias;
}

function lineIndent(text: string, offset: number): string {
  let start = offset;
  while (start > 0 && text[start - 1] !== "\n" && text[start - 1] !== "\r") start -= 1;
  return /^[ \t]*/.exec(text.slice(start))?.[0] ?? "";
}

function literal(value: unknown, quotedKeys: boolean): string {
  if (Array.isArray(value)) return `[${value.map((item) => literal(item, quotedKeys)).join(", ")}]`;
  if (typeof value === "object" && value !== null) {
    const members = Object.entries(value).map(
      ([key, inner]) =>
        `${quotedKeys || !/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? JSON.stringify(key) : key}: ${literal(inner, quotedKeys)}`,
    );
    return `{ ${members.join(", ")} }`;
  }
  return JSON.stringify(value);
}

/** The comments written inside a span of the text, each as it was. */
function commentsIn(text: string, start: number, end: number): string[] {
  const found: string[] = [];
  for (let position = start; position < end; ) {
    const next = skipTrivia(text, position);
    const span = text.slice(position, Math.min(next, end));
    for (const match of span.matchAll(/\/\/[^\r\n]*|\/\*[\s\S]*?\*\//g)) found.push(match[0]);
    if (next >= end) break;
    position = skipValueOrToken(text, next);
  }
  return found;
}

/** Past one token (a string with its escapes, or any other single character). */
function skipValueOrToken(text: string, offset: number): number {
  const quote = text[offset];
  if (quote !== '"' && quote !== "'") return offset + 1;
  let position = offset + 1;
  while (position < text.length && text[position] !== quote) position += text[position] === "\\" ? 2 : 1;
  return position + 1;
}

/**
 * Rewrites the seed's `externalSecrets` + `{ "$secret": name }` into OpenClaw's
 * `secrets.providers` + SecretRef `{ source, provider, id }`, in place: each reference is replaced
 * where it stands, the declarations that moved leave `externalSecrets` (which goes when empty),
 * and `secrets` takes their place with the comments that were written among them. A declaration
 * that has no SecretRef form, or that nothing references, stays as written, with a note.
 */
export function migrateSecretsForm(text: string): SecretsMigration {
  const root = parseSourceTree(text);
  const declared = findMember(root, "externalSecrets");
  if (root.kind !== "object" || declared?.value.kind !== "object" || declared.value.members.length === 0)
    return { text, notes: [] };
  if (findMember(root, "secrets"))
    return {
      text,
      notes: [
        "externalSecrets stays: the file already has a secrets block, which migrate does not merge into",
      ],
    };
  const references = referencesIn(text, root, []);
  const providers = new Map<string, Record<string, unknown>>();
  const refs = new Map<string, Ref>();
  const notes: string[] = [];
  for (const member of declared.value.members) {
    if (!references.some((reference) => reference.name === member.key)) {
      notes.push(`externalSecrets.${member.key} stays: nothing references it`);
      continue;
    }
    const declaration = JSON5.parse(text.slice(member.value.start, member.value.end)) as Declaration;
    const form = openclawFormOf(declaration, providers, member.key);
    if (typeof form === "string") notes.push(`externalSecrets.${member.key} stays: ${form}`);
    else refs.set(member.key, form.ref);
  }
  if (refs.size === 0) return { text, notes };

  const edits: { start: number; end: number; insert: string }[] = [];
  for (const reference of references) {
    const ref = refs.get(reference.name);
    if (ref)
      edits.push({
        start: reference.node.start,
        end: reference.node.end,
        insert: literal(ref, reference.quotedKeys),
      });
  }
  const quotedKeys = /^["']/.test(text[declared.keyStart] ?? "");
  const indent = lineIndent(text, declared.keyStart);
  const unit = indent === "" ? "  " : indent;
  const kept = declared.value.members.filter((member) => !refs.has(member.key));
  const moved = declared.value.members.filter((member) => refs.has(member.key));
  // Every comment written among the declarations that move goes with them into `secrets`.
  const comments =
    kept.length === 0
      ? commentsIn(text, declared.value.start + 1, declared.value.end - 1)
      : moved.flatMap((member) =>
          commentsIn(text, memberRegionStart(text, declared, member), member.value.end),
        );
  const key = (name: string): string =>
    quotedKeys || !/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? JSON.stringify(name) : name;
  const comma = quotedKeys ? "" : ",";
  const providerLines = [...providers].map(
    ([alias, provider], index, all) =>
      `${indent}${unit}${unit}${key(alias)}: ${literal(provider, quotedKeys)}${index < all.length - 1 ? "," : comma}`,
  );
  const inner = [
    ...comments.map((comment) => `${indent}${unit}${comment}`),
    ...(providerLines.length > 0
      ? [`${indent}${unit}${key("providers")}: {`, ...providerLines, `${indent}${unit}}${comma}`]
      : []),
  ];
  // Env refs need no provider: without a file or exec one (or a comment to keep), no block at all.
  const secretsBlock =
    inner.length > 0 ? [`${key("secrets")}: {`, ...inner, `${indent}}`].join("\n") : undefined;
  if (kept.length === 0) {
    const after = skipTrivia(text, declared.value.end);
    const end = secretsBlock === undefined && text[after] === "," ? after + 1 : declared.value.end;
    edits.push({ start: declared.keyStart, end, insert: secretsBlock ?? "" });
  } else {
    for (const member of moved) {
      const start = memberRegionStart(text, declared, member);
      const after = skipTrivia(text, member.value.end);
      edits.push({ start, end: text[after] === "," ? after + 1 : member.value.end, insert: "" });
    }
    if (secretsBlock !== undefined) {
      const after = skipTrivia(text, declared.value.end);
      const hasComma = text[after] === ",";
      const at = hasComma ? after + 1 : declared.value.end;
      edits.push({
        start: at,
        end: at,
        insert: `${hasComma ? "" : ","}\n${indent}${secretsBlock}${hasComma ? "," : ""}`,
      });
    }
  }
  const rewritten = edits
    .map((edit) => (edit.insert === "" ? wholeLines(text, edit) : edit))
    .sort((a, b) => b.start - a.start)
    .reduce((current, edit) => current.slice(0, edit.start) + edit.insert + current.slice(edit.end), text);
  return { text: rewritten, notes };
}

/** A removal that leaves only blanks on its lines takes those lines with it. */
function wholeLines(text: string, edit: { start: number; end: number; insert: string }): typeof edit {
  let start = edit.start;
  while (start > 0 && (text[start - 1] === " " || text[start - 1] === "\t")) start -= 1;
  let end = edit.end;
  while (end < text.length && (text[end] === " " || text[end] === "\t")) end += 1;
  const startsLine = start === 0 || text[start - 1] === "\n";
  if (startsLine && text[end] === "\n") return { ...edit, start, end: end + 1 };
  if (startsLine && text.startsWith("\r\n", end)) return { ...edit, start, end: end + 2 };
  return edit;
}

/** Where a member's text starts: right after the previous member's comma, or after the `{`. */
function memberRegionStart(text: string, object: SourceMember, member: SourceMember): number {
  const members = (object.value as Extract<SourceNode, { kind: "object" }>).members;
  const index = members.indexOf(member);
  const previous = members[index - 1];
  if (!previous) return object.value.start + 1;
  const next = skipTrivia(text, previous.value.end);
  return text[next] === "," ? next + 1 : previous.value.end;
}
