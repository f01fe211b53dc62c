import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseConfigText } from "../../config/index.js";
import { buildOnboardConfig, renderOnboardConfig, secretPath } from "./onboard-config.js";
import { applyOnboarding } from "./onboard-flow.js";
import { completePlan, type OnboardPlan } from "./onboard-plan.js";

const basePlan: OnboardPlan = {
  agentId: "main",
  provider: "dev",
  port: 18789,
  bind: "loopback",
  auth: "token",
  start: false,
  force: false,
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "openclaw-onboard-config-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("buildOnboardConfig", () => {
  it("refers to the key by $secret, declared as a file in externalSecrets", () => {
    const plan = completePlan({ ...basePlan, provider: "openai" });
    const apiKey = { name: "openai-api-key", path: "/state/secrets/openai-api-key" };
    const { config } = parseConfigText(
      renderOnboardConfig(buildOnboardConfig({ plan, apiKey }), "/x/openclaw.json"),
      "/x/openclaw.json",
    );
    expect(config.models.providers.openai).toMatchObject({
      type: "openai",
      apiKey: { $secret: "openai-api-key" },
    });
    expect(config.externalSecrets["openai-api-key"]).toEqual({ source: "file", path: apiKey.path });
    expect(config.agents.main?.model).toBe("openai/gpt-4o-mini");
  });

  it("names a custom endpoint's provider 'custom', with its base URL, and binds lan to every interface", () => {
    const plan = completePlan({
      ...basePlan,
      provider: "openai-compatible",
      baseUrl: "http://127.0.0.1:11434/v1",
      model: "qwen3",
      bind: "lan",
    });
    const config = buildOnboardConfig({ plan });
    expect(config).toMatchObject({
      gateway: { host: "0.0.0.0", auth: { mode: "token" } },
      models: { providers: { custom: { type: "openai-compatible", baseUrl: "http://127.0.0.1:11434/v1" } } },
      agents: { main: { model: "custom/qwen3" } },
    });
  });

  it("refuses to render a config the gateway would refuse", () => {
    const config = buildOnboardConfig({ plan: { ...completePlan(basePlan), agentId: "not an id" } });
    expect(() => renderOnboardConfig(config, "/x/openclaw.json")).toThrow(
      expect.objectContaining({ code: "OC_ERR_CONFIG_INVALID" }),
    );
  });
});

describe("completePlan", () => {
  it("asks for the base URL and model of an openai-compatible server", () => {
    expect(() => completePlan({ ...basePlan, provider: "openai-compatible", model: "m" })).toThrow(
      expect.objectContaining({ code: "OC_ERR_USAGE", hint: expect.stringContaining("--base-url") }),
    );
    expect(() =>
      completePlan({ ...basePlan, provider: "openai-compatible", baseUrl: "localhost:11434/v1", model: "m" }),
    ).toThrow(expect.objectContaining({ code: "OC_ERR_USAGE" }));
  });
});

describe("applyOnboarding (without starting)", () => {
  const paths = () => ({ configPath: join(dir, "openclaw.json"), stateDir: join(dir, "state") });
  const quiet = { info: () => undefined };

  it("puts the key in a 0600 file under the state dir and never in the config", async () => {
    const plan = completePlan({ ...basePlan, provider: "anthropic" });
    await applyOnboarding(paths(), { plan, apiKey: "sk-ant-secret-value" }, quiet);
    const keyPath = secretPath(paths().stateDir, "anthropic-api-key");
    expect(await readFile(keyPath, "utf8")).toBe("sk-ant-secret-value\n");
    expect((await stat(keyPath)).mode & 0o777).toBe(0o600);
    const text = await readFile(paths().configPath, "utf8");
    expect(text).not.toContain("sk-ant-secret-value");
    expect(JSON.parse(text).models.providers.anthropic.apiKey).toEqual({ $secret: "anthropic-api-key" });
  });

  it("generates a password into its own secret file in password mode", async () => {
    await applyOnboarding(paths(), { plan: completePlan({ ...basePlan, auth: "password" }) }, quiet);
    const config = JSON.parse(await readFile(paths().configPath, "utf8"));
    expect(config.gateway.auth).toEqual({ mode: "password", password: { $secret: "gateway-password" } });
    const password = await readFile(secretPath(paths().stateDir, "gateway-password"), "utf8");
    expect(password.trim().length).toBeGreaterThanOrEqual(32);
  });

  it("stores a given gateway token in its own secret file, referenced from gateway.auth.token", async () => {
    await applyOnboarding(
      paths(),
      { plan: completePlan(basePlan), gatewayCredential: "given-token-123" },
      quiet,
    );
    const text = await readFile(paths().configPath, "utf8");
    expect(text).not.toContain("given-token-123");
    expect(JSON.parse(text).gateway.auth).toEqual({ mode: "token", token: { $secret: "gateway-token" } });
    expect(await readFile(secretPath(paths().stateDir, "gateway-token"), "utf8")).toBe("given-token-123\n");
  });

  it("writes nothing, not even the secret, when the config exists and force is not given", async () => {
    await writeFile(paths().configPath, "{}\n");
    const plan = completePlan({ ...basePlan, provider: "openai" });
    await expect(applyOnboarding(paths(), { plan, apiKey: "sk-x" }, quiet)).rejects.toMatchObject({
      code: "OC_ERR_CONFIG_EXISTS",
    });
    await expect(readdir(paths().stateDir)).rejects.toMatchObject({ code: "ENOENT" });
    expect(await readFile(paths().configPath, "utf8")).toBe("{}\n");
  });

  it("refuses a provider that needs a key when none was given", async () => {
    const plan = completePlan({ ...basePlan, provider: "openai" });
    await expect(applyOnboarding(paths(), { plan }, quiet)).rejects.toMatchObject({ code: "OC_ERR_USAGE" });
  });
});
