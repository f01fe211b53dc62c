import { describe, expect, it } from "vitest";
import { createSourceLocator, locateInSource } from "./source-locator.js";

const TEXT = `// openclaw.json
{
  /* block
     comment */
  gateway: { port: 18789, 'host': "0.0.0.0", },
  "agents": {
    main: {
      tools: [
        "exec", // first
        'files',
      ],
    },
  },
  "agents.defaults.sandbox": {
    "docker": { "binds": ["/a:/a", "/b:/b"] },
  },
}`;

describe("locateInSource", () => {
  it("finds keys through comments, quoting styles and trailing commas", () => {
    expect(locateInSource(TEXT, ["gateway", "port"])).toEqual({ line: 5, column: 14, exact: true });
    expect(locateInSource(TEXT, ["gateway", "host"])).toMatchObject({ line: 5, column: 27 });
    expect(locateInSource(TEXT, ["agents", "main", "tools", 1])).toEqual({
      line: 10,
      column: 9,
      exact: true,
    });
    expect(locateInSource(TEXT, ["agents", "main", "tools", "0"])).toMatchObject({ line: 9, exact: true });
  });

  it("finds a path under a top-level dotted key inside that key's object", () => {
    expect(locateInSource(TEXT, ["agents", "defaults", "sandbox", "docker", "binds", 1])).toEqual({
      line: 15,
      column: 36,
      exact: true,
    });
    expect(locateInSource(TEXT, ["agents", "defaults", "sandbox"])).toMatchObject({ line: 14, exact: true });
  });

  it("falls back to the nearest existing ancestor", () => {
    expect(locateInSource(TEXT, ["agents", "main", "model"])).toEqual({ line: 7, column: 5, exact: false });
    expect(locateInSource(TEXT, ["agents", "defaults", "sandbox", "docker", "image"])).toMatchObject({
      line: 15,
      exact: false,
    });
    expect(locateInSource(TEXT, ["logging", "level"])).toEqual({ line: 2, column: 1, exact: false });
  });

  it("names a dotted key's line for a path it spells out only in part", () => {
    const locator = createSourceLocator(`{\n  "agent.defaults.sandbox": {},\n}`);
    expect(locator.locateConfigPath(["agent"])).toMatchObject({ line: 2, exact: true });
    expect(locator.locateSourcePath(["agent.defaults.sandbox"])).toMatchObject({ line: 2, exact: true });
  });

  it("is not fooled by comment markers, brackets and quotes inside strings", () => {
    const text = `{\n  a: "// not a comment, } ]",\n  'b\\'c': 'it\\'s /* not */ either',\n  \\u0064: [0x1F, +Infinity, .5,],\n  e: "line \\\n continued", f: 1,\n}`;
    expect(locateInSource(text, ["b'c"])).toMatchObject({ line: 3, column: 3, exact: true });
    expect(locateInSource(text, ["d", 2])).toMatchObject({ line: 4, column: 29, exact: true });
    expect(locateInSource(text, ["f"])).toMatchObject({ line: 6, column: 14, exact: true });
  });

  it("uses the last of repeated keys, as json5 does", () => {
    expect(locateInSource(`{\n a: 1,\n a: 2 }`, ["a"])).toMatchObject({ line: 3 });
  });
});
