import fc from "fast-check";
import JSON5 from "json5";
import { describe, expect, it } from "vitest";
import { parseConfigText } from "./load.js";
import { migrateConfigText } from "./migrate.js";
import { migrateSecretsForm } from "./migrate-secrets.js";

const FILE = "/etc/openclaw/openclaw.json";
const rawOf = (text: string) => JSON5.parse(text) as Record<string, unknown>;

const SEED = `{
  externalSecrets: {
    // rotated monthly by ops
    "anthropic-key": { source: "env", key: "ANTHROPIC_API_KEY" },
    /* one JSON file holds both */
    "openai-key": { source: "file", path: "/run/secrets/keys.json", pointer: "/openai" },
    "tg-token": { source: "file", path: "/run/secrets/keys.json", pointer: "/telegram" },
    "irc-pass": { source: "file", path: "/run/secrets/irc.pass" },
    "vault-key": {
      source: "exec",
      command: ["/usr/local/bin/vault-resolver", "--quiet"],
      json: { provider: "vault", id: "providers/groq" },
    },
  },
  models: {
    providers: {
      anthropic: { api: "anthropic-messages", apiKey: { $secret: "anthropic-key" } }, // the main one
      openai: { api: "openai-completions", apiKey: { "$secret": "openai-key" } },
      groq: { api: "openai-completions", baseUrl: "https://api.groq.com/openai/v1", apiKey: { $secret: "vault-key" } },
    },
  },
  channels: {
    telegram: { botToken: { $secret: "tg-token" } },
    irc: { host: "irc.example.net", password: { $secret: "irc-pass" } },
  },
}
`;

describe("config migrate: externalSecrets + $secret → secrets.providers + SecretRef", () => {
  it("rewrites every reference in place and reads the very same secrets", () => {
    const { text, changed, notes } = migrateConfigText(SEED, FILE);
    expect(changed).toBe(true);
    expect(notes).toEqual([]);
    const raw = rawOf(text) as {
      externalSecrets?: unknown;
      secrets: { providers: Record<string, unknown> };
      models: { providers: Record<string, { apiKey: unknown }> };
      channels: { telegram: { botToken: unknown }; irc: { password: unknown } };
    };
    expect(raw.externalSecrets).toBeUndefined();
    expect(raw.models.providers.anthropic?.apiKey).toEqual({
      source: "env",
      provider: "default",
      id: "ANTHROPIC_API_KEY",
    });
    expect(raw.models.providers.openai?.apiKey).toEqual({
      source: "file",
      provider: "openai-key",
      id: "/openai",
    });
    // Both pointers into one file share one provider.
    expect(raw.channels.telegram.botToken).toEqual({
      source: "file",
      provider: "openai-key",
      id: "/telegram",
    });
    expect(raw.channels.irc.password).toEqual({ source: "file", provider: "irc-pass", id: "value" });
    expect(raw.models.providers.groq?.apiKey).toEqual({
      source: "exec",
      provider: "vault",
      id: "providers/groq",
    });
    expect(raw.secrets.providers).toEqual({
      "openai-key": { source: "file", path: "/run/secrets/keys.json", mode: "json" },
      "irc-pass": { source: "file", path: "/run/secrets/irc.pass", mode: "singleValue" },
      vault: { source: "exec", command: "/usr/local/bin/vault-resolver", args: ["--quiet"] },
    });
    for (const comment of ["// rotated monthly by ops", "/* one JSON file holds both */", "// the main one"])
      expect(text).toContain(comment);
    // It loads, warning-free, and a second run has nothing left to do.
    expect(parseConfigText(text, FILE, { ANTHROPIC_API_KEY: "x" }).warnings).toEqual([]);
    expect(migrateConfigText(text, FILE).changed).toBe(false);
  });

  it("keeps what has no SecretRef form, and says why", () => {
    const seed = `{
  "externalSecrets": {
    "plain-exec": { "source": "exec", "command": ["/usr/bin/pass", "show", "x"] },
    "unused": { "source": "env", "key": "UNUSED" },
    "lower": { "source": "env", "key": "lower_case" },
    "good": { "source": "env", "key": "GOOD_KEY" }
  },
  "models": {
    "providers": {
      "a": { "api": "anthropic-messages", "apiKey": { "$secret": "plain-exec" } },
      "b": { "api": "anthropic-messages", "apiKey": { "$secret": "lower" } },
      "c": { "api": "anthropic-messages", "apiKey": { "$secret": "good" } }
    }
  }
}`;
    const { text, notes } = migrateConfigText(seed, FILE);
    expect(notes).toEqual([
      expect.stringMatching(/^externalSecrets\.plain-exec stays: .*protocol v1/),
      "externalSecrets.unused stays: nothing references it",
      expect.stringMatching(/^externalSecrets\.lower stays: .*upper-case/),
    ]);
    const raw = rawOf(text) as {
      externalSecrets: Record<string, unknown>;
      models: { providers: Record<string, { apiKey: unknown }> };
    };
    expect(Object.keys(raw.externalSecrets)).toEqual(["plain-exec", "unused", "lower"]);
    expect(raw.models.providers.a?.apiKey).toEqual({ $secret: "plain-exec" });
    expect(raw.models.providers.c?.apiKey).toEqual({ source: "env", provider: "default", id: "GOOD_KEY" });
    // Keys stay quoted in a JSON-styled file.
    expect(text).toContain('{ "source": "env", "provider": "default", "id": "GOOD_KEY" }');
  });

  it("leaves the secrets alone when the file already has a secrets block", () => {
    const seed = `{ externalSecrets: { k: { source: "env", key: "K" } }, secrets: { providers: {} },
  models: { providers: { a: { api: "anthropic-messages", apiKey: { $secret: "k" } } } } }`;
    expect(migrateSecretsForm(seed)).toEqual({
      text: seed,
      notes: [expect.stringContaining("already has a secrets block")],
    });
  });

  it("any mix of declarations and references migrates to a file that reads the same secrets", () => {
    const declaration = fc.oneof(
      fc.record({ source: fc.constant("env"), key: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,8}$/) }),
      fc.record(
        {
          source: fc.constant("file"),
          path: fc.constantFrom("/run/a.json", "/run/b.json", "/run/c"),
          pointer: fc.constantFrom("/x", "/y/z", "/a~1b"),
        },
        { requiredKeys: ["source", "path"] },
      ),
      fc.record(
        {
          source: fc.constant("exec"),
          command: fc.constantFrom(["/bin/resolver"], ["/bin/other", "-q"], ["relative"]),
          json: fc.record({
            provider: fc.constantFrom("vault", "Vault", "default", "op"),
            id: fc.constantFrom("a/b", "c", "../x"),
          }),
        },
        { requiredKeys: ["source", "command"] },
      ),
    );
    fc.assert(
      fc.property(
        fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9-]{0,6}$/), declaration, { minKeys: 1, maxKeys: 5 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 5 }),
        (declared, picks) => {
          const names = Object.keys(declared);
          const providers = Object.fromEntries(
            picks.map((pick, index) => [
              `p${index}`,
              { api: "anthropic-messages", apiKey: { $secret: names[pick % names.length] } },
            ]),
          );
          const seed = JSON.stringify({ externalSecrets: declared, models: { providers } }, null, 2);
          const env = Object.fromEntries(
            Object.values(declared).flatMap((d) => (d.source === "env" ? [[d.key, "v"]] : [])),
          );
          // migrateConfigText refuses (throws) if the result would read any other secret.
          const { text } = migrateConfigText(seed, FILE);
          const after = parseConfigText(text, FILE, env);
          expect(after.config.models.providers).toBeDefined();
        },
      ),
      { numRuns: 150 },
    );
  });
});
