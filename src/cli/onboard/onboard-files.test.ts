import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { backupConfig, writeConfigFile, writeSecretFile } from "./onboard-files.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "openclaw-onboard-files-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("writeSecretFile", () => {
  it("writes the value alone on a line, mode 0600, in a 0700 directory it creates", async () => {
    const path = join(dir, "state", "secrets", "openai-api-key");
    await writeSecretFile(path, "sk-test-123");
    expect(await readFile(path, "utf8")).toBe("sk-test-123\n");
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, "state", "secrets"))).mode & 0o777).toBe(0o700);
  });

  it("replaces an earlier secret and keeps the mode", async () => {
    const path = join(dir, "secret");
    await writeFile(path, "old\n", { mode: 0o644 });
    await writeSecretFile(path, "new");
    expect(await readFile(path, "utf8")).toBe("new\n");
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });
});

describe("writeConfigFile", () => {
  it("creates a missing file with mode 0600 and no backup", async () => {
    const path = join(dir, "openclaw.json");
    expect(await writeConfigFile(path, "{}\n", { force: false })).toBeUndefined();
    expect(await readFile(path, "utf8")).toBe("{}\n");
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it("refuses to replace an existing file without force, leaving it as it was", async () => {
    const path = join(dir, "openclaw.json");
    await writeFile(path, "// mine\n{}\n");
    await expect(writeConfigFile(path, "{ new: 1 }\n", { force: false })).rejects.toMatchObject({
      code: "OC_ERR_CONFIG_EXISTS",
      hint: expect.stringContaining("--force"),
    });
    expect(await readFile(path, "utf8")).toBe("// mine\n{}\n");
  });

  it("with force, replaces the file and keeps the old one as openclaw.json.bak", async () => {
    const path = join(dir, "openclaw.json");
    await writeFile(path, "// mine\n{}\n");
    const backup = await writeConfigFile(path, "{ new: 1 }\n", { force: true });
    expect(backup).toBe(`${path}.bak`);
    expect(await readFile(`${path}.bak`, "utf8")).toBe("// mine\n{}\n");
    expect(await readFile(path, "utf8")).toBe("{ new: 1 }\n");
  });
});

describe("backupConfig", () => {
  it("keeps five backups, the newest in .bak and the oldest dropped", async () => {
    const path = join(dir, "openclaw.json");
    for (let version = 1; version <= 6; version += 1) {
      await writeFile(path, `v${version}`);
      await backupConfig(path);
    }
    const read = (suffix: string) => readFile(`${path}${suffix}`, "utf8");
    expect(await read(".bak")).toBe("v6");
    expect(await read(".bak.1")).toBe("v5");
    expect(await read(".bak.4")).toBe("v2");
    await expect(stat(`${path}.bak.5`)).rejects.toMatchObject({ code: "ENOENT" });
  });
});
