import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { chat } from "./chat-http.js";
import { useGateway } from "./harness.js";

const BASE = realpathSync(mkdtempSync(join(tmpdir(), "openclaw-e2e-patch-")));
const WORKSPACE = join(BASE, "workspace");
const OUTSIDE = join(BASE, "outside.txt");
mkdirSync(WORKSPACE);
afterAll(() => rmSync(BASE, { recursive: true, force: true }));

const patch = (...lines: string[]) => ["*** Begin Patch", ...lines, "*** End Patch"].join("\n");
const inWorkspace = (path: string) => readFileSync(join(WORKSPACE, path), "utf8");

async function applyPatch(url: string, input: string): Promise<string> {
  const reply = await chat(url, "main", `/tool apply_patch ${JSON.stringify({ input })}`);
  expect(reply.status).toBe(200);
  return reply.text ?? "";
}

describe("apply_patch through the agent", () => {
  const running = useGateway({ agents: { main: { workspace: WORKSPACE } } });

  beforeEach(() => {
    for (const entry of readdirSync(WORKSPACE)) rmSync(join(WORKSPACE, entry), { recursive: true });
    writeFileSync(join(WORKSPACE, "app.ts"), "export const port = 80;\nexport const host = 'a';\n");
    writeFileSync(join(WORKSPACE, "notes.md"), "# Notes\nold\n");
    writeFileSync(OUTSIDE, "original\n");
  });

  it("applies a multi-file patch", async () => {
    const text = await applyPatch(
      running.url,
      patch(
        "*** Update File: app.ts",
        "@@",
        "-export const port = 80;",
        "+export const port = 8080;",
        " export const host = 'a';",
        "*** Update File: notes.md",
        "*** Move to: docs/notes.md",
        "@@ # Notes",
        "-old",
        "+new",
        "*** Add File: src/extra.ts",
        "+export {};",
      ),
    );
    expect(text).toMatch(/^Tool apply_patch returned: /);
    expect(JSON.parse(text.replace("Tool apply_patch returned: ", ""))).toEqual({
      added: ["src/extra.ts"],
      updated: ["app.ts"],
      deleted: [],
      moved: [{ from: "notes.md", to: "docs/notes.md" }],
    });
    expect(inWorkspace("app.ts")).toBe("export const port = 8080;\nexport const host = 'a';\n");
    expect(inWorkspace("docs/notes.md")).toBe("# Notes\nnew\n");
    expect(inWorkspace("src/extra.ts")).toBe("export {};\n");
    expect(readdirSync(WORKSPACE).sort()).toEqual(["app.ts", "docs", "src"]);
  });

  it("leaves every file unchanged when one hunk does not apply", async () => {
    const text = await applyPatch(
      running.url,
      patch(
        "*** Update File: app.ts",
        "@@",
        "-export const port = 80;",
        "+export const port = 1;",
        "*** Add File: added.txt",
        "+x",
        "*** Update File: notes.md",
        "@@",
        "-no such line",
        "+y",
      ),
    );
    expect(text).toMatch(/^Tool apply_patch failed: .*hunk 1 of "notes.md" does not apply/);
    expect(inWorkspace("app.ts")).toBe("export const port = 80;\nexport const host = 'a';\n");
    expect(inWorkspace("notes.md")).toBe("# Notes\nold\n");
    expect(readdirSync(WORKSPACE).sort()).toEqual(["app.ts", "notes.md"]);
  });

  it("refuses a path outside the workspace", async () => {
    for (const path of ["../outside.txt", OUTSIDE]) {
      const text = await applyPatch(
        running.url,
        patch(`*** Update File: ${path}`, "@@", "-original", "+pwned"),
      );
      expect(text).toMatch(/^Tool apply_patch failed: /);
      const added = await applyPatch(running.url, patch("*** Add File: ../escaped.txt", "+x"));
      expect(added).toMatch(/^Tool apply_patch failed: /);
    }
    expect(readFileSync(OUTSIDE, "utf8")).toBe("original\n");
    expect(readdirSync(BASE).sort()).toEqual(["outside.txt", "workspace"]);
  });
});
