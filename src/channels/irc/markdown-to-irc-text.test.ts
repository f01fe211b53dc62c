import { describe, expect, it } from "vitest";
import { chunkIrcMarkdown } from "./chunk-irc-markdown.js";
import { markdownToIrcLines } from "./markdown-to-irc-text.js";

const render = (markdown: string) => markdownToIrcLines(markdown).filter((line) => line.trim() !== "");

describe("markdownToIrcLines", () => {
  it("removes emphasis, heading and list markup", () => {
    expect(render("# Title\n**bold**, *it*, _it_, ~~gone~~ and __strong__\n* item\n+ other")).toEqual([
      "Title",
      "bold, it, it, gone and strong",
      "- item",
      "- other",
    ]);
  });

  it("keeps code verbatim, inline and fenced", () => {
    expect(render("use `a**b**c` here\n```ts\nconst x = `**y**`;\n  [a](b)\n```\nafter")).toEqual([
      "use a**b**c here",
      "const x = `**y**`;",
      "  [a](b)",
      "after",
    ]);
  });

  it("writes links as text and destination", () => {
    expect(render("see [the docs](https://example.com/a_b_c) or <https://x.test/*y*>")).toEqual([
      "see the docs (https://example.com/a_b_c) or https://x.test/*y*",
    ]);
    expect(render("![logo](https://example.com/l.png)")).toEqual(["logo (https://example.com/l.png)"]);
  });

  it("leaves identifiers and escapes alone", () => {
    expect(render("snake_case_name and 2*3*4 and \\*literal\\*")).toEqual([
      "snake_case_name and 2*3*4 and *literal*",
    ]);
  });

  it("does not treat IRC channel names as headings", () => {
    expect(render("join #ops\n#ops is the place")).toEqual(["join #ops", "#ops is the place"]);
  });
});

describe("chunkIrcMarkdown", () => {
  const longReply = [
    "Intro with **bold** words.",
    "```python",
    ...Array.from({ length: 60 }, (_, index) => `    line_${index} = "**not bold**"  # ${"x".repeat(40)}`),
    "```",
    ...Array.from(
      { length: 30 },
      (_, index) => `Paragraph ${index} with a [link](https://example.com/${index}).`,
    ),
  ].join("\n");

  it("splits into pieces that each render like their part of the whole", () => {
    const pieces = chunkIrcMarkdown(longReply, 600);
    expect(pieces.length).toBeGreaterThan(3);
    expect(pieces.flatMap(render)).toEqual(render(longReply));
  });

  it("closes a fence cut in two and reopens it with its info string", () => {
    const pieces = chunkIrcMarkdown(longReply, 600);
    const cutInCode = pieces.filter((piece) => piece.startsWith("```python"));
    expect(cutInCode.length).toBeGreaterThan(1);
    for (const piece of pieces.slice(0, -1)) {
      const fences = piece.split("\n").filter((line) => line.startsWith("```")).length;
      expect(fences % 2).toBe(0);
    }
  });

  it("returns one piece for a short reply and none for a blank one", () => {
    expect(chunkIrcMarkdown("hello **world**")).toEqual(["hello **world**"]);
    expect(chunkIrcMarkdown(" \n\n ")).toEqual([]);
  });
});
