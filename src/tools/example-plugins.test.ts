import { mkdir, symlink, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BUILTIN_TOOLS } from "./builtin-tools.js";
import { loadPluginTools } from "./plugin-loader.js";
import type { Tool, ToolContext } from "./tool.js";
import {
  createTempWorkspace,
  OUTSIDE_SECRET,
  type TempWorkspace,
} from "./workspace/testing/temp-workspace.js";

const PLUGINS_DIR = resolve(import.meta.dirname, "../../examples/plugins");
const RESERVED = BUILTIN_TOOLS.map((tool) => tool.name);

const contextWith = (signal = new AbortController().signal): ToolContext => ({
  agentId: "main",
  sessionKey: "main:test",
  signal,
});

async function loadExample(relativePath: string): Promise<Tool> {
  const tools = await loadPluginTools([join(PLUGINS_DIR, relativePath)], RESERVED);
  expect(tools).toHaveLength(1);
  return tools[0]!;
}

describe("summarize_file", () => {
  let workspace: TempWorkspace;
  let tool: Tool;

  beforeAll(async () => {
    tool = await loadExample("summarize-file.mjs");
  });
  beforeEach(async () => {
    workspace = await createTempWorkspace();
  });
  afterEach(() => workspace.remove());

  it("summarises a markdown file of the workspace", async () => {
    const text = [
      "# Gateway notes",
      "The gateway routes every agent turn. The gateway never sleeps.",
      "## Agents",
      "Agents run turns; agents call tools.",
      "not # a heading",
      "",
    ].join("\n");
    await writeFile(join(workspace.root, "notes.md"), text);
    const summary = (await tool.execute({ path: "notes.md", maxLines: 2 }, workspace.context())) as Record<
      string,
      unknown
    >;
    expect(summary).toMatchObject({
      path: "notes.md",
      bytes: Buffer.byteLength(text),
      lines: 5,
      words: 25,
      headings: ["# Gateway notes", "## Agents"],
      firstLines: ["# Gateway notes", "The gateway routes every agent turn. The gateway never sleeps."],
    });
    expect((summary.topWords as unknown[]).slice(0, 3)).toEqual([
      { word: "agents", count: 3 },
      { word: "gateway", count: 3 },
      { word: "agent", count: 1 },
    ]);
    expect(summary.topWords).toHaveLength(10);
  });

  it("defaults to ten first lines, and resolves paths against the workspace, not the working directory", async () => {
    await mkdir(join(workspace.root, "docs"));
    await writeFile(
      join(workspace.root, "docs", "long.txt"),
      Array.from({ length: 30 }, (_, index) => `line ${index}`).join("\n"),
    );
    const summary = (await tool.execute({ path: "docs/long.txt" }, workspace.context())) as Record<
      string,
      unknown
    >;
    expect(summary.lines).toBe(30);
    expect(summary.firstLines).toHaveLength(10);
    // package.json exists in the gateway's working directory, not in the workspace.
    await expect(tool.execute({ path: "package.json" }, workspace.context())).rejects.toThrow(
      /does not exist/,
    );
  });

  it("never reads outside the workspace or what is hidden from the agent, in any spelling", async () => {
    await writeFile(join(workspace.root, "gateway-token"), `${OUTSIDE_SECRET}\n`);
    await symlink(join(workspace.outside, "secret.txt"), join(workspace.root, "link.txt"));
    const context = workspace.context({ hidden: [join(workspace.root, "gateway-token")] });
    for (const path of [
      "../outside/secret.txt",
      join(workspace.outside, "secret.txt"),
      `${"../".repeat(20)}${workspace.outside.slice(1)}/secret.txt`,
      "link.txt",
      "gateway-token",
      "/etc/passwd",
    ]) {
      const failure = await tool.execute({ path }, context).then(
        (result) => JSON.stringify(result),
        (error: Error) => error.message,
      );
      expect(failure, path).not.toContain("outside-secret");
      expect(failure, path).not.toContain("root:");
      expect(failure, path).toMatch(/outside the workspace|leaves the workspace|symlink|hidden from agents/);
    }
  });

  it("refuses directories, files over 5 MB and NUL characters", async () => {
    await mkdir(join(workspace.root, "folder"));
    await expect(tool.execute({ path: "folder" }, workspace.context())).rejects.toThrow(/is a directory/);
    await writeFile(join(workspace.root, "big.txt"), "a".repeat(5 * 1024 * 1024 + 1));
    await expect(tool.execute({ path: "big.txt" }, workspace.context())).rejects.toThrow(/limit is 5242880/);
    await expect(tool.execute({ path: "notes\0.md" }, workspace.context())).rejects.toThrow(/NUL/);
  });

  it("refuses bad input, missing files, and an agent without a workspace", async () => {
    await expect(tool.execute({}, workspace.context())).rejects.toThrow(/`path`/);
    await expect(tool.execute({ path: "x", maxLines: -1 }, workspace.context())).rejects.toThrow(
      /`maxLines`/,
    );
    await expect(tool.execute("notes.md", workspace.context())).rejects.toThrow(/JSON object/);
    await expect(tool.execute({ path: "missing.txt" }, workspace.context())).rejects.toThrow(
      /does not exist/,
    );
    await expect(tool.execute({ path: "notes.md" }, contextWith())).rejects.toThrow(/workspace/);
  });
});

describe("cpu_burn", () => {
  it("burns at least the requested time", async () => {
    const tool = await loadExample("cpu-burn.mjs");
    const result = (await tool.execute({ ms: 50 }, contextWith())) as { burnedMs: number };
    expect(result.burnedMs).toBeGreaterThanOrEqual(50);
    await expect(tool.execute({ ms: 0 }, contextWith())).rejects.toThrow(/`ms`/);
    await expect(tool.execute({ ms: 60_001 }, contextWith())).rejects.toThrow(/`ms`/);
  });
});

describe("sleep", () => {
  it("sleeps, and stops with the signal's reason on abort", async () => {
    const tool = await loadExample("faults/slow.mjs");
    const slept = (await tool.execute({ ms: 20 }, contextWith())) as { sleptMs: number };
    // Node timers may fire up to a millisecond early relative to performance.now().
    expect(slept.sleptMs).toBeGreaterThanOrEqual(19);

    const controller = new AbortController();
    const reason = new Error("turn cancelled");
    const started = performance.now();
    const sleeping = tool.execute({ ms: 60_000 }, contextWith(controller.signal));
    setTimeout(() => controller.abort(reason), 10);
    await expect(sleeping).rejects.toBe(reason);
    expect(performance.now() - started).toBeLessThan(5_000);
    await expect(tool.execute({ ms: 600_001 }, contextWith())).rejects.toThrow(/`ms`/);
  });
});

describe("env_dump", () => {
  it("returns the sorted environment variable names", async () => {
    const tool = await loadExample("faults/env-dump.mjs");
    const { keys } = (await tool.execute({}, contextWith())) as { keys: string[] };
    expect(keys).toEqual(Object.keys(process.env).sort());
  });
});

describe("fault plugins that must not run in-process", () => {
  it.each([
    ["faults/busy-loop.mjs", "spin_forever"],
    ["faults/heap-hog.mjs", "allocate_forever"],
    ["faults/timer-throw.mjs", "throw_later"],
  ])("%s loads as %s", async (file, name) => {
    const tool = await loadExample(file);
    expect(tool.name).toBe(name);
  });
});
