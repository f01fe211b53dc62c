import { readdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfigFile } from "./load.js";

const EXAMPLES = resolve(import.meta.dirname, "../../examples");

/** The README points at these files: each must load as it ships. */
describe("examples/*.json5", async () => {
  const files = (await readdir(EXAMPLES)).filter((name) => name.endsWith(".json5"));
  it("has the examples the README names", () => {
    expect(files).toEqual(expect.arrayContaining(["research-corps.json5", "telegram.json5", "irc.json5"]));
  });
  for (const name of files) {
    it(`loads ${name}`, async () => {
      const { config } = await loadConfigFile(join(EXAMPLES, name));
      expect(config).toBeDefined();
    });
  }
});
