import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { utf8Length } from "../core/chunk-text.js";
import { ircTextBudget, splitIrcMessage, stripIrcControlCharacters } from "./split-irc-message.js";

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
const nonSpace = (text: string) => stripIrcControlCharacters(text).replace(/\s/gu, "");

/** Text that mixes ASCII, accents, emoji (surrogate pairs), CJK and spaces, as replies do. */
const replyText = fc
  .array(
    fc.oneof(
      fc.string({ unit: "grapheme", maxLength: 12 }),
      fc.constantFrom(
        "é",
        "😀",
        "漢字",
        "テスト",
        "café",
        " ",
        "  ",
        "\n",
        "\t",
        "\r\n",
        "\x01",
        "\x00",
        "\ud83d",
        "\ude00x",
      ),
      fc.string({ unit: "binary", maxLength: 8 }),
    ),
    { maxLength: 60 },
  )
  .map((parts) => parts.join(""));

describe("splitIrcMessage", () => {
  it("keeps every piece within the byte budget, as valid UTF-8, losing no visible character", () => {
    fc.assert(
      fc.property(replyText, fc.integer({ min: 4, max: 80 }), (text, maxBytes) => {
        const pieces = splitIrcMessage(text, maxBytes);
        for (const piece of pieces) {
          expect(utf8Length(piece)).toBeLessThanOrEqual(maxBytes);
          expect(piece.isWellFormed()).toBe(true);
          expect(strictUtf8.decode(Buffer.from(piece, "utf8"))).toBe(piece);
          expect(piece).not.toMatch(/[\r\n\0\x01]/);
          expect(piece.trim()).not.toBe("");
        }
        expect(pieces.map(nonSpace).join("")).toBe(nonSpace(text));
      }),
      { numRuns: 300 },
    );
  });

  it("cuts at word boundaries when words fit", () => {
    const words = Array.from({ length: 40 }, (_, index) => `wörd${index}😀`);
    const pieces = splitIrcMessage(words.join(" "), 50);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join(" ").split(" ")).toEqual(words);
  });

  it("sends each line on its own and drops blank lines", () => {
    expect(splitIrcMessage("one\n\n  \r\ntwo\rthree", 100)).toEqual(["one", "two", "three"]);
  });

  it("keeps the indentation of a line that fits (code)", () => {
    expect(splitIrcMessage("    return 1;", 100)).toEqual(["    return 1;"]);
  });

  it("strips what would inject a command, a CTCP or formatting", () => {
    expect(splitIrcMessage("hi\x00 there\x01VERSION\x01 \x02bold\x02\x03", 100)).toEqual([
      "hi thereVERSION bold",
    ]);
  });

  it("refuses a budget too small for a whole character", () => {
    expect(() => splitIrcMessage("😀", 3)).toThrow(RangeError);
  });
});

describe("ircTextBudget", () => {
  it("leaves room for the longest prefix a server may relay", () => {
    const nick = "openclaw";
    const target = "#ops";
    const budget = ircTextBudget(nick, nick, target);
    const relayed = `:${nick}!~${"u".repeat(10)}@${"h".repeat(63)} PRIVMSG ${target} :${"x".repeat(budget)}\r\n`;
    expect(utf8Length(relayed)).toBeLessThanOrEqual(512);
    expect(budget).toBeGreaterThan(350);
  });

  it("shrinks with a long username", () => {
    expect(ircTextBudget("bot", "a-very-long-username", "#x")).toBeLessThan(
      ircTextBudget("bot", "bot", "#x"),
    );
  });
});
