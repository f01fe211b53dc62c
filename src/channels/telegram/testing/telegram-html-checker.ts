/**
 * What Telegram's `parse_mode: "HTML"` parser accepts, as far as the fake needs to know: the
 * supported tags, properly nested and closed, with `&` only as `&lt; &gt; &amp; &quot;` or a
 * numeric entity. Failures read like Telegram's "can't parse entities" descriptions.
 *
 * It is stricter than Telegram on nesting (no tag inside `code`/`pre` but `pre > code`, no link in
 * a link, no blockquote in a blockquote), where Telegram would drop or merge entities silently:
 * the renderer under test should never produce those either.
 */

export type HtmlCheck = { ok: true; text: string } | { ok: false; error: string };

const ALLOWED_TAGS = new Set([
  "b",
  "strong",
  "i",
  "em",
  "u",
  "ins",
  "s",
  "strike",
  "del",
  "span",
  "tg-spoiler",
  "a",
  "code",
  "pre",
  "blockquote",
  "tg-emoji",
]);

const TAG = /^<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?)*)\s*>/;
const ATTRIBUTE = /([a-zA-Z-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?/g;
const ENTITY = /^&(lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});/;

interface OpenTag {
  name: string;
  offset: number;
}

export function checkTelegramHtml(html: string): HtmlCheck {
  const stack: OpenTag[] = [];
  let text = "";
  let index = 0;
  const fail = (reason: string): HtmlCheck => ({ ok: false, error: `can't parse entities: ${reason}` });
  const byteOffset = (at: number) => Buffer.byteLength(html.slice(0, at), "utf8");
  while (index < html.length) {
    const character = html[index]!;
    if (character === "<") {
      const match = TAG.exec(html.slice(index));
      if (!match) return fail(`Unclosed start tag at byte offset ${byteOffset(index)}`);
      const closing = match[1] === "/";
      const name = match[2]!.toLowerCase();
      if (!ALLOWED_TAGS.has(name)) {
        return fail(
          `Unsupported ${closing ? "end" : "start"} tag "${name}" at byte offset ${byteOffset(index)}`,
        );
      }
      if (closing) {
        const top = stack.pop();
        if (!top) return fail(`Unexpected end tag at byte offset ${byteOffset(index)}`);
        if (top.name !== name) {
          return fail(
            `Can't find end tag corresponding to start tag "${top.name}" at byte offset ${top.offset}`,
          );
        }
      } else {
        const problem = attributeProblem(name, match[3] ?? "") ?? nestingProblem(name, stack);
        if (problem) return fail(`${problem} at byte offset ${byteOffset(index)}`);
        stack.push({ name, offset: byteOffset(index) });
      }
      index += match[0].length;
      continue;
    }
    if (character === "&") {
      const match = ENTITY.exec(html.slice(index));
      if (!match) return fail(`Unsupported HTML entity at byte offset ${byteOffset(index)}`);
      text += decodeEntity(match[1]!);
      index += match[0].length;
      continue;
    }
    text += character;
    index += 1;
  }
  const unclosed = stack.pop();
  if (unclosed) {
    return fail(
      `Can't find end tag corresponding to start tag "${unclosed.name}" at byte offset ${unclosed.offset}`,
    );
  }
  return { ok: true, text };
}

function attributeProblem(name: string, source: string): string | undefined {
  const attributes = new Map<string, string>();
  for (const match of source.matchAll(ATTRIBUTE)) {
    attributes.set(match[1]!.toLowerCase(), match[2] ?? match[3] ?? match[4] ?? "");
  }
  if (name === "a" && !attributes.has("href")) return `Tag "a" must have attribute "href"`;
  if (name === "span" && attributes.get("class") !== "tg-spoiler")
    return `Tag "span" must have class "tg-spoiler"`;
  if (name === "tg-emoji" && !attributes.has("emoji-id"))
    return `Tag "tg-emoji" must have attribute "emoji-id"`;
  const className = attributes.get("class");
  if (name === "code" && className !== undefined && !/^language-/.test(className)) {
    return `Tag "code" has unsupported class "${className}"`;
  }
  const known: Record<string, readonly string[]> = {
    a: ["href"],
    span: ["class"],
    code: ["class"],
    blockquote: ["expandable"],
    "tg-emoji": ["emoji-id"],
  };
  for (const attribute of attributes.keys()) {
    if (!(known[name] ?? []).includes(attribute))
      return `Tag "${name}" has unsupported attribute "${attribute}"`;
  }
  return undefined;
}

function nestingProblem(name: string, stack: readonly OpenTag[]): string | undefined {
  const parent = stack.at(-1)?.name;
  if (parent === "pre" && name === "code") return undefined;
  if (stack.some((open) => open.name === "code" || open.name === "pre")) {
    return `Tag "${name}" can't be inside "${parent}"`;
  }
  if (name === "a" && stack.some((open) => open.name === "a")) return `Tag "a" can't be inside "a"`;
  if ((name === "code" || name === "pre") && stack.some((open) => open.name === "a")) {
    return `Tag "${name}" can't be inside "a"`;
  }
  if (name === "blockquote" && stack.some((open) => open.name === "blockquote")) {
    return `Tag "blockquote" can't be nested`;
  }
  return undefined;
}

function decodeEntity(body: string): string {
  if (body === "lt") return "<";
  if (body === "gt") return ">";
  if (body === "amp") return "&";
  if (body === "quot") return '"';
  const code = body.startsWith("#x")
    ? Number.parseInt(body.slice(2), 16)
    : Number.parseInt(body.slice(1), 10);
  return code <= 0x10ffff ? String.fromCodePoint(code) : "\ufffd";
}
