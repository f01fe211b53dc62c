import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type HiddenPath, isSameOrInside, isStrictlyInside } from "./hidden-paths.js";
import { type MountPlan, planMounts } from "./mount-plan.js";

const directory = (path: string): HiddenPath => ({ path, kind: "directory", exists: true });
const file = (path: string): HiddenPath => ({ path, kind: "file", exists: true });

describe("planMounts", () => {
  it("hides the state dir first, binds the workspace inside it back, then re-hides what lies inside", () => {
    const plan = planMounts(
      ["/srv/state/workspace/main"],
      [
        directory("/srv/state"),
        directory("/etc/openclaw"),
        file("/etc/openclaw/secrets/key"),
        file("/srv/state/workspace/main/notes/api.key"),
        file("/srv/state/workspace/main/token"),
        directory("/root"),
      ],
    );
    expect(plan).toEqual({
      systemTmpfs: ["/tmp", "/run"],
      hiddenAround: [directory("/etc/openclaw"), directory("/root"), directory("/srv/state")],
      writable: ["/srv/state/workspace/main"],
      // The topmost entry below the workspace: the agent cannot rename `notes` out of the way.
      hiddenInside: [
        { path: "/srv/state/workspace/main/notes", kind: "directory" },
        { path: "/srv/state/workspace/main/token", kind: "file" },
      ],
    });
  });

  it("never hides the workspace from itself, nor `/`, nor what fresh mounts already replace", () => {
    const plan = planMounts(
      ["/home/me/project"],
      [directory("/"), directory("/home/me/project"), directory("/tmp/state"), directory("/run/secrets")],
    );
    expect(plan.hiddenAround).toEqual([]);
    expect(plan.hiddenInside).toEqual([]);
  });

  it("leaves out paths that do not exist outside the workspace, but hides them inside it", () => {
    const missing = (path: string): HiddenPath => ({ path, kind: "file", exists: false });
    const plan = planMounts(
      ["/w"],
      [missing("/srv/later.key"), missing("/w/later.key"), missing("/w/d/x.key")],
    );
    expect(plan.hiddenAround).toEqual([]);
    expect(plan.hiddenInside).toEqual([
      { path: "/w/d", kind: "directory" },
      { path: "/w/later.key", kind: "file" },
    ]);
  });

  it("keeps only the outermost of nested hidden paths", () => {
    const plan = planMounts(
      ["/w"],
      [directory("/a"), file("/a/b/c"), directory("/a-b"), directory("/w/x"), file("/w/x/y")],
    );
    expect(plan.hiddenAround.map((entry) => entry.path)).toEqual(["/a", "/a-b"]);
    expect(plan.hiddenInside.map((entry) => entry.path)).toEqual(["/w/x"]);
  });
});

/** Replays the plan's mounts the way bwrap makes them: the last mount over a path decides what it is. */
function visibility(plan: MountPlan, path: string): "hidden" | "writable" | "read-only" {
  const mounts: { path: string; state: "hidden" | "writable" | "read-only" }[] = [
    { path: "/", state: "read-only" },
    ...plan.systemTmpfs.map(
      (mount) => ({ path: mount, state: mount === "/tmp" ? "writable" : "hidden" }) as const,
    ),
    ...plan.hiddenAround.map((entry) => ({ path: entry.path, state: "hidden" }) as const),
    ...plan.writable.map((mount) => ({ path: mount, state: "writable" }) as const),
    ...plan.hiddenInside.map((entry) => ({ path: entry.path, state: "hidden" }) as const),
  ];
  return mounts.filter((mount) => isSameOrInside(path, mount.path)).at(-1)?.state ?? "read-only";
}

const NAMES = ["a", "b", "w", "k"];
const PATHS = (() => {
  const all: string[] = [];
  const walk = (prefix: string, depth: number) => {
    for (const name of NAMES) {
      const path = `${prefix}/${name}`;
      all.push(path);
      if (depth > 1) walk(path, depth - 1);
    }
  };
  walk("", 3);
  return all;
})();

describe("planMounts, for generated layouts", () => {
  it("shows no hidden path, except the workspace itself and what holds it; the rest of the workspace stays writable", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PATHS),
        fc.uniqueArray(fc.constantFrom(...PATHS), { maxLength: 6 }),
        (workspace, hiddenPaths) => {
          const hidden = hiddenPaths.map(directory);
          const plan = planMounts([workspace], hidden);
          const topsInside = hiddenPaths
            .filter((path) => isStrictlyInside(path, workspace))
            .map((path) => `${workspace}/${path.slice(workspace.length + 1).split("/")[0]}`);
          for (const probe of PATHS) {
            const seen = visibility(plan, probe);
            if (isSameOrInside(probe, workspace)) {
              const shouldHide = topsInside.some((top) => isSameOrInside(probe, top));
              expect(seen, `${probe} in workspace ${workspace}, hidden ${hiddenPaths}`).toBe(
                shouldHide ? "hidden" : "writable",
              );
            } else {
              const shouldHide = hiddenPaths.some((path) => isSameOrInside(probe, path));
              expect(seen, `${probe} outside workspace ${workspace}, hidden ${hiddenPaths}`).toBe(
                shouldHide ? "hidden" : "read-only",
              );
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
