import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfigText } from "./load.js";
import { migrateConfigFile, migrateConfigText } from "./migrate.js";

const FILE = "/etc/openclaw/openclaw.json";
const configOf = (text: string) => parseConfigText(text, FILE, {}).config;

/** Seed-form files as people write them: comments, one-line objects, trailing commas, defaults. */
const SEED_FILES = [
  `{
  // the gateway
  gateway: { port: 18789 },
  agents: {
    defaults: { maxSteps: 4 },
    // the one that answers first
    main: {
      model: "dev/echo", // echoes
      tools: ["current_time"],
    },
    /* the helper */
    helper: { default: true },
  },
}
`,
  `{ agents: { main: { model: "dev/echo" }, ops: {} } }`,
  `{
    "agents": {
        "main": {
            "maxSteps": 2
        }
    },
    "logging": { "level": "info" }
}`,
  `{
  agents: {
    main: {}, // trailing
    other: { threadBound: true }
  },
}`,
  `{
  agents: {
    solo: {},
    list: [{ id: "listed" }],
  },
}`,
];

describe("config migrate: agents.<id> → agents.entries.<id>", () => {
  it.each(SEED_FILES.map((text, index) => [index, text]))(
    "seed file %i loads to the same config after migration, in OpenClaw's form",
    (_index, text) => {
      const { text: migrated, changed } = migrateConfigText(text, FILE);
      expect(changed).toBe(true);
      expect(configOf(migrated)).toEqual(configOf(text));
      const raw = parseConfigText(migrated, FILE, {}).raw as { agents: Record<string, unknown> };
      expect(Object.keys(raw.agents).every((key) => ["defaults", "entries", "list"].includes(key))).toBe(
        true,
      );
    },
  );

  it("keeps every comment, in order", () => {
    const text = SEED_FILES[0] as string;
    const comments = (source: string) => source.match(/\/\/.*|\/\*[\s\S]*?\*\//g);
    const { text: migrated } = migrateConfigText(text, FILE);
    expect(comments(migrated)).toEqual(comments(text));
    expect(migrated).toContain(`  agents: {
    defaults: { maxSteps: 4 },
    entries: {
      // the one that answers first
      main: {
        model: "dev/echo", // echoes
`);
  });

  it("leaves a file already in OpenClaw's form unchanged", () => {
    const text = `{
  // OpenClaw's form
  agents: { defaults: {}, entries: { main: { model: "dev/echo" } } },
}`;
    expect(migrateConfigText(text, FILE)).toEqual({ text, changed: false });
    expect(migrateConfigText("{}", FILE)).toEqual({ text: "{}", changed: false });
  });

  it("refuses, with a hint, to merge agents.<id> into an existing agents.entries", () => {
    expect(() => migrateConfigText(`{ agents: { a: {}, entries: { b: {} } } }`, FILE)).toThrow(
      expect.objectContaining({ code: "OC_ERR_CONFIG_MIGRATE", hint: expect.stringContaining("by hand") }),
    );
  });

  it("prints without --write and writes with a .bak copy with it", async () => {
    const directory = await mkdtemp(join(tmpdir(), "oc-migrate-"));
    const path = join(directory, "openclaw.json");
    const original = SEED_FILES[1] as string;
    await writeFile(path, original);
    const preview = await migrateConfigFile(path, false);
    expect(preview.changed).toBe(true);
    expect(await readFile(path, "utf8")).toBe(original);
    await migrateConfigFile(path, true);
    expect(await readFile(path, "utf8")).toBe(preview.text);
    expect(await readFile(`${path}.bak`, "utf8")).toBe(original);
  });
});
