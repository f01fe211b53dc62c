import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chunkText, utf8Length } from "./chunk-text.js";

const squash = (text: string) => text.replace(/\s+/g, "");

describe("chunkText", () => {
  it("keeps a text that fits whole", () => {
    expect(chunkText("  hello world  ", 100)).toEqual(["hello world"]);
    expect(chunkText("", 10)).toEqual([]);
  });

  it("cuts between paragraphs before lines, sentences and words", () => {
    const paragraph = "a".repeat(30);
    expect(chunkText(`${paragraph}\n\n${paragraph}`, 40)).toEqual([paragraph, paragraph]);
    expect(chunkText("One sentence here. Another one follows here.", 30)).toEqual([
      "One sentence here.",
      "Another one follows here.",
    ]);
    expect(chunkText("word ".repeat(10), 12)).toEqual([
      "word word",
      "word word",
      "word word",
      "word word",
      "word word",
    ]);
  });

  it("never splits a surrogate pair, and measures in bytes when asked", () => {
    const emoji = "😀".repeat(10);
    const pieces = chunkText(emoji, 7);
    expect(pieces.join("")).toBe(emoji);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(7);
    const bytes = chunkText("é".repeat(300), 100, utf8Length);
    for (const piece of bytes) expect(utf8Length(piece)).toBeLessThanOrEqual(100);
    expect(bytes.join("")).toBe("é".repeat(300));
  });

  it("keeps every piece within the limit and loses nothing but boundary whitespace", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary", maxLength: 600 }),
        fc.integer({ min: 1, max: 80 }),
        (text, limit) => {
          const pieces = chunkText(text, limit, utf8Length);
          for (const piece of pieces) {
            expect(utf8Length(piece)).toBeLessThanOrEqual(Math.max(limit, 4));
            expect(piece.length).toBeGreaterThan(0);
          }
          expect(squash(pieces.join(""))).toBe(squash(text));
        },
      ),
      { numRuns: 300 },
    );
  });
});
