import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OpenClawError } from "../errors.js";
import type { ConfigIssue } from "./config-issues.js";
import { getConfigValue } from "./edit.js";
import { loadConfigFile, parseConfigText } from "./load.js";

const SEED_DIR = resolve(import.meta.dirname, "../../test/fixtures/seed");
const FILE = "/etc/openclaw/openclaw.json";

function failure(text: string): OpenClawError {
  try {
    parseConfigText(text, FILE);
  } catch (error) {
    if (error instanceof OpenClawError) return error;
    throw error;
  }
  throw new Error("expected the config to be rejected");
}

describe("seed examples", () => {
  it("loads every seed example verbatim", async () => {
    const files = (await readdir(SEED_DIR)).filter((name) => name.endsWith(".json"));
    expect(files).toHaveLength(4);
    for (const file of files) {
      const loaded = await loadConfigFile(join(SEED_DIR, file));
      expect(loaded.exists, file).toBe(true);
    }
  });

  it("reaches the 5.1 example's dotted-key binds at the nested path", async () => {
    const loaded = await loadConfigFile(join(SEED_DIR, "5.1-research-corps.json"));
    expect(getConfigValue(loaded.config, "agents.defaults.sandbox.docker.binds")).toEqual([
      "/root/.openclaw/workspace:/root/.openclaw/workspace",
    ]);
    expect(loaded.config.gateway).toMatchObject({ host: "0.0.0.0", port: 18789 });
    expect(loaded.raw).toHaveProperty(["agents.defaults.sandbox"]);
  });

  it("keeps the 1.2 example's comment and makes my-subagent thread-bound", async () => {
    const path = join(SEED_DIR, "1.2-thread-bound-subagent.json");
    expect(await readFile(path, "utf8")).toContain("// 啟用執緒綁定");
    const loaded = await loadConfigFile(path);
    expect(loaded.config.agents["my-subagent"]).toEqual({ runtime: "subagent", threadBound: true });
  });
});

interface BadConfig {
  name: string;
  text: string;
  path: string;
  line: number;
  suggestion?: string;
  message?: RegExp;
}

const INVALID: BadConfig[] = [
  {
    name: "typo'd key",
    text: `{\n  agents: {\n    main: { thredBound: true },\n  },\n}`,
    path: "agents.main.thredBound",
    line: 3,
    suggestion: "threadBound",
  },
  {
    name: "wrong type",
    text: `{\n  gateway: {\n    port: "eighty",\n  },\n}`,
    path: "gateway.port",
    line: 3,
    message: /expected number, got "eighty"/,
  },
  {
    name: "port out of range",
    text: `{ gateway: {\n  host: "0.0.0.0",\n  port: 99999 } }`,
    path: "gateway.port",
    line: 3,
    message: /<=65535, got 99999/,
  },
  {
    name: "unknown provider type",
    text: `{\n  models: {\n    providers: {\n      local: { type: "antropic" },\n    },\n  },\n}`,
    path: "models.providers.local.type",
    line: 4,
    suggestion: "anthropic",
  },
  {
    name: "bad agent id",
    text: `{\n  agents: {\n    "data collector": {},\n  },\n}`,
    path: 'agents["data collector"]',
    line: 3,
    message: /agent id/,
  },
  {
    name: "dotted key colliding with the nested form",
    text: `{\n  agents: { defaults: { sandbox: { docker: { enabled: false } } } },\n  "agents.defaults.sandbox": {\n    docker: { enabled: true },\n  },\n}`,
    path: "agents.defaults.sandbox.docker.enabled",
    line: 4,
    message:
      /set both by the dotted key "agents\.defaults\.sandbox" and by the nested form.*also set at line 2/,
  },
  {
    name: "two dotted keys setting one leaf",
    text: `{\n  "gateway.port": 1,\n  "gateway": {},\n  "gateway.port.x": 2,\n}`,
    path: "gateway.port",
    line: 4,
    message: /"gateway\.port"/,
  },
  {
    name: "external secret without its key",
    text: `{\n  externalSecrets: {\n    "claude-api-key": {\n      source: "env",\n    },\n  },\n}`,
    path: "externalSecrets.claude-api-key.key",
    line: 3,
    message: /required key "key" is missing/,
  },
  {
    name: "unknown secret source",
    text: `{ externalSecrets: {\n  a: { source: "fiel", path: "/x" } } }`,
    path: "externalSecrets.a.source",
    line: 2,
    suggestion: "file",
  },
  {
    name: "bad URL",
    text: `{ models: { providers: {\n  local: {\n    baseUrl: "localhost:11434/v1" } } } }`,
    path: "models.providers.local.baseUrl",
    line: 3,
  },
  {
    name: "negative maxSteps",
    text: `{\n  agents: { defaults: {\n    maxSteps: -1 } } }`,
    path: "agents.defaults.maxSteps",
    line: 3,
    message: />=1, got -1/,
  },
  {
    name: "typo inside the dotted-key object",
    text: `{\n  "agents.defaults.sandbox": {\n    "docker": {\n      "enabeld": true\n    }\n  }\n}`,
    path: "agents.defaults.sandbox.docker.enabeld",
    line: 4,
    suggestion: "enabled",
  },
  {
    name: "typo in a dotted key's first segment",
    text: `{\n  // the sandbox\n  "agent.defaults.sandbox": {},\n}`,
    path: "agent",
    line: 3,
    suggestion: "agents",
  },
  {
    name: "top-level array",
    text: `// not an object\n[ { gateway: {} } ]`,
    path: "",
    line: 2,
    message: /top level must be an object/,
  },
  {
    name: "credential of the wrong shape",
    text: `{ models: { providers: { openai: {\n  apiKey: 42 } } } }`,
    path: "models.providers.openai.apiKey",
    line: 2,
  },
];

describe("invalid configs", () => {
  it.each(INVALID)("$name: names the path and line", ({ text, path, line, suggestion, message }) => {
    const error = failure(text);
    expect(error.code).toBe("OC_ERR_CONFIG_INVALID");
    const issues = error.details?.issues as ConfigIssue[];
    expect(issues[0]).toMatchObject({ path, line });
    if (suggestion) expect(issues[0]?.suggestion).toBe(suggestion);
    if (message) expect(issues[0]?.message).toMatch(message);
    const didYouMean = suggestion ? ` (did you mean "${suggestion}"?)` : "";
    expect(error.message).toContain(
      `${FILE}:${line}: ${path || "(root)"}: ${issues[0]?.message}${didYouMean}`,
    );
    expect(error.hint).toContain("openclaw config validate");
  });

  it("reports a JSON5 syntax error with file, line and column", () => {
    const error = failure(`{\n  agents: {\n    beta: {, }\n  }\n}`);
    expect(error.code).toBe("OC_ERR_CONFIG_PARSE");
    expect(error.message).toBe(`${FILE}:3:12: JSON5: invalid character ','`);
    expect(error.details).toMatchObject({ line: 3, column: 12 });
  });

  it("never echoes a value given under a credential key", () => {
    const error = failure(
      `{ models: { providers: { openai: {\n  headers: { Authorization: 4242424242 } } } } }`,
    );
    expect(error.details?.issues).toMatchObject([
      { path: "models.providers.openai.headers.Authorization", line: 2 },
    ]);
    expect(error.message).not.toContain("4242424242");
  });

  it("lists every problem in one error, in file order", () => {
    const error = failure(
      `{\n  logging: { level: "loud" },\n  agents: { "bad id!": { thredBound: 1 } },\n  gateway: { port: -1 },\n}`,
    );
    const issues = error.details?.issues as ConfigIssue[];
    expect(issues.map((issue) => [issue.line, issue.path])).toEqual([
      [2, "logging.level"],
      [3, 'agents["bad id!"]'],
      [3, 'agents["bad id!"].thredBound'],
      [4, "gateway.port"],
    ]);
    expect(error.message.split("\n")).toHaveLength(5);
  });
});

describe("loadConfigFile", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "openclaw-load-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("gives the defaults for a missing file", async () => {
    const loaded = await loadConfigFile(join(dir, "missing.json"));
    expect(loaded).toMatchObject({ exists: false, path: join(dir, "missing.json") });
    expect(loaded.config.gateway).toEqual({
      host: "127.0.0.1",
      port: 18789,
      mode: "development",
      auth: {
        rateLimit: { maxAttempts: 10, windowMs: 60_000, lockoutMs: 300_000 },
        capabilityTtlMs: 600_000,
      },
      trustedProxies: [],
      tls: { enabled: false, autoGenerate: false },
      controlUi: { allowedOrigins: [] },
      allowedHosts: [],
      maxBodyBytes: 1048576,
      releaseMemoryAfterIdleMs: 30000,
      http: { endpoints: {} },
    });
  });

  it("reports an unreadable path as OC_ERR_CONFIG_READ", async () => {
    await expect(loadConfigFile(dir)).rejects.toMatchObject({ code: "OC_ERR_CONFIG_READ" });
  });

  it("reads JSON5 with a byte order mark", async () => {
    const path = join(dir, "bom.json");
    await writeFile(path, "\uFEFF{ gateway: { port: 1234 } }");
    expect((await loadConfigFile(path)).config.gateway.port).toBe(1234);
  });
});
