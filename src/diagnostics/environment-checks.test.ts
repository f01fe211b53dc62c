import { chmod, mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkNodeVersion, checkStateDir, MIN_NODE_MAJOR } from "./environment-checks.js";
import { statFile } from "./gather-facts.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "openclaw-doctor-env-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;
const uid = process.getuid?.();

describe("checkNodeVersion", () => {
  it("fails a Node.js older than the one the gateway needs", () => {
    expect(checkNodeVersion(`${MIN_NODE_MAJOR}.1.0`)).toMatchObject({
      status: "ok",
      summary: `node ${MIN_NODE_MAJOR}.1.0`,
    });
    const old = checkNodeVersion("20.11.1");
    expect(old.status).toBe("fail");
    expect(old.fix).toContain(`nvm install ${MIN_NODE_MAJOR}`);
  });
});

describe("checkStateDir", () => {
  it("warns about a missing state dir, and its safe fix creates it 0700", async () => {
    const path = join(dir, "state");
    const finding = checkStateDir({ stateDirFile: await statFile(path), uid });
    expect(finding).toMatchObject({ status: "warn", fix: `mkdir -m 700 ${path}` });
    await finding.safeFix?.apply();
    expect(await modeOf(path)).toBe(0o700);
    expect(checkStateDir({ stateDirFile: await statFile(path), uid }).status).toBe("ok");
  });

  it("warns about a state dir other users can read, fixed by chmod 700", async () => {
    const path = join(dir, "open");
    await mkdir(path);
    await chmod(path, 0o755);
    const finding = checkStateDir({ stateDirFile: await statFile(path), uid });
    expect(finding.summary).toContain("has mode 0755");
    await finding.safeFix?.apply();
    expect(await modeOf(path)).toBe(0o700);
  });

  it("fails a state dir that is a file", async () => {
    const path = join(dir, "file");
    await writeFile(path, "");
    expect(checkStateDir({ stateDirFile: await statFile(path), uid }).status).toBe("fail");
  });
});
