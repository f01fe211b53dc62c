/**
 * IRC shows text as typed: no Markdown, and its own formatting codes (bold `\x02`, colour
 * `\x03`) render as noise in many clients and logs. A reply is therefore rendered to plain text
 * line by line: code keeps its contents verbatim, links keep their destination, emphasis
 * markers go away.
 */

/** One source line of a Markdown reply and what it becomes on IRC. */
export type MarkdownLine =
  | { kind: "text"; source: string; rendered: string }
  | { kind: "code"; source: string; rendered: string; fence: CodeFence }
  | { kind: "fence-open"; source: string; fence: CodeFence }
  | { kind: "fence-close"; source: string; fence: CodeFence };

/** An open code fence: its opening line and what closes it. */
export interface CodeFence {
  opener: string;
  closer: string;
}

export function markdownToIrcLines(markdown: string): string[] {
  const lines: string[] = [];
  for (const line of readMarkdownLines(markdown)) {
    if (line.kind === "text" || line.kind === "code") lines.push(line.rendered);
  }
  return lines;
}

export function readMarkdownLines(markdown: string): MarkdownLine[] {
  const lines: MarkdownLine[] = [];
  let fence: (CodeFence & { marker: string }) | undefined;
  for (const source of markdown.split(/\r\n|\r|\n/)) {
    if (fence) {
      if (closesFence(source, fence.marker)) {
        lines.push({ kind: "fence-close", source, fence });
        fence = undefined;
      } else {
        lines.push({ kind: "code", source, rendered: source, fence });
      }
      continue;
    }
    const opening = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(source);
    // A backtick fence's info string cannot hold a backtick (CommonMark): "```a``` b" is inline code.
    if (opening && !(opening[1]!.startsWith("`") && opening[2]!.includes("`"))) {
      fence = { opener: source, closer: opening[1]!, marker: opening[1]! };
      lines.push({ kind: "fence-open", source, fence });
      continue;
    }
    lines.push({ kind: "text", source, rendered: renderTextLine(source) });
  }
  return lines;
}

function closesFence(line: string, marker: string): boolean {
  const closing = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
  return closing !== null && closing[1]![0] === marker[0] && closing[1]!.length >= marker.length;
}

/**
 * Code spans, link destinations and escaped characters must come out verbatim, so they are
 * swapped for NUL-delimited placeholders (NUL never reaches IRC: the sanitizer strips it)
 * while emphasis is removed around them.
 */
function renderTextLine(source: string): string {
  const verbatim: string[] = [];
  const keep = (text: string) => `\0${verbatim.push(text) - 1}\0`;
  let line = source.replaceAll("\0", "");

  line = line.replace(/(`+)(.+?)\1(?!`)/g, (_match, _ticks: string, code: string) =>
    keep(trimCodeSpan(code)),
  );
  line = line.replace(/\\([!-/:-@[-`{-~])/g, (_match, character: string) => keep(character));
  line = line.replace(/<((?:https?|mailto|ftp):[^\s<>]+)>/gi, (_match, url: string) => keep(url));
  line = line.replace(
    /!?\[([^\]]*)\]\(\s*<?([^\s)>]+)>?(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g,
    (_match, label: string, url: string) =>
      label.trim() === "" || label === url ? keep(url) : `${label} (${keep(url)})`,
  );

  const heading = /^ {0,3}#{1,6}(?:\s+(.*?))?(?:\s+#+)?\s*$/.exec(line);
  if (heading) line = heading[1] ?? "";
  else if (/^ {0,3}([-*_])(?:\s*\1){2,}\s*$/.test(line)) line = "----";
  else line = line.replace(/^(\s*)[*+](\s+)/, "$1-$2");

  line = line
    .replace(/\*\*(?=\S)(.+?)(?<=\S)\*\*/g, "$1")
    .replace(/(?<![\p{L}\p{N}_])__(?=\S)(.+?)(?<=\S)__(?![\p{L}\p{N}_])/gu, "$1")
    .replace(/~~(?=\S)(.+?)(?<=\S)~~/g, "$1")
    .replace(/(?<![\p{L}\p{N}*\\])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\p{L}\p{N}*])/gu, "$1")
    .replace(/(?<![\p{L}\p{N}_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\p{L}\p{N}_])/gu, "$1");

  // A kept piece can hold an earlier one (an escape inside a link destination): restore until none is left.
  while (/\0\d+\0/.test(line))
    line = line.replace(/\0(\d+)\0/g, (_match, index: string) => verbatim[Number(index)] ?? "");
  return line;
}

/** CommonMark strips one space each side of a code span that has content besides spaces. */
function trimCodeSpan(code: string): string {
  return code.length >= 2 && code.startsWith(" ") && code.endsWith(" ") && code.trim() !== ""
    ? code.slice(1, -1)
    : code;
}
