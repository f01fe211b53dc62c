import { chmod, copyFile, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { getConfigValue, setConfigValueInFile } from "./edit.js";
import { loadConfigFile } from "./load.js";
import { redactCredentials } from "./redact.js";
import { ConfigSchema } from "./schema.js";

const SEED_DIR = resolve(import.meta.dirname, "../../test/fixtures/seed");
const posixModes = process.platform !== "win32";

describe("getConfigValue", () => {
  const config = ConfigSchema.parse({ agents: { "data-collector": { tools: ["exec", "files"] } } });

  it("reads dotted paths, indexes and declared-but-unset keys", () => {
    expect(getConfigValue(config, "gateway.port")).toBe(18789);
    expect(getConfigValue(config, "agents.data-collector.tools[1]")).toBe("files");
    expect(getConfigValue(config, "agents.data-collector.tools.0")).toBe("exec");
    expect(getConfigValue(config, "agents.defaults")).toBeUndefined();
  });

  it("refuses an unknown path with the nearest valid one", () => {
    expect(() => getConfigValue(config, "gateway.prot")).toThrow(/did you mean "gateway\.port"/);
    expect(() => getConfigValue(config, "agents.data-colector")).toThrow(
      /did you mean "agents\.data-collector"/,
    );
    expect(() => getConfigValue(config, "gateway.port.x")).toThrow(
      expect.objectContaining({ code: "OC_ERR_CONFIG_PATH" }),
    );
    expect(() => getConfigValue(config, "gateway..port")).toThrow(
      expect.objectContaining({ code: "OC_ERR_CONFIG_PATH" }),
    );
  });
});

describe("redactCredentials", () => {
  it("hides every header value and every sandbox env value, whatever their names", () => {
    const config = {
      models: {
        providers: {
          x: { headers: { "Proxy-Authorization": "Basic abc", "X-Custom-Token": "t0k", "X-Team": "blue" } },
        },
      },
      agents: { main: { sandbox: { docker: { env: { SERVICE_URL: "https://u:p@h", DEBUG: "1" } } } } },
    };
    expect(redactCredentials(config, "")).toEqual({
      models: {
        providers: {
          x: {
            headers: {
              "Proxy-Authorization": "[redacted]",
              "X-Custom-Token": "[redacted]",
              "X-Team": "[redacted]",
            },
          },
        },
      },
      agents: { main: { sandbox: { docker: { env: { SERVICE_URL: "[redacted]", DEBUG: "[redacted]" } } } } },
    });
    // Asked for directly, by any spelling of the path.
    expect(redactCredentials("Basic abc", 'models.providers.x.headers["Proxy-Authorization"]')).toBe(
      "[redacted]",
    );
    expect(redactCredentials({ "X-Custom-Token": "t0k" }, "models.providers.x.headers")).toEqual({
      "X-Custom-Token": "[redacted]",
    });
  });

  it("shows readers without admin only the kind of each external secret", () => {
    const secrets = {
      externalSecrets: {
        a: { source: "file", path: "/etc/openclaw/secrets/a.key" },
        b: { source: "exec", command: ["vault", "read", "-field=key", "kv/b"] },
        c: { source: "env", key: "C_KEY" },
      },
    };
    expect(redactCredentials(secrets, "", { hideSecretSources: true })).toEqual({
      externalSecrets: { a: { source: "file" }, b: { source: "exec" }, c: { source: "env" } },
    });
    expect(redactCredentials(secrets, "")).toEqual(secrets);
  });

  it("hides plaintext credentials and keeps secret references visible", () => {
    const providers = {
      openai: { apiKey: "sk-live", headers: { Authorization: "Bearer t", "x-api-key": "k", accept: "json" } },
      anthropic: { apiKey: { $secret: "claude-api-key" } },
      custom: { clientSecret: "s", password: "p", token: "t" },
    };
    expect(redactCredentials(providers, "models.providers")).toEqual({
      openai: {
        apiKey: "[redacted]",
        // Every header: a name says nothing about what a value holds.
        headers: { Authorization: "[redacted]", "x-api-key": "[redacted]", accept: "[redacted]" },
      },
      anthropic: { apiKey: { $secret: "claude-api-key" } },
      custom: { clientSecret: "[redacted]", password: "[redacted]", token: "[redacted]" },
    });
    expect(redactCredentials("sk-live", "models.providers.openai.apiKey")).toBe("[redacted]");
    expect(redactCredentials({ source: "env", key: "CLAUDE_API_KEY" }, "externalSecrets.a")).toEqual({
      source: "env",
      key: "CLAUDE_API_KEY",
    });
  });
});

describe("setConfigValueInFile", () => {
  let dir: string;
  let path: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "openclaw-edit-"));
    path = join(dir, "openclaw.json");
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("replaces a value and inserts new keys, keeping comments and formatting", async () => {
    await writeFile(
      path,
      `{\n  // keep this comment\n  gateway: { port: 18789 }, // and this one\n  agents: {\n    main: { tools: ["exec"] },\n  },\n}\n`,
    );
    await setConfigValueInFile(path, "gateway.port", "18790");
    await setConfigValueInFile(path, "gateway.host", "0.0.0.0");
    await setConfigValueInFile(path, "agents.main.tools[1]", "read");
    await setConfigValueInFile(path, "agents.main.sandbox.docker.binds", '["/a:/a:ro"]');
    await setConfigValueInFile(path, "logging.level", '"debug"');
    expect(await readFile(path, "utf8")).toBe(
      `{\n  // keep this comment\n  gateway: { port: 18790, host: "0.0.0.0" }, // and this one\n  agents: {\n    main: { tools: ["exec", "read"], sandbox: { docker: { binds: ["/a:/a:ro"] } } },\n  },\n  logging: {\n    level: "debug"\n  },\n}\n`,
    );
    const loaded = await loadConfigFile(path);
    expect(getConfigValue(loaded.config, "gateway.port")).toBe(18790);
    expect(getConfigValue(loaded.config, "agents.main.sandbox.docker.binds")).toEqual(["/a:/a:ro"]);
  });

  it("edits a path that lives under a top-level dotted key in that key's object", async () => {
    await copyFile(join(SEED_DIR, "5.1-research-corps.json"), path);
    await setConfigValueInFile(path, "agents.defaults.sandbox.docker.enabled", "false");
    await setConfigValueInFile(path, "agents.defaults.sandbox.docker.image", "node:24");
    const text = await readFile(path, "utf8");
    expect(text).toContain(`"agents.defaults.sandbox": {\n"docker": {\n"enabled": false,`);
    expect(text).toContain(
      `"/root/.openclaw/workspace:/root/.openclaw/workspace"\n],\n"image": "node:24"\n}\n}\n}`,
    );
    expect(text.match(/"defaults"/g)).toBeNull();
    const loaded = await loadConfigFile(path);
    expect(loaded.config.agents.defaults?.sandbox?.docker).toMatchObject({
      enabled: false,
      image: "node:24",
    });
  });

  it("refuses an invalid value without touching the file", async () => {
    const original = `{\n  // comment\n  gateway: { port: 18789 },\n}\n`;
    await writeFile(path, original);
    const before = await stat(path);
    const error = await setConfigValueInFile(path, "gateway.port", "99999").catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({
      code: "OC_ERR_CONFIG_INVALID",
      details: { issues: [{ path: "gateway.port", line: 3 }] },
    });
    await expect(setConfigValueInFile(path, "agents.main.thredBound", "true")).rejects.toThrow(
      /did you mean "threadBound"/,
    );
    await expect(setConfigValueInFile(path, "gateway.port.deeper", "1")).rejects.toMatchObject({
      code: "OC_ERR_CONFIG_PATH",
    });
    expect(await readFile(path, "utf8")).toBe(original);
    expect((await stat(path)).mtimeMs).toBe(before.mtimeMs);
    expect(await readdir(dir)).toEqual(["openclaw.json"]);
  });

  it("fills empty objects and files in the surrounding style", async () => {
    await writeFile(path, `{\n  logging: {},\n  agents: {\n    // none yet\n  },\n}\n`);
    await setConfigValueInFile(path, "logging.level", "warn");
    await setConfigValueInFile(path, "agents.main", "{ threadBound: true }");
    expect(await readFile(path, "utf8")).toBe(
      `{\n  logging: { level: "warn" },\n  agents: {\n    // none yet\n    main: {\n      threadBound: true\n    }\n  },\n}\n`,
    );
    await writeFile(path, "  \n");
    await setConfigValueInFile(path, "gateway.port", "18790");
    expect(JSON.parse(await readFile(path, "utf8"))).toEqual({ gateway: { port: 18790 } });
  });

  it("refuses to edit a file with a syntax error", async () => {
    await writeFile(path, "{ gateway: { port: 1, }");
    await expect(setConfigValueInFile(path, "gateway.port", "2")).rejects.toMatchObject({
      code: "OC_ERR_CONFIG_PARSE",
    });
  });

  it("creates a missing file and directory privately, and keeps an existing file's mode", async () => {
    const nested = join(dir, "state", "openclaw.json");
    await setConfigValueInFile(nested, "gateway.host", "0.0.0.0");
    expect(JSON.parse(await readFile(nested, "utf8"))).toEqual({ gateway: { host: "0.0.0.0" } });
    await writeFile(path, "{}\n");
    await chmod(path, 0o640);
    await setConfigValueInFile(path, "gateway.port", "1234");
    if (posixModes) {
      expect((await stat(nested)).mode & 0o777).toBe(0o600);
      expect((await stat(join(dir, "state"))).mode & 0o777).toBe(0o700);
      expect((await stat(path)).mode & 0o777).toBe(0o640);
    }
  });
});
