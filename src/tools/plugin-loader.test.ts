import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OpenClawError } from "../errors.js";
import { loadPluginTools } from "./plugin-loader.js";
import type { ToolContext } from "./tool.js";

const context: ToolContext = {
  agentId: "main",
  sessionKey: "main:test",
  signal: new AbortController().signal,
};

const toolSource = (name: string, body = "return input;") =>
  `{ name: ${JSON.stringify(name)}, description: "test tool", ` +
  `parameters: { type: "object", properties: {} }, async execute(input) { ${body} } }`;

let directory: string;
let fileCount = 0;

/** Writes a fixture module under a fresh name, so the module cache never serves an older one. */
async function writePlugin(source: string): Promise<string> {
  const path = join(directory, `plugin-${++fileCount}.mjs`);
  await writeFile(path, source);
  return path;
}

async function loadFailure(paths: string[], reserved: string[] = []): Promise<OpenClawError> {
  const error = await loadPluginTools(paths, reserved).then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(OpenClawError);
  const typed = error as OpenClawError;
  expect(typed.code).toBe("OC_ERR_PLUGIN");
  expect(typed.hint).toBeTruthy();
  return typed;
}

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "openclaw-plugins-"));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe("loadPluginTools export shapes", () => {
  it("loads `export default tool`", async () => {
    const path = await writePlugin(`export default ${toolSource("single", "return { got: input };")};`);
    const [tool, ...rest] = await loadPluginTools([path], []);
    expect(rest).toEqual([]);
    expect(tool?.name).toBe("single");
    expect(tool?.description).toBe("test tool");
    expect(await tool?.execute({ a: 1 }, context)).toEqual({ got: { a: 1 } });
  });

  it("loads `export default [tool, ...]`", async () => {
    const path = await writePlugin(`export default [${toolSource("first")}, ${toolSource("second")}];`);
    const tools = await loadPluginTools([path], []);
    expect(tools.map((tool) => tool.name)).toEqual(["first", "second"]);
  });

  it("loads `export const tools = [...]`", async () => {
    const path = await writePlugin(
      `export const tools = [${toolSource("named-a")}, ${toolSource("named_b")}];`,
    );
    const tools = await loadPluginTools([path], []);
    expect(tools.map((tool) => tool.name)).toEqual(["named-a", "named_b"]);
  });

  it("loads `export default { tools: [...] }`", async () => {
    const path = await writePlugin(`export default { tools: [${toolSource("wrapped")}] };`);
    const tools = await loadPluginTools([path], []);
    expect(tools.map((tool) => tool.name)).toEqual(["wrapped"]);
  });

  it("counts a tool exported both as default and in `tools` once", async () => {
    const path = await writePlugin(
      `const tool = ${toolSource("both")};\nexport const tools = [tool];\nexport default tool;`,
    );
    const tools = await loadPluginTools([path], []);
    expect(tools.map((tool) => tool.name)).toEqual(["both"]);
  });

  it("loads several plugins in order and keeps `this` for methods", async () => {
    const first = await writePlugin(`export default ${toolSource("one")};`);
    const second = await writePlugin(
      'export default { name: "two", description: "d", parameters: { type: "object" }, ' +
        'prefix: "p:", execute(input) { return this.prefix + input.text; } };',
    );
    const tools = await loadPluginTools([first, second], ["echo"]);
    expect(tools.map((tool) => tool.name)).toEqual(["one", "two"]);
    // A synchronous execute still yields the promise the turn loop expects.
    await expect(tools[1]?.execute({ text: "x" }, context)).resolves.toBe("p:x");
  });

  it("turns a synchronous throw in execute into a rejection", async () => {
    const path = await writePlugin(
      'export default { name: "thrower", description: "d", parameters: { type: "object" }, ' +
        'execute() { throw new Error("nope"); } };',
    );
    const [tool] = await loadPluginTools([path], []);
    const result = tool!.execute({}, context);
    expect(result).toBeInstanceOf(Promise);
    await expect(result).rejects.toThrow("nope");
  });

  it("gives plugins the workspace's files, confined like the file tools, when there is a workspace", async () => {
    const path = await writePlugin(
      `export default { name: "peek", description: "reads", parameters: { type: "object" }, ` +
        "async execute(input, context) { if (!context.files) return 'no files'; " +
        "try { return await context.files.readText(input.path); } catch (error) { return 'refused: ' + error.message; } } };",
    );
    const [tool] = await loadPluginTools([path], []);
    expect(await tool?.execute({ path: "a.txt" }, context)).toBe("no files");
    await writeFile(join(directory, "a.txt"), "inside\n");
    const withWorkspace: ToolContext = {
      ...context,
      workspace: {
        root: directory,
        sandboxed: false,
        confined: true,
        runner: { run: () => Promise.reject(new Error("not used")) },
        execTimeoutMs: 1000,
      },
    };
    expect(await tool?.execute({ path: "a.txt" }, withWorkspace)).toBe("inside\n");
    expect(await tool?.execute({ path: "/etc/hostname" }, withWorkspace)).toMatch(
      /^refused: .*outside the workspace/,
    );
  });

  it("returns no tools for no plugins", async () => {
    expect(await loadPluginTools([], ["echo"])).toEqual([]);
  });
});

describe("loadPluginTools refusals", () => {
  it("refuses a missing file", async () => {
    const path = join(directory, "does-not-exist.mjs");
    const error = await loadFailure([path]);
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/failed to load/);
  });

  it("refuses a module with a syntax error", async () => {
    const path = await writePlugin("export default {{{ not javascript");
    const error = await loadFailure([path]);
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/failed to load/);
    // Node reports a SyntaxError, Vitest's module runner a parse error: both are kept as the cause.
    expect(error.cause).toBeInstanceOf(Error);
  });

  it("refuses a module that throws while being imported", async () => {
    const path = await writePlugin('throw new Error("top-level boom");\nexport default {};');
    const error = await loadFailure([path]);
    expect(error.message).toContain(path);
    expect(error.message).toContain("top-level boom");
  });

  it("refuses a relative path", async () => {
    const error = await loadFailure(["plugins/tool.mjs"]);
    expect(error.message).toMatch(/not an absolute path/);
  });

  it("refuses a module that exports no tool", async () => {
    for (const source of [
      "export const unrelated = 1;",
      "export default [];",
      "export default { tools: [] };",
    ]) {
      const path = await writePlugin(source);
      const error = await loadFailure([path]);
      expect(error.message).toBe(`plugin ${path} exports no tools`);
      expect(error.hint).toMatch(/export default tool/);
    }
  });

  it.each([
    ["a non-object", "export default 42;", /expected an object, got number/],
    ["a bad name", `export default ${toolSource("has space")};`, /`name` must be/],
    ["a too long name", `export default ${toolSource("x".repeat(65))};`, /`name` must be/],
    [
      "a missing name",
      'export default { description: "d", parameters: { type: "object" }, execute() {} };',
      /`name`/,
    ],
    [
      "an empty description",
      'export default { name: "t", description: " ", parameters: { type: "object" }, execute() {} };',
      /`description`/,
    ],
    [
      "non-object parameters",
      'export default { name: "t", description: "d", parameters: { type: "string" }, execute() {} };',
      /`parameters`/,
    ],
    ["missing parameters", 'export default { name: "t", description: "d", execute() {} };', /`parameters`/],
    [
      "a missing execute",
      'export default { name: "t", description: "d", parameters: { type: "object" } };',
      /`execute` must be a function/,
    ],
    [
      "a bad entry in `tools`",
      `export const tools = [${toolSource("ok")}, null];`,
      /malformed tool #1: expected an object, got null/,
    ],
  ])("refuses a tool with %s", async (_label, source, problem) => {
    const path = await writePlugin(source);
    const error = await loadFailure([path]);
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/malformed tool/);
    expect(error.message).toMatch(problem);
  });

  it("refuses a tool named like a built-in", async () => {
    const path = await writePlugin(`export default ${toolSource("echo")};`);
    const error = await loadFailure([path], ["echo", "current_time"]);
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/"echo", which is a built-in tool name/);
  });

  it("refuses a tool name used by another plugin", async () => {
    const first = await writePlugin(`export default ${toolSource("shared")};`);
    const second = await writePlugin(`export default ${toolSource("shared")};`);
    const error = await loadFailure([first, second]);
    expect(error.message).toContain(`plugin ${second} `);
    expect(error.message).toContain(`which plugin ${first} already defines`);
  });

  it("refuses two tools of the same name in one plugin", async () => {
    const path = await writePlugin(`export default [${toolSource("twice")}, ${toolSource("twice")}];`);
    const error = await loadFailure([path]);
    expect(error.message).toMatch(/"twice", which this plugin already defines/);
  });

  it("refuses a plugin listed twice", async () => {
    const path = await writePlugin(`export default ${toolSource("listed")};`);
    const error = await loadFailure([path, path]);
    expect(error.message).toMatch(/listed more than once/);
  });
});
