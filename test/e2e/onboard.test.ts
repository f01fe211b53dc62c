import { spawn } from "node:child_process";
import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FakeAnthropicServer } from "../../src/models/testing/fake-anthropic-server.js";
import { FakeOpenAIServer } from "../../src/models/testing/fake-openai-server.js";
import { CLI_MAIN, REPO_ROOT, runCli, type TempHome, tempHome } from "./harness.js";
import { KEY_DOWN, KEY_ENTER, startPromptedCli } from "./prompt-driver.js";

/** The URL `onboard` printed for the gateway it started. */
function startedUrl(stdout: string): string {
  const match = /gateway started \(pid \d+\) at (http:\/\/\S+)/.exec(stdout);
  if (!match?.[1]) throw new Error(`no "gateway started" line in:\n${stdout}`);
  return match[1];
}

/** A chat turn with the token `openclaw gateway token` prints: what onboard tells users to run. */
async function chatWithPrintedToken(home: TempHome, url: string, content: string): Promise<string> {
  const printed = await runCli(["gateway", "token"], home.env);
  expect(printed.code).toBe(0);
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${printed.stdout.trim()}` },
    body: JSON.stringify({ model: "openclaw/main", messages: [{ role: "user", content }] }),
    signal: AbortSignal.timeout(20_000),
  });
  const body = (await response.json()) as { choices?: { message: { content: string } }[] };
  expect(response.status, JSON.stringify(body)).toBe(200);
  return body.choices?.[0]?.message.content ?? "";
}

const NON_INTERACTIVE = ["onboard", "--non-interactive", "--accept-risk", "--gateway-port", "0"];

const homes: TempHome[] = [];
async function freshHome(): Promise<TempHome> {
  // No config file: onboarding writes it (tempHome points OPENCLAW_CONFIG_PATH at it).
  const home = await tempHome();
  homes.push(home);
  return home;
}
afterEach(async () => {
  for (const home of homes.splice(0)) {
    await runCli(["gateway", "stop"], home.env);
    await home.cleanup();
  }
});

describe("openclaw onboard --non-interactive", () => {
  it("with the dev model: writes a config, starts the gateway, and it answers a chat turn", async () => {
    const home = await freshHome();
    const result = await runCli(NON_INTERACTIVE, home.env, 60_000);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`config: wrote ${home.configPath}`);
    expect(result.stdout).toContain("openclaw gateway token");
    const config = JSON.parse(await readFile(home.configPath, "utf8"));
    expect(config.agents.main.model).toBe("dev/echo");
    expect(config.gateway.auth).toEqual({ mode: "token" });
    expect(await chatWithPrintedToken(home, startedUrl(result.stdout), "hello onboard")).toBe(
      "You said: hello onboard",
    );
  });

  it("refuses to replace an existing config without --force; with it, keeps a backup", async () => {
    const home = await freshHome();
    await writeFile(home.configPath, "// hand-written\n{ gateway: { port: 18790 } }\n");
    const refused = await runCli([...NON_INTERACTIVE, "--no-start"], home.env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("[OC_ERR_CONFIG_EXISTS]");
    expect(refused.stderr).toContain("--force");
    expect(await readFile(home.configPath, "utf8")).toBe("// hand-written\n{ gateway: { port: 18790 } }\n");

    const forced = await runCli([...NON_INTERACTIVE, "--no-start", "--force"], home.env);
    expect(forced.code, forced.stderr).toBe(0);
    expect(await readFile(`${home.configPath}.bak`, "utf8")).toContain("hand-written");
    expect(JSON.parse(await readFile(home.configPath, "utf8")).agents.main.model).toBe("dev/echo");
    expect(forced.stdout).not.toContain("gateway started");
  });

  it("--gateway-auth password --json: the generated password, read from its 0600 file, lets a client in", async () => {
    const home = await freshHome();
    const result = await runCli(
      [...NON_INTERACTIVE, "--gateway-auth", "password", "--json"],
      home.env,
      60_000,
    );
    expect(result.code, result.stderr).toBe(0);
    const passwordFile = join(home.stateDir, "secrets", "gateway-password");
    // stdout is the summary alone; the lines for people went to stderr.
    const summary = JSON.parse(result.stdout);
    expect(summary).toEqual({
      configPath: home.configPath,
      backupPath: null,
      secrets: [{ name: "gateway-password", path: passwordFile }],
      gateway: { url: startedUrl(result.stderr), alreadyRunning: false },
    });
    expect(result.stderr).toContain(`password: in ${passwordFile}`);
    expect((await stat(passwordFile)).mode & 0o777).toBe(0o600);
    const password = (await readFile(passwordFile, "utf8")).trim();
    expect(await readFile(home.configPath, "utf8")).not.toContain(password);
    expect(result.stdout + result.stderr).not.toContain(password);
    const status = (authorization?: string) =>
      fetch(`${summary.gateway.url}/__openclaw__/status`, {
        headers: authorization ? { authorization } : {},
      });
    expect((await status()).status).toBe(401);
    expect((await status(`Bearer ${password}`)).status).toBe(200);
  });

  it("requires --accept-risk, as OpenClaw does", async () => {
    const home = await freshHome();
    const result = await runCli(["onboard", "--non-interactive"], home.env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--accept-risk");
    await expect(stat(home.configPath)).rejects.toMatchObject({ code: "ENOENT" });
  });
});

describe("openclaw onboard, interactive", () => {
  it("asks before replacing an existing config; No (the default) cancels and leaves it", async () => {
    const home = await freshHome();
    await writeFile(home.configPath, "{ gateway: { port: 18790 } }\n");
    const cli = startPromptedCli(["onboard"], home.env);
    await cli.answer("Continue?", KEY_ENTER);
    await cli.answer("exists. Replace it", KEY_ENTER);
    expect(await cli.exited).toBe(2);
    expect(cli.stdout()).toContain("onboarding cancelled: nothing was written");
    expect(await readFile(home.configPath, "utf8")).toBe("{ gateway: { port: 18790 } }\n");
    await expect(stat(home.stateDir)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("Yes to the replace question: the old config is kept as openclaw.json.bak", async () => {
    const home = await freshHome();
    await writeFile(home.configPath, "{ gateway: { port: 18790 } }\n");
    const cli = startPromptedCli(["onboard"], home.env);
    await cli.answer("Continue?", KEY_ENTER);
    await cli.answer("exists. Replace it", `y${KEY_ENTER}`);
    await cli.answer("Model provider", KEY_ENTER);
    await cli.answer("Gateway port", `0${KEY_ENTER}`);
    await cli.answer("Listen on", KEY_ENTER);
    await cli.answer("Client authentication", KEY_ENTER);
    await cli.answer("Start the gateway now?", `n${KEY_ENTER}`);
    expect(await cli.exited, cli.stderr()).toBe(0);
    expect(await readFile(`${home.configPath}.bak`, "utf8")).toBe("{ gateway: { port: 18790 } }\n");
    expect(JSON.parse(await readFile(home.configPath, "utf8")).agents.main.model).toBe("dev/echo");
    expect(cli.stdout()).toContain("start the gateway with `openclaw gateway start`");
  });

  it("says so, exit 2 and nothing written, when its input ends before the answers", async () => {
    const home = await freshHome();
    const child = spawn(process.execPath, [CLI_MAIN, "onboard"], {
      env: home.env,
      cwd: REPO_ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (data) => {
      stderr += data;
    });
    child.stdout.resume();
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(2);
    expect(stderr).toContain("the input ended before onboarding's questions were answered");
    await expect(stat(home.configPath)).rejects.toMatchObject({ code: "ENOENT" });
  });
});

describe("openclaw onboard with an OpenAI-compatible provider", () => {
  const key = "sk-onboard-e2e-0123456789abcdef";
  let provider: FakeOpenAIServer;
  let baseUrl: string;
  beforeAll(async () => {
    provider = new FakeOpenAIServer({ apiKey: key });
    ({ baseUrl } = await provider.start());
  });
  afterAll(async () => {
    await provider?.close();
  });

  /** The key is in a 0600 file under the state dir; the config names it and never holds it. */
  async function expectKeyStoredAsSecret(home: TempHome, printed: string): Promise<void> {
    const secretFile = join(home.stateDir, "secrets", "custom-api-key");
    expect(await readFile(secretFile, "utf8")).toBe(`${key}\n`);
    expect((await stat(secretFile)).mode & 0o777).toBe(0o600);
    const text = await readFile(home.configPath, "utf8");
    expect(text).not.toContain(key);
    const config = JSON.parse(text);
    expect(config.models.providers.custom).toEqual({
      type: "openai-compatible",
      baseUrl,
      apiKey: { $secret: "custom-api-key" },
    });
    expect(config.externalSecrets["custom-api-key"]).toEqual({ source: "file", path: secretFile });
    expect(printed).not.toContain(key);
  }

  it("--api-key-file: the key reaches the provider from its secret file", async () => {
    const home = await freshHome();
    const keyFile = join(home.dir, "provider.key");
    await writeFile(keyFile, `${key}\n`, { mode: 0o600 });
    const result = await runCli(
      [
        ...NON_INTERACTIVE,
        "--provider",
        "openai-compatible",
        "--base-url",
        baseUrl,
        "--model",
        "fake-large",
        "--api-key-file",
        keyFile,
      ],
      home.env,
      60_000,
    );
    expect(result.code, result.stderr).toBe(0);
    await expectKeyStoredAsSecret(home, result.stdout + result.stderr);
    const before = provider.requests.length;
    expect(await chatWithPrintedToken(home, startedUrl(result.stdout), "via the fake")).toBe(
      "You said: via the fake",
    );
    const reached = provider.requests.slice(before);
    expect(reached).toHaveLength(1);
    expect(reached[0]?.headers.authorization).toBe(`Bearer ${key}`);
    expect((reached[0]?.body as { model: string }).model).toBe("fake-large");
  });

  it("interactive, through piped stdin: each prompt answered, ending with a running gateway", async () => {
    const home = await freshHome();
    const cli = startPromptedCli(["onboard"], home.env);
    await cli.answer("Continue?", KEY_ENTER);
    await cli.answer("Model provider", `${KEY_DOWN}${KEY_DOWN}${KEY_DOWN}${KEY_ENTER}`);
    await cli.answer("Server URL", `${baseUrl}${KEY_ENTER}`);
    await cli.answer("Model id", `fake-small${KEY_ENTER}`);
    await cli.answer("API key", `${key}${KEY_ENTER}`);
    await cli.answer("Gateway port", `0${KEY_ENTER}`);
    await cli.answer("Listen on", KEY_ENTER);
    await cli.answer("Client authentication", KEY_ENTER);
    await cli.answer("Start the gateway now?", KEY_ENTER);
    expect(await cli.exited, cli.stderr()).toBe(0);
    const stdout = cli.stdout();

    await expectKeyStoredAsSecret(home, stdout + cli.stderr());
    const config = JSON.parse(await readFile(home.configPath, "utf8"));
    expect(config.gateway).toEqual({ host: "127.0.0.1", port: 0, auth: { mode: "token" } });
    expect(config.agents.main.model).toBe("custom/fake-small");
    const before = provider.requests.length;
    expect(await chatWithPrintedToken(home, startedUrl(stdout), "typed in")).toBe("You said: typed in");
    expect(provider.requests.slice(before)[0]?.headers.authorization).toBe(`Bearer ${key}`);
  });
});

describe("openclaw onboard with Anthropic", () => {
  const key = "sk-ant-onboard-e2e-fedcba9876543210";
  let provider: FakeAnthropicServer;
  let baseUrl: string;
  beforeAll(async () => {
    provider = new FakeAnthropicServer({ apiKey: key });
    ({ baseUrl } = await provider.start());
  });
  afterAll(async () => {
    await provider?.close();
  });

  it("copies the variable's key into the secret file, and the provider gets it as x-api-key", async () => {
    const home = await freshHome();
    home.env.ONBOARD_E2E_KEY = key;
    const result = await runCli(
      [
        ...NON_INTERACTIVE,
        "--provider",
        "anthropic",
        "--base-url",
        baseUrl,
        "--api-key-env",
        "ONBOARD_E2E_KEY",
      ],
      home.env,
      60_000,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout + result.stderr).not.toContain(key);
    const config = JSON.parse(await readFile(home.configPath, "utf8"));
    expect(config.models.providers.anthropic.apiKey).toEqual({ $secret: "anthropic-api-key" });
    expect(config.agents.main.model).toBe("anthropic/claude-sonnet-4-5");
    // Copied, not referenced: a gateway started later from a shell without the variable still has it.
    expect(await readFile(join(home.stateDir, "secrets", "anthropic-api-key"), "utf8")).toBe(`${key}\n`);
    expect(await chatWithPrintedToken(home, startedUrl(result.stdout), "hi claude")).toBe(
      "You said: hi claude",
    );
    expect(provider.lastRequest?.headers["x-api-key"]).toBe(key);
  });

  it("runs OpenClaw's documented flags (docs/start/wizard-cli-automation.md), pointed at the fake", async () => {
    const home = await freshHome();
    // --skip-health without --install-daemon: OpenClaw writes the config and starts nothing.
    const result = await runCli(
      [
        ...["onboard", "--non-interactive", "--accept-risk", "--skip-health", "--mode", "local"],
        ...["--auth-choice", "apiKey", "--anthropic-api-key", key, "--gateway-bind", "loopback"],
        ...["--skip-bootstrap", "--gateway-port", "0", "--base-url", baseUrl],
      ],
      home.env,
      60_000,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("note: --skip-bootstrap: not supported here; ignored");
    expect(result.stdout).toContain("start the gateway with `openclaw gateway start`");
    expect(result.stdout + result.stderr).not.toContain(key);
    expect(await readFile(home.configPath, "utf8")).not.toContain(key);

    const started = await runCli(["gateway", "start"], home.env, 60_000);
    expect(started.code, started.stderr).toBe(0);
    expect(await chatWithPrintedToken(home, startedUrl(started.stdout), "from a script")).toBe(
      "You said: from a script",
    );
    expect(provider.lastRequest?.headers["x-api-key"]).toBe(key);
  });
});
