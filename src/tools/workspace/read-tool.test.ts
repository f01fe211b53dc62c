import { execFileSync } from "node:child_process";
import { mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { formatToolOutput, MAX_TOOL_OUTPUT_CHARS } from "../tool-output.js";
import { type ReadResult, readTool } from "./read-tool.js";
import {
  contextWithoutWorkspace,
  createTempWorkspace,
  refusalOf,
  type TempWorkspace,
} from "./testing/temp-workspace.js";

let workspace: TempWorkspace;

beforeEach(async () => {
  workspace = await createTempWorkspace();
});
afterEach(() => workspace.remove());

const read = (input: unknown) => readTool.execute(input, workspace.context()) as Promise<ReadResult>;

describe("read tool", () => {
  it("reads a whole UTF-8 file", async () => {
    await mkdir(join(workspace.root, "notes"));
    await writeFile(join(workspace.root, "notes/todo.md"), "# Todo\n- café ☕\n");
    await expect(read({ path: "notes/todo.md" })).resolves.toEqual({
      path: "notes/todo.md",
      offset: 1,
      lines: 2,
      truncated: false,
      content: "# Todo\n- café ☕\n",
    });
  });

  it("reads a window of lines and says where to continue", async () => {
    const text = Array.from({ length: 10 }, (_, index) => `line ${index + 1}\n`).join("");
    await writeFile(join(workspace.root, "ten.txt"), text);
    const window = await read({ path: "ten.txt", offset: 3, limit: 2 });
    expect(window).toMatchObject({ offset: 3, lines: 2, truncated: false, nextOffset: 5 });
    expect(window.content).toBe("line 3\nline 4\n");
    const tail = await read({ path: "ten.txt", offset: 9, limit: 5 });
    expect(tail.content).toBe("line 9\nline 10\n");
    expect(tail.nextOffset).toBeUndefined();
    expect(await refusalOf(read({ path: "ten.txt", offset: 11 }))).toContain("past the end");
  });

  it("returns a last line without a newline", async () => {
    await writeFile(join(workspace.root, "partial.txt"), "one\ntwo");
    await expect(read({ path: "partial.txt", offset: 2 })).resolves.toMatchObject({
      lines: 1,
      content: "two",
    });
  });

  it("caps a large file so the whole result fits one tool output, and says so", async () => {
    const line = `${"x".repeat(99)}\n`;
    await writeFile(join(workspace.root, "big.txt"), line.repeat(5000));
    const first = await read({ path: "big.txt" });
    expect(first.truncated).toBe(true);
    expect(first.nextOffset).toBe(first.lines + 1);
    expect(first.note).toContain(`offset ${first.nextOffset}`);
    expect(first.content).toBe(line.repeat(first.lines));
    expect(formatToolOutput(first).length).toBeLessThanOrEqual(MAX_TOOL_OUTPUT_CHARS);
    const second = await read({ path: "big.txt", offset: first.nextOffset });
    expect(second.offset).toBe(first.nextOffset);
    expect(second.content.startsWith(line)).toBe(true);
  });

  it("cuts a single enormous line", async () => {
    await writeFile(join(workspace.root, "minified.js"), `${"a".repeat(1024 * 1024)}\nnext\n`);
    const result = await read({ path: "minified.js" });
    expect(result).toMatchObject({ lines: 1, truncated: true, nextOffset: 2 });
    expect(result.note).toContain("line 1 is too long");
    expect(result.content.length).toBeGreaterThan(60_000);
    expect(formatToolOutput(result).length).toBeLessThanOrEqual(MAX_TOOL_OUTPUT_CHARS);
  });

  it("refuses directories, binary files and missing files", async () => {
    await mkdir(join(workspace.root, "dir"));
    await writeFile(join(workspace.root, "image.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]));
    expect(await refusalOf(read({ path: "dir" }))).toContain('"dir" is a directory');
    expect(await refusalOf(read({ path: "image.png" }))).toContain("binary");
    const missing = await refusalOf(read({ path: "nope.txt" }));
    expect(missing).toBe('"nope.txt" does not exist in the workspace');
  });

  it("refuses a FIFO instead of waiting for a writer", async () => {
    execFileSync("mkfifo", [join(workspace.root, "pipe")]);
    expect(await refusalOf(read({ path: "pipe" }))).toContain("not a regular file");
  });

  it("refuses paths that leave the workspace", async () => {
    const message = await refusalOf(read({ path: "../outside/secret.txt" }));
    expect(message).toContain('"../outside/secret.txt"');
  });

  it("refuses symlinks to /etc, to /etc/hostname and dangling ones pointing outside", async () => {
    await symlink("/etc", join(workspace.root, "etc"));
    await symlink("/etc/hostname", join(workspace.root, "hostname"));
    await symlink(join(workspace.outside, "secret.txt"), join(workspace.root, "secret"));
    await symlink(join(workspace.outside, "gone.txt"), join(workspace.root, "dangling"));
    for (const path of ["etc/hostname", "etc/passwd", "hostname", "secret", "dangling"]) {
      expect(await refusalOf(read({ path }))).toContain(`"${path}"`);
    }
  });

  it("reads through a symlink that stays inside", async () => {
    await writeFile(join(workspace.root, "real.txt"), "inside\n");
    await symlink("real.txt", join(workspace.root, "link.txt"));
    await expect(read({ path: "link.txt" })).resolves.toMatchObject({ content: "inside\n" });
  });

  it("validates its input and needs a workspace", async () => {
    await refusalOf(read({}));
    await refusalOf(read({ path: "a.txt", offset: 0 }));
    await refusalOf(read({ path: "a.txt", limit: 1.5 }));
    const noWorkspace = await refusalOf(readTool.execute({ path: "a.txt" }, contextWithoutWorkspace()));
    expect(noWorkspace).toBe("this agent has no workspace");
  });
});
