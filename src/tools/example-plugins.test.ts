import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUILTIN_TOOLS } from "./builtin-tools.js";
import { loadPluginTools } from "./plugin-loader.js";
import type { Tool, ToolContext } from "./tool.js";

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
  let directory: string;
  let tool: Tool;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), "openclaw-summarize-"));
    tool = await loadExample("summarize-file.mjs");
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it("summarises a markdown file", async () => {
    const path = join(directory, "notes.md");
    const text = [
      "# Gateway notes",
      "The gateway routes every agent turn. The gateway never sleeps.",
      "## Agents",
      "Agents run turns; agents call tools.",
      "not # a heading",
      "",
    ].join("\n");
    await writeFile(path, text);
    const summary = (await tool.execute({ path, maxLines: 2 }, contextWith())) as Record<string, unknown>;
    expect(summary).toMatchObject({
      path,
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

  it("defaults to ten first lines and resolves relative paths against the working directory", async () => {
    const path = join(directory, "long.txt");
    await writeFile(path, Array.from({ length: 30 }, (_, index) => `line ${index}`).join("\n"));
    const relative = join("..", ...Array(20).fill(".."), path);
    const summary = (await tool.execute({ path: relative }, contextWith())) as Record<string, unknown>;
    expect(summary.path).toBe(path);
    expect(summary.lines).toBe(30);
    expect(summary.firstLines).toHaveLength(10);
  });

  it("refuses directories, files over 5 MB and NUL characters", async () => {
    await expect(tool.execute({ path: directory }, contextWith())).rejects.toThrow(/is a directory/);
    const big = join(directory, "big.txt");
    await writeFile(big, "a".repeat(5 * 1024 * 1024 + 1));
    await expect(tool.execute({ path: big }, contextWith())).rejects.toThrow(/limit is 5242880/);
    await expect(tool.execute({ path: "notes\0.md" }, contextWith())).rejects.toThrow(/NUL/);
  });

  it("refuses bad input", async () => {
    await expect(tool.execute({}, contextWith())).rejects.toThrow(/`path`/);
    await expect(tool.execute({ path: "x", maxLines: -1 }, contextWith())).rejects.toThrow(/`maxLines`/);
    await expect(tool.execute("notes.md", contextWith())).rejects.toThrow(/JSON object/);
    await expect(tool.execute({ path: join(directory, "missing.txt") }, contextWith())).rejects.toThrow(
      /ENOENT/,
    );
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
