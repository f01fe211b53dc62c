import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { cliCommand } from "./cli-invocation.js";

const PACKAGE_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const LAUNCHER = join(PACKAGE_ROOT, "bin/openclaw.mjs");

describe("cliCommand: the command we print for the user's shell", () => {
  const made: string[] = [];
  const directory = () => {
    const path = mkdtempSync(join(tmpdir(), "openclaw-cli-invocation-"));
    made.push(path);
    return path;
  };
  afterEach(() => {
    for (const path of made.splice(0)) rmSync(path, { recursive: true, force: true });
  });

  it("is `openclaw` when that name on PATH is this package (npm link)", () => {
    const bin = directory();
    symlinkSync(LAUNCHER, join(bin, "openclaw"));
    expect(cliCommand({ PATH: `/nonexistent:${bin}` }, tmpdir())).toBe("openclaw");
  });

  it("is `npx openclaw` in the checkout when `openclaw` is missing or another program", () => {
    const bin = directory();
    writeFileSync(join(bin, "openclaw"), "#!/bin/sh\necho the real OpenClaw\n", { mode: 0o755 });
    expect(cliCommand({ PATH: bin }, PACKAGE_ROOT)).toBe("npx openclaw");
    expect(cliCommand({}, join(PACKAGE_ROOT, "src"))).toBe("npx openclaw");
  });

  it("is the launcher by its path outside the checkout", () => {
    expect(cliCommand({ PATH: "/usr/bin" }, tmpdir())).toBe(`node ${LAUNCHER}`);
  });
});
