import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GramIndex, MIN_INDEXED_LENGTH } from "./gram-index.js";

describe("GramIndex", () => {
  it("names nothing for text that shares no gram with its strings", () => {
    const index = new GramIndex(["sk-ant-api03-0123456789abcdefghijklmnop", "too short to index"]);
    expect(index.candidates(JSON.stringify({ content: "Lorem ipsum dolor sit amet. ".repeat(80) }))).toEqual(
      [],
    );
    expect(index.candidates("too short to index, said twice: too short to index")).toEqual([]);
    expect(new GramIndex([]).candidates("anything")).toEqual([]);
  });

  it("never misses an indexed string, wherever it sits in the text", () => {
    const long = fc.string({ unit: "binary", minLength: MIN_INDEXED_LENGTH, maxLength: 120 });
    fc.assert(
      fc.property(
        fc.array(long, { minLength: 1, maxLength: 6 }),
        fc.nat(),
        fc.string({ unit: "binary", maxLength: 200 }),
        fc.string({ unit: "binary", maxLength: 200 }),
        (strings, pick, before, after) => {
          const position = pick % strings.length;
          const text = `${before}${strings[position]}${after}`;
          expect(new GramIndex(strings).candidates(text)).toContain(position);
        },
      ),
    );
  });
});
