import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeSecretSource, readSecretSource } from "./sources.js";

describe("readSecretSource", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "openclaw-sources-"));
    await writeFile(join(dir, "token"), "file-value\n", { mode: 0o600 });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("dispatches on the declared source", async () => {
    const env = { PATH: process.env.PATH, MY_KEY: "env-value" };
    await expect(readSecretSource("a", { source: "env", key: "MY_KEY" }, { env })).resolves.toBe("env-value");
    await expect(readSecretSource("b", { source: "file", path: "token" }, { configDir: dir })).resolves.toBe(
      "file-value",
    );
    await expect(
      readSecretSource(
        "c",
        { source: "exec", command: ["sh", "-c", 'printf "%s" "$MY_KEY"'] },
        {
          env,
          execEnvAllowList: ["MY_KEY"],
        },
      ),
    ).resolves.toBe("env-value");
  });

  it("reads env secrets from process.env by default", async () => {
    await expect(
      readSecretSource("d", { source: "env", key: "OPENCLAW_TEST_UNSET_VARIABLE" }),
    ).rejects.toMatchObject({
      code: "OC_ERR_SECRET_UNAVAILABLE",
    });
  });

  it("describes a source by its variable, resolved path or program, never its value", () => {
    expect(describeSecretSource({ source: "env", key: "MY_KEY" }, dir)).toBe("MY_KEY");
    expect(describeSecretSource({ source: "file", path: "token" }, dir)).toBe(join(dir, "token"));
    expect(describeSecretSource({ source: "exec", command: ["op", "read", "op://vault/key"] }, dir)).toBe(
      "op",
    );
  });
});
