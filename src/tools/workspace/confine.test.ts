import { mkdir, symlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { locateInWorkspace, resolveInWorkspace } from "./confine.js";
import { createTempWorkspace, refusalOf, type TempWorkspace } from "./testing/temp-workspace.js";

let workspace: TempWorkspace;
let root: string;

beforeEach(async () => {
  workspace = await createTempWorkspace();
  root = workspace.root;
  await mkdir(join(root, "src"));
  await writeFile(join(root, "src", "main.ts"), "export {};\n");
});
afterEach(() => workspace.remove());

describe("resolveInWorkspace", () => {
  it("resolves relative paths, existing or not, inside the root", async () => {
    await expect(resolveInWorkspace(root, "src/main.ts")).resolves.toBe(join(root, "src", "main.ts"));
    await expect(resolveInWorkspace(root, "new/dir/file.txt")).resolves.toBe(join(root, "new/dir/file.txt"));
    await expect(resolveInWorkspace(root, "./src/../src/main.ts")).resolves.toBe(join(root, "src/main.ts"));
    await expect(resolveInWorkspace(root, ".")).resolves.toBe(root);
    await expect(resolveInWorkspace(root, "..hidden")).resolves.toBe(join(root, "..hidden"));
  });

  it("returns the model-facing path relative to the root", async () => {
    const location = await locateInWorkspace(root, join(root, "src", "main.ts"));
    expect(location).toEqual({
      realRoot: root,
      hostPath: join(root, "src/main.ts"),
      workspacePath: "src/main.ts",
      hidden: [],
    });
    expect((await locateInWorkspace(root, ".")).workspacePath).toBe(".");
  });

  it("refuses .. escapes, however they are spelled", async () => {
    for (const path of ["..", "../outside/secret.txt", "src/../../outside/secret.txt", "src/../.."]) {
      const message = await refusalOf(resolveInWorkspace(root, path));
      expect(message).toContain(`"${path}"`);
      expect(message).toContain("leaves the workspace");
    }
  });

  it("accepts absolute paths inside the root and refuses the others", async () => {
    await expect(resolveInWorkspace(root, `${root}/src/main.ts`)).resolves.toBe(join(root, "src/main.ts"));
    const outsidePath = join(workspace.outside, "secret.txt");
    expect(await refusalOf(resolveInWorkspace(root, outsidePath))).toContain("outside the workspace");
    expect(await refusalOf(resolveInWorkspace(root, "/etc/hostname"))).toContain('"/etc/hostname"');
    // A sibling whose name starts with the root's name is not inside it.
    await refusalOf(resolveInWorkspace(root, `${root}-other/file`));
  });

  it("works with a root given through a symlink, and realpaths it", async () => {
    const alias = join(dirname(root), "alias");
    await symlink(root, alias);
    await expect(resolveInWorkspace(alias, "src/main.ts")).resolves.toBe(join(root, "src/main.ts"));
    await expect(resolveInWorkspace(alias, `${alias}/src/main.ts`)).resolves.toBe(join(root, "src/main.ts"));
    await refusalOf(resolveInWorkspace(alias, "../outside/secret.txt"));
  });

  it("refuses symlinks that point outside: to a directory, to a file, and dangling", async () => {
    await symlink("/etc", join(root, "etc"));
    await symlink("/etc/hostname", join(root, "hostname"));
    await symlink(join(workspace.outside, "secret.txt"), join(root, "secret"));
    await symlink(join(workspace.outside, "missing.txt"), join(root, "dangling"));
    await symlink(workspace.outside, join(root, "out"));
    const refused = ["etc", "etc/hostname", "etc/nope/deeper", "hostname", "secret", "dangling", "out/x.txt"];
    for (const path of refused) {
      for (const forWrite of [false, true]) {
        const message = await refusalOf(resolveInWorkspace(root, path, { forWrite }));
        expect(message).toContain(`"${path}"`);
        expect(message).not.toContain(workspace.outside);
      }
    }
  });

  it("refuses a path that passes through a directory outside, even if it comes back inside", async () => {
    await symlink(workspace.outside, join(root, "out"));
    await symlink(join(root, "src"), join(workspace.outside, "back"));
    await refusalOf(resolveInWorkspace(root, "out/back/main.ts"));
    await refusalOf(resolveInWorkspace(root, "out/back/new.ts", { forWrite: true }));
  });

  it("refuses a dangling symlink even when it seems to point inside", async () => {
    await symlink("not-there-yet.txt", join(root, "later"));
    await refusalOf(resolveInWorkspace(root, "later"));
    await refusalOf(resolveInWorkspace(root, "later/child.txt", { forWrite: true }));
  });

  it("follows symlinks that stay inside, but never writes through a final symlink", async () => {
    await symlink("src/main.ts", join(root, "main-link"));
    await symlink("src", join(root, "src-link"));
    await expect(resolveInWorkspace(root, "main-link")).resolves.toBe(join(root, "src/main.ts"));
    await expect(resolveInWorkspace(root, "src-link/new.ts", { forWrite: true })).resolves.toBe(
      join(root, "src/new.ts"),
    );
    expect(await refusalOf(resolveInWorkspace(root, "main-link", { forWrite: true }))).toContain("symlink");
    await refusalOf(resolveInWorkspace(root, "src-link", { forWrite: true }));
  });

  it("refuses symlink loops", async () => {
    await symlink("loop-b", join(root, "loop-a"));
    await symlink("loop-a", join(root, "loop-b"));
    expect(await refusalOf(resolveInWorkspace(root, "loop-a/file"))).toContain("loop");
  });

  it("refuses the root itself as a write target, and empty paths", async () => {
    await refusalOf(resolveInWorkspace(root, ".", { forWrite: true }));
    await refusalOf(resolveInWorkspace(root, ""));
    await refusalOf(resolveInWorkspace(root, "a\0b"));
  });
});

describe("hidden paths inside the workspace", () => {
  it("refuses a hidden file and everything under the topmost entry that holds a hidden path", async () => {
    await mkdir(join(root, "config", "keys"), { recursive: true });
    await writeFile(join(root, "config", "keys", "api.key"), "k\n");
    await writeFile(join(root, "token"), "t\n");
    const hidden = [join(root, "config", "keys", "api.key"), join(root, "token")];
    for (const path of ["token", "config", "config/keys/api.key", "config/other.txt", "src/../token"]) {
      expect(await refusalOf(resolveInWorkspace(root, path, { hidden })), path).toContain(
        "hidden from agents",
      );
    }
    await refusalOf(resolveInWorkspace(root, "config/new.txt", { forWrite: true, hidden }));
    await expect(resolveInWorkspace(root, "src/main.ts", { hidden })).resolves.toBe(
      join(root, "src/main.ts"),
    );
  });

  it("refuses a symlink leading to a hidden path, and a hidden path that does not exist yet", async () => {
    await writeFile(join(root, "token"), "t\n");
    await symlink("token", join(root, "innocent"));
    const hidden = [join(root, "token"), join(root, "later", "secret.key")];
    await refusalOf(resolveInWorkspace(root, "innocent", { hidden }));
    await refusalOf(resolveInWorkspace(root, "later/secret.key", { forWrite: true, hidden }));
  });

  it("ignores hidden paths that are or contain the workspace: the workspace is the agent's own", async () => {
    const hidden = [root, dirname(root), workspace.outside];
    await expect(resolveInWorkspace(root, "src/main.ts", { hidden })).resolves.toBe(
      join(root, "src/main.ts"),
    );
  });
});
