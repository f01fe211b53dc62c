import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hiddenEntriesInside, isSameOrInside, resolveHiddenPaths } from "./hidden-paths.js";

let base: string;
beforeAll(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), "openclaw-hidden-")));
  // A Kubernetes-style secret volume: the file is a symlink through `..data` into a dated dir.
  await mkdir(join(base, "secrets", "..2026_01_01"), { recursive: true });
  await writeFile(join(base, "secrets", "..2026_01_01", "key"), "k");
  await symlink("..2026_01_01", join(base, "secrets", "..data"));
  await symlink("..data/key", join(base, "secrets", "key"));
});
afterAll(() => rm(base, { recursive: true, force: true }));

describe("resolveHiddenPaths", () => {
  it("resolves symlinks to the real place, with the kind, and keeps missing paths at their would-be place", async () => {
    const hidden = await resolveHiddenPaths([
      join(base, "secrets", "key"),
      join(base, "secrets"),
      join(base, "secrets", "key"),
      join(base, "later", "token"),
      "/",
    ]);
    expect(hidden).toEqual([
      { path: join(base, "secrets", "..2026_01_01", "key"), kind: "file", exists: true },
      { path: join(base, "secrets"), kind: "directory", exists: true },
      { path: join(base, "later", "token"), kind: "file", exists: false },
    ]);
  });
});

describe("hiddenEntriesInside", () => {
  it("hides the topmost entry below the root that holds a hidden path, and nothing for paths around the root", () => {
    expect(
      hiddenEntriesInside("/w", [
        { path: "/w/a/b/key", kind: "file" },
        { path: "/w/token", kind: "file" },
        { path: "/w/a", kind: "file" },
        { path: "/w", kind: "directory" },
        { path: "/", kind: "directory" },
        { path: "/w-other/x", kind: "file" },
      ]),
    ).toEqual([
      { path: "/w/a", kind: "directory" },
      { path: "/w/token", kind: "file" },
    ]);
    expect(hiddenEntriesInside("/", [{ path: "/srv/key", kind: "file" }])).toEqual([
      { path: "/srv", kind: "directory" },
    ]);
  });

  it("compares whole components: /w-other is not inside /w", () => {
    expect(isSameOrInside("/w-other", "/w")).toBe(false);
    expect(isSameOrInside("/w/..x", "/w")).toBe(true);
    expect(isSameOrInside("/w", "/w")).toBe(true);
  });
});
