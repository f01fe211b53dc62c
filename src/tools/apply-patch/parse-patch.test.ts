import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyHunks } from "./apply-hunks.js";
import { parsePatch } from "./parse-patch.js";

const patch = (...lines: string[]) => ["*** Begin Patch", ...lines, "*** End Patch"].join("\n");

describe("parsePatch", () => {
  it("reads add, update with move and anchors, end of file, and delete", () => {
    const operations = parsePatch(
      patch(
        "*** Add File: a.txt",
        "+one",
        "+two",
        "*** Update File: src/old.ts",
        "*** Move to: src/new.ts",
        "@@ function main",
        " context",
        "-old",
        "+new",
        "@@",
        "+tail",
        "*** End of File",
        "*** Delete File: gone.txt",
      ),
    );
    expect(operations).toEqual([
      { kind: "add", path: "a.txt", lines: ["one", "two"] },
      {
        kind: "update",
        path: "src/old.ts",
        moveTo: "src/new.ts",
        hunks: [
          {
            anchor: "function main",
            lines: [
              { kind: "context", text: "context" },
              { kind: "remove", text: "old" },
              { kind: "add", text: "new" },
            ],
            endOfFile: false,
          },
          { lines: [{ kind: "add", text: "tail" }], endOfFile: true },
        ],
      },
      { kind: "delete", path: "gone.txt" },
    ]);
  });

  it("refuses a patch without its envelope, an unknown line, or no operation, naming the line", () => {
    expect(() => parsePatch("*** Add File: a\n+x")).toThrow(/line 1: a patch starts with/);
    expect(() => parsePatch("*** Begin Patch\n*** Add File: a\n+x")).toThrow(/ends with "\*\*\* End Patch"/);
    expect(() => parsePatch(patch("*** Add File: a", "x"))).toThrow(/line 3: every line of an added file/);
    expect(() => parsePatch(patch("*** Rename: a"))).toThrow(/line 2: expected/);
    expect(() => parsePatch(patch())).toThrow(/changes no file/);
    expect(() => parsePatch(patch("*** Update File: a"))).toThrow(/without a hunk/);
    expect(() => parsePatch(patch("*** Update File: a", "@@", "?x"))).toThrow(/line 4: a hunk line of "a"/);
  });
});

describe("applyHunks", () => {
  it("applies hunks in order, using the anchor to pick among repeated lines", () => {
    const text = "a\nx\nb\nx\nc\n";
    const hunks = parsePatch(patch("*** Update File: f", "@@ b", "-x", "+y"))[0];
    if (hunks?.kind !== "update") throw new Error("expected an update");
    expect(applyHunks(text, hunks.hunks, "f")).toBe("a\nx\nb\ny\nc\n");
  });

  it("matches ignoring trailing whitespace, and names the hunk that does not apply", () => {
    const operation = parsePatch(patch("*** Update File: f", "@@", "-a", "+A", "@@", "-missing", "+m"))[0];
    if (operation?.kind !== "update") throw new Error("expected an update");
    expect(() => applyHunks("a  \nb\n", operation.hunks, "f")).toThrow(/hunk 2 of "f" does not apply/);
    expect(applyHunks("a  \nb\n", operation.hunks.slice(0, 1), "f")).toBe("A\nb\n");
  });

  it("requires an end-of-file hunk to match the file's last lines", () => {
    const operation = parsePatch(patch("*** Update File: f", "@@", "-x", "+y", "*** End of File"))[0];
    if (operation?.kind !== "update") throw new Error("expected an update");
    expect(applyHunks("a\nx\n", operation.hunks, "f")).toBe("a\ny\n");
    expect(() => applyHunks("x\na\n", operation.hunks, "f")).toThrow(/at its end/);
  });

  it("round trip: a patch made from any replacement of a line range turns the old text into the new", () => {
    const line = fc.stringMatching(/^[a-z ]{0,6}$/);
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 1, maxLength: 12 }),
        fc.nat(),
        fc.nat(),
        fc.array(line, { maxLength: 4 }),
        (original, startSeed, lengthSeed, replacement) => {
          const start = startSeed % original.length;
          const length = 1 + (lengthSeed % (original.length - start));
          // Context is the whole prefix, so the hunk is found at exactly this place.
          const before = original.slice(0, start);
          const after = original.slice(start + length);
          const body = [
            ...before.map((text) => ` ${text}`),
            ...original.slice(start, start + length).map((text) => `-${text}`),
            ...replacement.map((text) => `+${text}`),
            ...after.map((text) => ` ${text}`),
          ];
          const operation = parsePatch(patch("*** Update File: f", "@@", ...body))[0];
          if (operation?.kind !== "update") return false;
          const expected = [...before, ...replacement, ...after];
          const result = applyHunks(`${original.join("\n")}\n`, operation.hunks, "f");
          expect(result).toBe(expected.length === 0 ? "" : `${expected.join("\n")}\n`);
        },
      ),
      { numRuns: 200 },
    );
  });
});
