import { describe, expect, it } from "vitest";
import { isStartupHijackKey, withoutStartupHooks } from "./env-filter.js";

describe("stdio server env filter", () => {
  it("drops keys that change how a program starts, keeps credentials", () => {
    const warned: unknown[] = [];
    const kept = withoutStartupHooks(
      "fs",
      {
        GITHUB_TOKEN: "t",
        NODE_OPTIONS: "--require /x.js",
        LD_PRELOAD: "/x.so",
        BASH_FUNC_ls: "() { :; }",
        MY_API_KEY: "k",
      },
      { warn: (fields) => warned.push(fields) },
    );
    expect(kept).toEqual({ GITHUB_TOKEN: "t", MY_API_KEY: "k" });
    expect(warned).toHaveLength(3);
    expect(JSON.stringify(warned)).not.toContain("/x.so");
    expect(isStartupHijackKey("dyld_insert_libraries")).toBe(true);
    expect(isStartupHijackKey("DATABASE_URL")).toBe(false);
  });
});
