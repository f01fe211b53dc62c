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
    expect(migrateConfigText(text, FILE)).toEqual({ text, changed: false, notes: [] });
    expect(migrateConfigText("{}", FILE)).toEqual({ text: "{}", changed: false, notes: [] });
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

describe("config migrate: models.providers.<id>.type → api", () => {
  const text = `{
  models: {
    providers: {
      // Anthropic's own API
      claude: { type: "anthropic", apiKey: "sk-ant-test" },
      openai: { 'type': 'openai', apiKey: "sk-test" },
      local: { type: "openai-compatible", baseUrl: "http://127.0.0.1:11434/v1" },
      proxied: { type: "openai", baseUrl: "http://127.0.0.1:9999/v1", apiKey: "sk-test" },
      echo: { type: "dev" },
    },
  },
}`;

  it("writes OpenClaw's api where one names the same wire format, and loads the same", () => {
    const { text: migrated } = migrateConfigText(text, FILE);
    expect(configOf(migrated)).toEqual(configOf(text));
    expect(migrated).toContain(`claude: { api: "anthropic-messages", apiKey: "sk-ant-test" }`);
    expect(migrated).toContain(`openai: { 'api': 'openai-completions', apiKey: "sk-test" }`);
    expect(migrated).toContain(`local: { api: "openai-completions", baseUrl:`);
    expect(migrated).toContain("// Anthropic's own API");
  });

  it("keeps type where OpenClaw has no api meaning the same here (dev, openai with a baseUrl)", () => {
    const { text: migrated } = migrateConfigText(text, FILE);
    expect(migrated).toContain(`proxied: { type: "openai", baseUrl:`);
    expect(migrated).toContain(`echo: { type: "dev" }`);
  });

  it("leaves providers already written with api unchanged", () => {
    const openclaw = `{ models: { providers: { a: { api: "anthropic-messages", apiKey: "k" } } } }`;
    expect(migrateConfigText(openclaw, FILE).changed).toBe(false);
  });
});
