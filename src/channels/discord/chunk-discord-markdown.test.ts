import { describe, expect, it } from "vitest";
import { chunkDiscordMarkdown, DISCORD_MESSAGE_LIMIT, openFenceAtEnd } from "./chunk-discord-markdown.js";

describe("discord chunking", () => {
  it("keeps a short reply whole, Markdown untouched", () => {
    expect(chunkDiscordMarkdown("**bold** _it_ `code` <@123>")).toEqual(["**bold** _it_ `code` <@123>"]);
  });

  it("splits a long reply into pieces under 2000 characters, at paragraph breaks, losing nothing", () => {
    const paragraphs = Array.from(
      { length: 30 },
      (_, index) => `Paragraph ${index}. ${"word ".repeat(60).trim()}`,
    );
    const text = paragraphs.join("\n\n");
    const pieces = chunkDiscordMarkdown(text);
    expect(pieces.length).toBeGreaterThan(4);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(DISCORD_MESSAGE_LIMIT);
    for (const piece of pieces) expect(piece).toMatch(/^Paragraph \d+\./);
    expect(pieces.join("\n\n")).toBe(text);
  });

  it("closes a code block cut in two and reopens it with its language", () => {
    const code = Array.from({ length: 200 }, (_, index) => `const value${index} = ${index}; // line`).join(
      "\n",
    );
    const pieces = chunkDiscordMarkdown(`Here:\n\n\`\`\`ts\n${code}\n\`\`\`\nDone.`);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(DISCORD_MESSAGE_LIMIT);
      expect(openFenceAtEnd(piece)).toBeUndefined();
    }
    expect(pieces[1]?.startsWith("```ts\n")).toBe(true);
    expect(pieces.at(-1)?.endsWith("Done.")).toBe(true);
  });

  it("honours a smaller textChunkLimit", () => {
    const pieces = chunkDiscordMarkdown("a ".repeat(500), 200);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(200);
  });
});
