import { mkdir, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createTempWorkspace,
  OUTSIDE_SECRET,
  refusalOf,
  type TempWorkspace,
} from "../workspace/testing/temp-workspace.js";
import { applyPatchTool } from "./apply-patch-tool.js";

let workspace: TempWorkspace;
beforeEach(async () => {
  workspace = await createTempWorkspace();
});
afterEach(() => workspace.remove());

const apply = (...lines: string[]) =>
  applyPatchTool.execute(
    { input: ["*** Begin Patch", ...lines, "*** End Patch"].join("\n") },
    workspace.context(),
  );
const read = (path: string) => readFile(join(workspace.root, path), "utf8");

describe("apply_patch tool", () => {
  it("adds, updates, moves and deletes files in one patch", async () => {
    await mkdir(join(workspace.root, "src"));
    await writeFile(join(workspace.root, "src/app.ts"), "const a = 1;\nconst b = 2;\n");
    await writeFile(join(workspace.root, "old.txt"), "keep\nchange\n");
    await writeFile(join(workspace.root, "gone.txt"), "bye\n");
    const summary = await apply(
      "*** Add File: docs/new.md",
      "+# New",
      "*** Update File: src/app.ts",
      "@@",
      " const a = 1;",
      "-const b = 2;",
      "+const b = 3;",
      "*** Update File: old.txt",
      "*** Move to: moved/renamed.txt",
      "@@",
      "-change",
      "+changed",
      "*** Delete File: gone.txt",
    );
    expect(summary).toEqual({
      added: ["docs/new.md"],
      updated: ["src/app.ts"],
      deleted: ["gone.txt"],
      moved: [{ from: "old.txt", to: "moved/renamed.txt" }],
    });
    expect(await read("docs/new.md")).toBe("# New\n");
    expect(await read("src/app.ts")).toBe("const a = 1;\nconst b = 3;\n");
    expect(await read("moved/renamed.txt")).toBe("keep\nchanged\n");
    expect((await readdir(workspace.root)).sort()).toEqual(["docs", "moved", "src"]);
  });

  it("changes nothing when one hunk does not apply, and names the file and hunk", async () => {
    await writeFile(join(workspace.root, "a.txt"), "a\n");
    await writeFile(join(workspace.root, "b.txt"), "b\n");
    const message = await refusalOf(
      apply(
        "*** Update File: a.txt",
        "@@",
        "-a",
        "+A",
        "*** Add File: c.txt",
        "+c",
        "*** Update File: b.txt",
        "@@",
        "-b",
        "+B",
        "@@",
        "-not there",
        "+x",
      ),
    );
    expect(message).toMatch(/hunk 2 of "b.txt" does not apply/);
    expect(await read("a.txt")).toBe("a\n");
    expect(await read("b.txt")).toBe("b\n");
    expect((await readdir(workspace.root)).sort()).toEqual(["a.txt", "b.txt"]);
  });

  it("refuses paths outside the workspace, through symlinks, or to an existing file on add", async () => {
    await symlink(join(workspace.outside, "secret.txt"), join(workspace.root, "secret"));
    await writeFile(join(workspace.root, "here.txt"), "here\n");
    for (const path of ["../outside/secret.txt", join(workspace.outside, "secret.txt"), "secret"]) {
      await refusalOf(apply(`*** Update File: ${path}`, "@@", `-${OUTSIDE_SECRET}`, "+pwned"));
      await refusalOf(apply(`*** Delete File: ${path}`));
    }
    await refusalOf(apply("*** Add File: ../outside/new.txt", "+x"));
    await refusalOf(
      apply("*** Update File: here.txt", "*** Move to: ../outside/moved.txt", "@@", "-here", "+x"),
    );
    expect(await refusalOf(apply("*** Add File: here.txt", "+x"))).toMatch(/it exists/);
    expect(await readFile(join(workspace.outside, "secret.txt"), "utf8")).toBe(`${OUTSIDE_SECRET}\n`);
    expect(await readdir(workspace.outside)).toEqual(["secret.txt"]);
    expect(await read("here.txt")).toBe("here\n");
  });

  it("lets a patch delete a file and add it again", async () => {
    await writeFile(join(workspace.root, "a.txt"), "old\n");
    await apply("*** Delete File: a.txt", "*** Add File: a.txt", "+new");
    expect(await read("a.txt")).toBe("new\n");
  });
});
