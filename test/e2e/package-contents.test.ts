import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./harness.js";

const run = promisify(execFile);

describe("the published package", () => {
  it("holds the built gateway and no test code: no fakes, no testing helpers, no test files", async () => {
    // Packs nothing: --dry-run lists what `npm publish` would send.
    const { stdout } = await run("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
      cwd: REPO_ROOT,
      maxBuffer: 16 * 1024 * 1024,
    });
    const [packed] = JSON.parse(stdout) as [{ files: { path: string }[] }];
    const paths = packed.files.map((file) => file.path);
    expect(paths).toContain("dist/cli/main.js");
    expect(paths).toContain("bin/openclaw.mjs");
    // tsc's incremental build info (npm start) is a checkout's, not the package's.
    expect(paths).not.toContain("dist/.tsbuildinfo");
    expect(
      paths.filter((path) => /(^|\/)(testing|conformance|contract)\/|\.test\.|^test\//.test(path)),
    ).toEqual([]);
  }, 60_000);
});
