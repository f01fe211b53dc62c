// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are config text with ${VAR} references, not templates.
import { describe, expect, it } from "vitest";
import { parseConfigText } from "./load.js";
import { configIssuesOf } from "./testing/config-issues-of.js";

const FILE = "/etc/openclaw/openclaw.json";
const ENV = { BASE: "http://127.0.0.1:11434", MODEL: "dev/echo", EMPTY: "", GATEWAY_TOKEN: "t0ken" };

const issuesOf = (text: string, env: NodeJS.ProcessEnv = ENV) => configIssuesOf(text, FILE, env);

describe("${VAR} in config strings", () => {
  it("substitutes whole and inline references from the environment", () => {
    const { config, warnings } = parseConfigText(
      `{ models: { providers: { local: { baseUrl: "\${BASE}/v1" } } }, agents: { main: { model: "\${MODEL}" } } }`,
      FILE,
      ENV,
    );
    expect(config.models.providers.local?.baseUrl).toBe("http://127.0.0.1:11434/v1");
    expect(config.agents.main?.model).toBe("dev/echo");
    expect(warnings).toEqual([]);
  });

  it("reads $${VAR} as a literal ${VAR}", () => {
    const { config } = parseConfigText(
      `{ agents: { main: { systemPrompt: "say $\${MODEL} and \${MODEL}" } } }`,
      FILE,
      ENV,
    );
    expect(config.agents.main?.systemPrompt).toBe("say ${MODEL} and dev/echo");
  });

  it("matches upper-case names only, as OpenClaw does", () => {
    const { config } = parseConfigText(`{ agents: { main: { systemPrompt: "\${model}" } } }`, FILE, ENV);
    expect(config.agents.main?.systemPrompt).toBe("${model}");
  });

  it("leaves a missing or empty variable as written, with a warning at its line", () => {
    const loaded = parseConfigText(
      `{
  agents: {
    main: { systemPrompt: "a \${MISSING} b \${EMPTY}" },
  },
}`,
      FILE,
      ENV,
    );
    expect(loaded.config.agents.main?.systemPrompt).toBe("a ${MISSING} b ${EMPTY}");
    expect(loaded.warnings).toEqual([
      expect.objectContaining({
        path: "agents.main.systemPrompt",
        line: 3,
        message: "environment variable MISSING is not set (or empty); ${MISSING} left as written",
      }),
      expect.objectContaining({ message: expect.stringContaining("EMPTY is not set") }),
    ]);
  });

  it("makes a credential that is one reference an env secret, so the file holds no secret", () => {
    const { config } = parseConfigText(
      `{ gateway: { mode: "production", auth: { token: "\${GATEWAY_TOKEN}" } } }`,
      FILE,
      {},
    );
    expect(config.gateway.auth.token).toEqual({ $secret: "env.GATEWAY_TOKEN" });
    expect(config.externalSecrets["env.GATEWAY_TOKEN"]).toEqual({ source: "env", key: "GATEWAY_TOKEN" });
  });

  it("refuses a credential left unresolved inside other text, rather than using the literal", () => {
    expect(issuesOf(`{ models: { providers: { x: { apiKey: "sk-\${MISSING}" } } } }`)).toEqual([
      expect.objectContaining({
        path: "models.providers.x.apiKey",
        message: expect.stringMatching(/MISSING is not set .*credential cannot be left unresolved/),
      }),
    ]);
  });

  it("substitutes a credential inside other text when it is set (plaintext, as written inline)", () => {
    const { config } = parseConfigText(
      `{ models: { providers: { x: { apiKey: "sk-\${GATEWAY_TOKEN}" } } } }`,
      FILE,
      ENV,
    );
    expect(config.models.providers.x?.apiKey).toBe("sk-t0ken");
  });
});
