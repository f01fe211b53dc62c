import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { keyFromFlags, type OnboardFlags, planFromFlags } from "./onboard-run.js";

const flags = (extra: Partial<OnboardFlags> = {}): OnboardFlags => ({ start: true, ...extra });

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("planFromFlags", () => {
  it("defaults to the dev model on loopback port 18789 with token auth, starting the gateway", () => {
    expect(planFromFlags(flags())).toEqual({
      agentId: "main",
      provider: "dev",
      port: 18789,
      bind: "loopback",
      auth: "token",
      start: true,
      force: false,
    });
  });

  it("takes OpenClaw's spellings: --auth-choice, --custom-base-url, --custom-model-id, --agent-name", () => {
    expect(
      planFromFlags(
        flags({
          authChoice: "custom-api-key",
          customBaseUrl: "http://127.0.0.1:8080/v1",
          customModelId: "my-model",
          agentName: "robby",
        }),
      ),
    ).toMatchObject({
      agentId: "robby",
      provider: "openai-compatible",
      baseUrl: "http://127.0.0.1:8080/v1",
      model: "my-model",
    });
    expect(planFromFlags(flags({ authChoice: "apiKey" })).provider).toBe("anthropic");
  });

  it("refuses an unknown provider, port, bind or auth mode with a usage error", () => {
    for (const bad of [
      { provider: "gemini" },
      { gatewayPort: "70000" },
      { gatewayPort: "http" },
      { gatewayBind: "tailnet" },
      { gatewayAuth: "none" },
    ]) {
      expect(() => planFromFlags(flags(bad)), JSON.stringify(bad)).toThrow(
        expect.objectContaining({ code: "OC_ERR_USAGE" }),
      );
    }
  });
});

describe("keyFromFlags", () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it("reads --api-key-file without its trailing newline", async () => {
    dir = await mkdtemp(join(tmpdir(), "openclaw-onboard-key-"));
    const path = join(dir, "key");
    await writeFile(path, "sk-from-file\n");
    const given = flags({ provider: "openai", apiKeyFile: path });
    expect(await keyFromFlags(given, planFromFlags(given))).toBe("sk-from-file");
  });

  it("reads --api-key-env, and the provider's own variable when neither flag is given", async () => {
    vi.stubEnv("MY_KEY", "sk-from-env");
    vi.stubEnv("OPENAI_API_KEY", "sk-openai-default");
    const named = flags({ provider: "openai", apiKeyEnv: "MY_KEY" });
    expect(await keyFromFlags(named, planFromFlags(named))).toBe("sk-from-env");
    const plain = flags({ provider: "openai" });
    expect(await keyFromFlags(plain, planFromFlags(plain))).toBe("sk-openai-default");
  });

  it("refuses an unset --api-key-env, an unreadable file, and both flags at once", async () => {
    vi.stubEnv("UNSET_KEY", "");
    const cases = [
      flags({ provider: "openai", apiKeyEnv: "UNSET_KEY" }),
      flags({ provider: "openai", apiKeyFile: "/nonexistent/key" }),
      flags({ provider: "openai", apiKeyFile: "/x", apiKeyEnv: "MY_KEY" }),
    ];
    for (const given of cases) {
      await expect(keyFromFlags(given, planFromFlags(given))).rejects.toMatchObject({ code: "OC_ERR_USAGE" });
    }
  });
});
