import { mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { formatToolOutput, MAX_TOOL_OUTPUT_CHARS } from "../tool-output.js";
import { type ListEntry, listTool } from "./list-tool.js";
import {
  contextWithoutWorkspace,
  createTempWorkspace,
  refusalOf,
  type TempWorkspace,
} from "./testing/temp-workspace.js";

interface ListResult {
  path: string;
  truncated: boolean;
  entries: ListEntry[];
}

let workspace: TempWorkspace;

beforeEach(async () => {
  workspace = await createTempWorkspace();
  const root = workspace.root;
  await mkdir(join(root, "src/nested"), { recursive: true });
  await writeFile(join(root, "README.md"), "# hi\n");
  await writeFile(join(root, "src/main.ts"), "export {};\n");
  await writeFile(join(root, "src/nested/deep.ts"), "");
  await symlink("/etc", join(root, "etc"));
  await symlink(workspace.outside, join(root, "out"));
});
afterEach(() => workspace.remove());

const list = (input: unknown) => listTool.execute(input, workspace.context()) as Promise<ListResult>;

describe("list tool", () => {
  it("lists the root with types and file sizes, without following symlinks", async () => {
    await expect(list({})).resolves.toEqual({
      path: ".",
      truncated: false,
      entries: [
        { path: "README.md", type: "file", size: 5 },
        { path: "etc", type: "symlink" },
        { path: "out", type: "symlink" },
        { path: "src", type: "dir" },
      ],
    });
  });

  it("lists recursively, breadth first, never descending into symlinks", async () => {
    const result = await list({ recursive: true });
    expect(result.entries.map((entry) => entry.path)).toEqual([
      "README.md",
      "etc",
      "out",
      "src",
      "src/main.ts",
      "src/nested",
      "src/nested/deep.ts",
    ]);
    expect(JSON.stringify(result)).not.toContain("secret.txt");
  });

  it("lists a subdirectory with paths relative to the workspace root", async () => {
    const result = await list({ path: "src/nested" });
    expect(result).toEqual({
      path: "src/nested",
      truncated: false,
      entries: [{ path: "src/nested/deep.ts", type: "file", size: 0 }],
    });
  });

  it("stops at maxEntries and says so", async () => {
    const result = await list({ recursive: true, maxEntries: 3 });
    expect(result.truncated).toBe(true);
    expect(result.entries).toHaveLength(3);
  });

  it("keeps a huge listing within one tool output", async () => {
    await mkdir(join(workspace.root, "many"));
    const names = Array.from({ length: 1500 }, (_, index) => `file-with-a-long-name-${index}.txt`);
    await Promise.all(names.map((name) => writeFile(join(workspace.root, "many", name), "")));
    const result = await list({ path: "many", maxEntries: 5000 });
    expect(result.truncated).toBe(true);
    expect(result.entries.length).toBeGreaterThan(500);
    expect(formatToolOutput(result).length).toBeLessThanOrEqual(MAX_TOOL_OUTPUT_CHARS);
  });

  it("refuses .. escapes and symlinked directories that lead outside", async () => {
    expect(await refusalOf(list({ path: "../outside" }))).toContain('"../outside"');
    await refusalOf(list({ path: ".." }));
    await refusalOf(list({ path: "out" }));
    await refusalOf(list({ path: "etc" }));
  });

  it("refuses files and missing directories", async () => {
    expect(await refusalOf(list({ path: "README.md" }))).toContain("not a directory");
    expect(await refusalOf(list({ path: "nope" }))).toContain("does not exist");
  });

  it("validates its input and needs a workspace", async () => {
    await refusalOf(list({ maxEntries: 0 }));
    await refusalOf(list({ maxEntries: 100_000 }));
    await refusalOf(list({ recursive: "yes" }));
    expect(await refusalOf(listTool.execute({}, contextWithoutWorkspace()))).toBe(
      "this agent has no workspace",
    );
  });
});
