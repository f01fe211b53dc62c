import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isOpenClawError } from "../errors.js";
import {
  gatewayTokenFingerprint,
  gatewayTokenPath,
  inspectGatewayTokenFile,
  loadOrCreateGatewayToken,
  readGatewayToken,
} from "./gateway-token.js";

const GENERATED = /^[A-Za-z0-9_-]{43}$/;

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}

describe("the generated gateway token", () => {
  let stateDir: string;
  let path: string;

  beforeEach(async () => {
    stateDir = await mkdtemp(join(tmpdir(), "openclaw-token-"));
    path = gatewayTokenPath(stateDir);
  });
  afterEach(() => rm(stateDir, { recursive: true, force: true }));

  it("is created once, owner-only, saved before use, and read back unchanged", async () => {
    const first = await loadOrCreateGatewayToken(stateDir);
    expect(first).toMatchObject({ origin: "created", token: expect.stringMatching(GENERATED) });
    expect((await readFile(path, "utf8")).trim()).toBe(first.token);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await loadOrCreateGatewayToken(stateDir)).toEqual({ token: first.token, origin: "existing" });
    expect(await readGatewayToken(stateDir)).toBe(first.token);
    // No temporary file is left behind.
    expect(await readdir(stateDir)).toEqual(["gateway-token"]);
  });

  it("gives concurrent starts one and the same token", async () => {
    const loads = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateGatewayToken(stateDir)));
    const tokens = new Set(loads.map((load) => load.token));
    expect(tokens.size).toBe(1);
    expect((await readFile(path, "utf8")).trim()).toBe([...tokens][0]);
  });

  it.each([
    ["zero bytes", ""],
    ["a newline", "\n"],
    ["whitespace", "  \t \n"],
    ["NULs (size on disk before data)", "\0".repeat(44)],
  ])("replaces a file of %s, which holds no token, with a new one it saves", async (_what, content) => {
    await writeFile(path, content, { mode: 0o600 });
    expect(await readGatewayToken(stateDir)).toBeUndefined();
    const loaded = await loadOrCreateGatewayToken(stateDir);
    expect(loaded).toMatchObject({ origin: "replaced-empty", token: expect.stringMatching(GENERATED) });
    // The token in use is the token on disk: what `openclaw gateway token` prints.
    expect(await readGatewayToken(stateDir)).toBe(loaded.token);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it.each([
    ["a torn write", "Zk3q0_bV8x1-", /43 characters, this one 12 \(a write cut short\?\)/],
    ["a token too long", "a".repeat(64), /43 characters, this one 64/],
    ["a foreign alphabet", "p@ssw0rd+with/other=chars", /characters a generated token never has/],
    ["two words", "one two", /more than one word/],
    ["binary data", "\u0089PNG\r\n\u001a\n\u0000\u0001", /binary data/],
  ])("refuses %s without touching it, and says how to recover", async (_what, content, reason) => {
    await writeFile(path, content, { mode: 0o600 });
    const before = await readFile(path);
    // One at a time: a second promise made up front would reject unobserved while the first runs.
    for (const attempt of [() => loadOrCreateGatewayToken(stateDir), () => readGatewayToken(stateDir)]) {
      const error = await caught(attempt());
      expect(isOpenClawError(error) && error.code).toBe("OC_ERR_STATE_FILE");
      expect(isOpenClawError(error) && error.message).toContain(path);
      expect(isOpenClawError(error) && error.message).toMatch(reason);
      expect(isOpenClawError(error) && error.hint).toContain(`rm ${path}`);
      expect(isOpenClawError(error) && error.hint).toContain("gateway.auth.token");
    }
    expect(await readFile(path)).toEqual(before);
  });

  it("refuses a token path it cannot read as a file", async () => {
    await mkdir(path);
    expect(await inspectGatewayTokenFile(stateDir)).toMatchObject({ kind: "unreadable", reason: "EISDIR" });
    const error = await caught(loadOrCreateGatewayToken(stateDir));
    expect(isOpenClawError(error) && error.code).toBe("OC_ERR_STATE_FILE");
  });

  it("fingerprints a token without revealing it", () => {
    const token = "Zk3q0_bV8x1-Zk3q0_bV8x1-Zk3q0_bV8x1-Zk3q0_b";
    expect(gatewayTokenFingerprint(token)).toMatch(/^[0-9a-f]{16}$/);
    expect(gatewayTokenFingerprint(token)).not.toBe(gatewayTokenFingerprint(`${token.slice(0, -1)}c`));
  });
});
