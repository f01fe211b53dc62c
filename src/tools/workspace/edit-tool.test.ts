import { chmod, readFile, stat, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { editTool } from "./edit-tool.js";
import {
  contextWithoutWorkspace,
  createTempWorkspace,
  OUTSIDE_SECRET,
  refusalOf,
  type TempWorkspace,
} from "./testing/temp-workspace.js";

let workspace: TempWorkspace;
let file: string;

beforeEach(async () => {
  workspace = await createTempWorkspace();
  file = join(workspace.root, "app.ts");
  await writeFile(file, 'const greeting = "hello";\nconsole.log(greeting);\nconsole.log(greeting);\n');
});
afterEach(() => workspace.remove());

const edit = (input: unknown) => editTool.execute(input, workspace.context());

describe("edit tool", () => {
  it("replaces one exact occurrence", async () => {
    await expect(edit({ path: "app.ts", oldText: '"hello"', newText: '"hi $& $1"' })).resolves.toEqual({
      path: "app.ts",
      replacements: 1,
    });
    expect(await readFile(file, "utf8")).toBe(
      'const greeting = "hi $& $1";\nconsole.log(greeting);\nconsole.log(greeting);\n',
    );
  });

  it("refuses an ambiguous oldText unless replaceAll is set", async () => {
    const message = await refusalOf(edit({ path: "app.ts", oldText: "console.log", newText: "print" }));
    expect(message).toContain("occurs 2 times");
    expect(await readFile(file, "utf8")).toContain("console.log");
    await expect(
      edit({ path: "app.ts", oldText: "console.log", newText: "print", replaceAll: true }),
    ).resolves.toEqual({ path: "app.ts", replacements: 2 });
    expect(await readFile(file, "utf8")).not.toContain("console.log");
  });

  it("refuses an oldText that is not in the file", async () => {
    const message = await refusalOf(edit({ path: "app.ts", oldText: "goodbye", newText: "x" }));
    expect(message).toContain('oldText was not found in "app.ts"');
  });

  it("keeps the file's permissions", async () => {
    await writeFile(join(workspace.root, "run.sh"), "#!/bin/sh\necho one\n");
    await chmod(join(workspace.root, "run.sh"), 0o755);
    await edit({ path: "run.sh", oldText: "one", newText: "two" });
    expect((await stat(join(workspace.root, "run.sh"))).mode & 0o777).toBe(0o755);
  });

  it("refuses missing, binary and non-UTF-8 files", async () => {
    expect(await refusalOf(edit({ path: "nope.ts", oldText: "a", newText: "b" }))).toContain(
      "does not exist",
    );
    await writeFile(join(workspace.root, "blob"), Buffer.from([0x61, 0x00, 0x62]));
    expect(await refusalOf(edit({ path: "blob", oldText: "a", newText: "b" }))).toContain("binary");
    await writeFile(join(workspace.root, "latin1.txt"), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    expect(await refusalOf(edit({ path: "latin1.txt", oldText: "ca", newText: "b" }))).toContain("UTF-8");
  });

  it("refuses .. escapes and symlinks that lead outside", async () => {
    await refusalOf(edit({ path: "../outside/secret.txt", oldText: "outside", newText: "x" }));
    await symlink(join(workspace.outside, "secret.txt"), join(workspace.root, "secret"));
    await symlink(workspace.outside, join(workspace.root, "out"));
    await symlink("/etc/hostname", join(workspace.root, "hostname"));
    await refusalOf(edit({ path: "secret", oldText: "outside", newText: "x" }));
    await refusalOf(edit({ path: "out/secret.txt", oldText: "outside", newText: "x" }));
    await refusalOf(edit({ path: "hostname", oldText: "a", newText: "b" }));
    expect(await readFile(join(workspace.outside, "secret.txt"), "utf8")).toBe(`${OUTSIDE_SECRET}\n`);
  });

  it("validates its input and needs a workspace", async () => {
    await refusalOf(edit({ path: "app.ts", oldText: "", newText: "x" }));
    await refusalOf(edit({ path: "app.ts", oldText: "hello" }));
    await refusalOf(edit({ path: "app.ts", oldText: "hello", newText: "x", replaceAll: 1 }));
    const noWorkspace = editTool.execute(
      { path: "app.ts", oldText: "a", newText: "b" },
      contextWithoutWorkspace(),
    );
    expect(await refusalOf(noWorkspace)).toBe("this agent has no workspace");
  });
});
