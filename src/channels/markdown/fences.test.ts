import { describe, expect, it } from "vitest";
import { fencedBlockAt, openFenceAtEnd } from "./index.js";

describe("fencedBlockAt", () => {
  it("reads a block to its closing fence, which needs at least the opening's backticks", () => {
    const lines = ["intro", "````ts", "a", "```", "b", "````", "after"];
    expect(fencedBlockAt(lines, 0)).toBeUndefined();
    expect(fencedBlockAt(lines, 1)).toEqual({
      opening: { length: 4, language: "ts" },
      body: "a\n```\nb",
      end: 6,
    });
  });

  it("runs a fence left open to the end, and drops an unsafe language", () => {
    expect(fencedBlockAt(["``` <x>", "code"], 0)).toEqual({
      opening: { length: 3, language: undefined },
      body: "code",
      end: 3,
    });
  });

  it("finds the fence still open at the end of a piece", () => {
    expect(openFenceAtEnd("```py\nx\n```\n```js\ny")).toEqual({ length: 3, language: "js" });
    expect(openFenceAtEnd("```py\nx\n```")).toBeUndefined();
  });
});
