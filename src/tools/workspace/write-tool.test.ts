import { lstat, mkdir, readdir, readFile, readlink, stat, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  contextWithoutWorkspace,
  createTempWorkspace,
  OUTSIDE_SECRET,
  refusalOf,
  type TempWorkspace,
} from "./testing/temp-workspace.js";
import { writeTool } from "./write-tool.js";

let workspace: TempWorkspace;

beforeEach(async () => {
  workspace = await createTempWorkspace();
});
afterEach(() => workspace.remove());

const write = (input: unknown) => writeTool.execute(input, workspace.context());

describe("write tool", () => {
  it("creates a file and its parents, mode 0644 whatever the umask, and returns the bytes written", async () => {
    const previousUmask = process.umask(0o077);
    try {
      await expect(write({ path: "src/app/hello.txt", content: "héllo\n" })).resolves.toEqual({
        path: "src/app/hello.txt",
        bytesWritten: 7,
      });
    } finally {
      process.umask(previousUmask);
    }
    const target = join(workspace.root, "src/app/hello.txt");
    expect(await readFile(target, "utf8")).toBe("héllo\n");
    expect((await stat(target)).mode & 0o777).toBe(0o644);
  });

  it("replaces an existing file without leaving temp files behind", async () => {
    await writeFile(join(workspace.root, "a.txt"), "old content that is longer\n", { mode: 0o600 });
    await write({ path: "a.txt", content: "new\n" });
    expect(await readFile(join(workspace.root, "a.txt"), "utf8")).toBe("new\n");
    expect((await stat(join(workspace.root, "a.txt"))).mode & 0o777).toBe(0o644);
    expect(await readdir(workspace.root)).toEqual(["a.txt"]);
  });

  it("writes empty files", async () => {
    await expect(write({ path: "empty", content: "" })).resolves.toEqual({ path: "empty", bytesWritten: 0 });
  });

  it("with createDirs false, refuses a missing parent directory", async () => {
    const message = await refusalOf(write({ path: "missing/a.txt", content: "x", createDirs: false }));
    expect(message).toContain("createDirs");
    await mkdir(join(workspace.root, "present"));
    await write({ path: "present/a.txt", content: "x", createDirs: false });
  });

  it("refuses directories and the workspace root as targets", async () => {
    await mkdir(join(workspace.root, "dir"));
    expect(await refusalOf(write({ path: "dir", content: "x" }))).toContain('"dir" is a directory');
    await refusalOf(write({ path: ".", content: "x" }));
  });

  it("refuses .. escapes and absolute paths outside", async () => {
    await refusalOf(write({ path: "../outside/secret.txt", content: "overwritten" }));
    await refusalOf(write({ path: "../escaped.txt", content: "x" }));
    await refusalOf(write({ path: join(workspace.outside, "secret.txt"), content: "overwritten" }));
    expect(await readFile(join(workspace.outside, "secret.txt"), "utf8")).toBe(`${OUTSIDE_SECRET}\n`);
    expect(await readdir(join(workspace.root, ".."))).toEqual(["outside", "workspace"]);
  });

  it("refuses to write through symlinks to /etc, to /etc/hostname, and outside ones, dangling or not", async () => {
    await symlink("/etc", join(workspace.root, "etc"));
    await symlink("/etc/hostname", join(workspace.root, "hostname"));
    await symlink(join(workspace.outside, "secret.txt"), join(workspace.root, "secret"));
    await symlink(join(workspace.outside, "created.txt"), join(workspace.root, "dangling"));
    for (const path of ["etc/openclaw-test.txt", "hostname", "secret", "dangling"]) {
      expect(await refusalOf(write({ path, content: "pwned" }))).toContain(`"${path}"`);
    }
    expect(await readFile(join(workspace.outside, "secret.txt"), "utf8")).toBe(`${OUTSIDE_SECRET}\n`);
    expect(await readdir(workspace.outside)).toEqual(["secret.txt"]);
    expect(await readlink(join(workspace.root, "hostname"))).toBe("/etc/hostname");
  });

  it("refuses to write through a symlinked parent directory that leads outside", async () => {
    await symlink(workspace.outside, join(workspace.root, "out"));
    await refusalOf(write({ path: "out/new.txt", content: "x" }));
    await refusalOf(write({ path: "out/deeper/new.txt", content: "x" }));
    await refusalOf(write({ path: "out/secret.txt", content: "overwritten" }));
    expect(await readdir(workspace.outside)).toEqual(["secret.txt"]);
  });

  it("refuses to replace a symlink that stays inside, leaving it a symlink", async () => {
    await writeFile(join(workspace.root, "real.txt"), "real\n");
    await symlink("real.txt", join(workspace.root, "link.txt"));
    expect(await refusalOf(write({ path: "link.txt", content: "x" }))).toContain("symlink");
    expect((await lstat(join(workspace.root, "link.txt"))).isSymbolicLink()).toBe(true);
    expect(await readFile(join(workspace.root, "real.txt"), "utf8")).toBe("real\n");
  });

  it("validates its input and needs a workspace", async () => {
    await refusalOf(write({ path: "a.txt" }));
    await refusalOf(write({ content: "x" }));
    await refusalOf(write({ path: "a.txt", content: "x", createDirs: "yes" }));
    const noWorkspace = writeTool.execute({ path: "a.txt", content: "x" }, contextWithoutWorkspace());
    expect(await refusalOf(noWorkspace)).toBe("this agent has no workspace");
  });
});
