import { describe, expect, it } from "vitest";
import { parseConfigText } from "./load.js";
import { configIssuesOf } from "./testing/config-issues-of.js";

const FILE = "/etc/openclaw/openclaw.json";

const issuesOf = (text: string) => configIssuesOf(text, FILE, {});

const PROVIDERS = `secrets: {
    providers: {
      filemain: { source: "file", path: "/etc/openclaw/secrets.json", mode: "json" },
      token: { source: "file", path: "/etc/openclaw/token", mode: "singleValue" },
      vault: { source: "exec", command: "/usr/local/bin/resolver", args: ["--profile", "prod"], passEnv: ["VAULT_ADDR"] },
      limited: { source: "env", allowlist: ["ALLOWED_KEY"] },
    },
  }`;

describe("OpenClaw SecretRefs", () => {
  it("maps env, file and exec refs onto declared external secrets", () => {
    const { config } = parseConfigText(
      `{
  ${PROVIDERS},
  gateway: { auth: { token: { source: "file", provider: "token", id: "value" } } },
  models: {
    providers: {
      openai: { apiKey: { source: "env", provider: "default", id: "OPENAI_API_KEY" } },
      anthropic: { apiKey: { source: "file", provider: "filemain", id: "/providers/anthropic/apiKey" } },
      local: { apiKey: { source: "exec", provider: "vault", id: "providers/local#key" } },
    },
  },
}`,
      FILE,
      {},
    );
    expect(config.models.providers.openai?.apiKey).toEqual({ $secret: "env.OPENAI_API_KEY" });
    expect(config.gateway.auth.token).toEqual({ $secret: "token.value" });
    expect(config.externalSecrets).toEqual({
      "env.OPENAI_API_KEY": { source: "env", key: "OPENAI_API_KEY" },
      "token.value": { source: "file", path: "/etc/openclaw/token" },
      "filemain.providers_anthropic_apiKey": {
        source: "file",
        path: "/etc/openclaw/secrets.json",
        pointer: "/providers/anthropic/apiKey",
      },
      "vault.providers_local_key": {
        source: "exec",
        command: ["/usr/local/bin/resolver", "--profile", "prod"],
        passEnv: ["VAULT_ADDR"],
        json: { provider: "vault", id: "providers/local#key", jsonOnly: true },
      },
    });
    expect(config.models.providers.anthropic?.apiKey).toEqual({
      $secret: "filemain.providers_anthropic_apiKey",
    });
  });

  it("keeps { $secret } and externalSecrets working beside refs, never reusing a user's name", () => {
    const { config } = parseConfigText(
      `{
  externalSecrets: { "env.OPENAI_API_KEY": { source: "file", path: "/x" }, mine: { source: "env", key: "MINE" } },
  gateway: { auth: { token: { $secret: "mine" } } },
  models: { providers: { openai: { apiKey: { source: "env", provider: "default", id: "OPENAI_API_KEY" } } } },
}`,
      FILE,
      {},
    );
    expect(config.gateway.auth.token).toEqual({ $secret: "mine" });
    expect(config.models.providers.openai?.apiKey).toEqual({ $secret: "env.OPENAI_API_KEY-2" });
    expect(config.externalSecrets["env.OPENAI_API_KEY"]).toEqual({ source: "file", path: "/x" });
  });

  it("refuses refs its providers cannot serve, at the ref's line", () => {
    const issues = issuesOf(`{
  ${PROVIDERS},
  models: {
    providers: {
      a: { apiKey: { source: "file", provider: "nope", id: "/x" } },
      b: { apiKey: { source: "file", provider: "token", id: "/x" } },
      c: { apiKey: { source: "env", provider: "limited", id: "OTHER_KEY" } },
      d: { apiKey: { source: "exec", provider: "vault", id: "a/../b" } },
      e: { apiKey: { source: "env", provider: "vault", id: "X" } },
      f: { apiKey: { source: "file", provider: "filemain", id: "relative" } },
    },
  },
}`);
    expect(issues.map((issue) => [issue.path, issue.line, issue.message])).toEqual([
      ["models.providers.a.apiKey", 12, expect.stringContaining('no provider "nope" in secrets.providers')],
      [
        "models.providers.b.apiKey",
        13,
        expect.stringContaining('singleValue file: the ref\'s id must be "value"'),
      ],
      [
        "models.providers.c.apiKey",
        14,
        expect.stringContaining('"OTHER_KEY" is not in secrets.providers.limited.allowlist'),
      ],
      ["models.providers.d.apiKey", 15, expect.stringContaining("without . or .. segments")],
      [
        "models.providers.e.apiKey",
        16,
        expect.stringContaining('is an exec provider, but this ref\'s source is "env"'),
      ],
      ["models.providers.f.apiKey", 17, expect.stringContaining("absolute JSON pointer")],
    ]);
  });

  it("checks the providers themselves, with suggestions", () => {
    expect(issuesOf(`{ secrets: { providers: { v: { source: "exec", command: "resolver" } } } }`)).toEqual([
      expect.objectContaining({
        path: "secrets.providers.v.command",
        message: expect.stringMatching(/absolute path/),
      }),
    ]);
    expect(
      issuesOf(`{ secrets: { providers: { f: { source: "file", path: "/x", mdoe: "json" } } } }`),
    ).toEqual([expect.objectContaining({ path: "secrets.providers.f.mdoe", suggestion: "mode" })]);
  });

  it("loads OpenClaw's store and plugin providers with a warning, and refuses refs to them", () => {
    const providers = `secrets: { providers: {
      teamstore: { source: "store" },
      plugin: { source: "exec", pluginIntegration: { pluginId: "acme", integrationId: "store" } },
    } }`;
    expect(parseConfigText(`{ ${providers} }`, FILE, {}).warnings.map((warning) => warning.message)).toEqual([
      expect.stringContaining("using the store source: not supported here"),
      expect.stringContaining("using pluginIntegration: not supported here"),
    ]);
    const issues = issuesOf(
      `{ ${providers}, gateway: { auth: { token: { source: "exec", provider: "plugin", id: "t" } } } }`,
    );
    expect(issues).toEqual([
      expect.objectContaining({
        path: "gateway.auth.token",
        message: "secrets.providers.plugin uses pluginIntegration, which this gateway does not support",
      }),
    ]);
  });
});
