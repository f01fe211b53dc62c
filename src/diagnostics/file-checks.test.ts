import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { gatewayTokenFingerprint, inspectGatewayTokenFile } from "../auth/index.js";
import { ConfigSchema } from "../config/index.js";
import { checkGatewayToken, checkSecretFiles } from "./file-checks.js";
import { statFile } from "./gather-facts.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "openclaw-doctor-files-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;
const uid = process.getuid?.();

describe("checkSecretFiles", () => {
  it("fails a readable secret file and its safe fix makes it 0600", async () => {
    const path = join(dir, "openai.key");
    await writeFile(path, "sk-test\n", { mode: 0o644 });
    const [finding] = checkSecretFiles([{ label: 'secret "openai"', ...(await statFile(path)) }], uid);
    expect(finding).toMatchObject({
      id: "secret-file-permissions",
      status: "fail",
      summary: `secret "openai" ${path} has mode 0644: other users can read it`,
      fix: `chmod 600 ${path}`,
      subject: path,
    });
    await finding?.safeFix?.apply();
    expect(await modeOf(path)).toBe(0o600);
    expect(checkSecretFiles([{ label: "x", ...(await statFile(path)) }], uid)[0]?.status).toBe("ok");
  });

  it("offers no safe fix for another user's file", async () => {
    const path = join(dir, "theirs.key");
    await writeFile(path, "v", { mode: 0o640 });
    const fact = { label: "TLS key", ...(await statFile(path)) };
    const [finding] = checkSecretFiles([fact], (fact.uid ?? 0) + 1);
    expect(finding?.status).toBe("fail");
    expect(finding?.safeFix).toBeUndefined();
    expect(finding?.fix).toMatch(/^as its owner/);
  });

  it("says nothing about files that do not exist", async () => {
    expect(
      checkSecretFiles([{ label: "gateway token", path: join(dir, "none"), exists: false }], uid),
    ).toEqual([]);
  });
});

describe("checkGatewayToken", () => {
  const tokenMode = ConfigSchema.parse({});
  const tokenFact = async () => {
    const file = await inspectGatewayTokenFile(dir);
    return {
      path: file.path,
      kind: file.kind,
      ...("reason" in file ? { reason: file.reason } : {}),
      ...(file.kind === "valid" ? { fingerprint: gatewayTokenFingerprint(file.token) } : {}),
    };
  };
  const running = (tokenFingerprint?: string) => ({
    state: "running" as const,
    url: "http://127.0.0.1:1",
    pid: 2,
    agents: [],
    refusals: {},
    ...(tokenFingerprint ? { tokenFingerprint } : {}),
  });

  it("generates a missing token (0600) before the first start", async () => {
    const path = join(dir, "gateway-token");
    const [finding] = checkGatewayToken(tokenMode, await tokenFact(), { state: "stopped" }, dir);
    expect(finding?.status).toBe("warn");
    await finding?.safeFix?.apply();
    expect(await modeOf(path)).toBe(0o600);
    expect((await readFile(path, "utf8")).trim()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(checkGatewayToken(tokenMode, await tokenFact(), { state: "stopped" }, dir)[0]?.status).toBe("ok");
  });

  it("reports an empty token file, and its safe fix saves a new token", async () => {
    const path = join(dir, "gateway-token");
    await writeFile(path, "", { mode: 0o600 });
    const [finding] = checkGatewayToken(tokenMode, await tokenFact(), { state: "stopped" }, dir);
    expect(finding).toMatchObject({ status: "warn", summary: expect.stringContaining(`${path} is empty`) });
    await finding?.safeFix?.apply();
    expect((await readFile(path, "utf8")).trim()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(checkGatewayToken(tokenMode, await tokenFact(), { state: "stopped" }, dir)[0]?.status).toBe("ok");
  });

  it("fails an empty token file under a running gateway, without touching it", async () => {
    await writeFile(join(dir, "gateway-token"), "");
    const [finding] = checkGatewayToken(tokenMode, await tokenFact(), running("0123456789abcdef"), dir);
    expect(finding).toMatchObject({ status: "fail", fix: expect.stringContaining("openclaw gateway stop") });
    expect(finding?.safeFix).toBeUndefined();
  });

  it("fails a malformed token file and never offers to replace it", async () => {
    const path = join(dir, "gateway-token");
    await writeFile(path, "half-a-tok");
    const [finding] = checkGatewayToken(tokenMode, await tokenFact(), { state: "stopped" }, dir);
    expect(finding).toMatchObject({
      status: "fail",
      summary: expect.stringMatching(/does not hold a generated token: .*43 characters/),
      fix: expect.stringContaining(`rm ${path}`),
    });
    expect(finding?.safeFix).toBeUndefined();
  });

  it("fails when the running gateway accepts another token than the file's", async () => {
    await writeFile(join(dir, "gateway-token"), `${"a".repeat(43)}\n`);
    const fact = await tokenFact();
    expect(checkGatewayToken(tokenMode, fact, running(fact.fingerprint), dir)[0]?.status).toBe("ok");
    const [finding] = checkGatewayToken(tokenMode, fact, running("0123456789abcdef"), dir);
    expect(finding).toMatchObject({ status: "fail", summary: expect.stringContaining("another token") });
  });

  it("does not regenerate it under a running gateway, which keeps the old one", async () => {
    const [finding] = checkGatewayToken(
      tokenMode,
      await tokenFact(),
      { state: "unresponsive", url: "http://127.0.0.1:1", pid: 1, error: "x" },
      dir,
    );
    expect(finding?.safeFix).toBeUndefined();
    expect(finding?.fix).toContain("openclaw gateway stop && openclaw gateway start");
  });

  it("is silent for a configured token or another mode", async () => {
    const missing = await tokenFact();
    expect(
      checkGatewayToken(
        ConfigSchema.parse({ gateway: { auth: { token: "t" } } }),
        missing,
        { state: "stopped" },
        dir,
      ),
    ).toEqual([]);
    expect(
      checkGatewayToken(
        ConfigSchema.parse({ gateway: { auth: { mode: "none" } } }),
        missing,
        { state: "stopped" },
        dir,
      ),
    ).toEqual([]);
  });
});
