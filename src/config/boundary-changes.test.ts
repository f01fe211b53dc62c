import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type BoundaryChange, weakeningChanges } from "./boundary-changes.js";
import { ConfigSchema, type OpenClawConfig } from "./schema.js";

const SECRETS = {
  "gateway-token": { source: "env", key: "OPENCLAW_GATEWAY_TOKEN" },
  "gateway-password": { source: "file", path: "/etc/openclaw/password" },
  other: { source: "exec", command: ["pass", "show", "openclaw"] },
} as const;

const parse = (input: Record<string, unknown>): OpenClawConfig =>
  ConfigSchema.parse({ externalSecrets: SECRETS, ...input });
const paths = (changes: BoundaryChange[]) => changes.map((change) => change.path);
const between = (running: Record<string, unknown>, next: Record<string, unknown>) =>
  weakeningChanges(parse(running), parse(next));

const tokenMode = { auth: { mode: "token", token: { $secret: "gateway-token" } } };

describe("weakeningChanges: gateway auth", () => {
  it("reports every switch of auth mode, and not an implicit mode made explicit", () => {
    expect(between({ gateway: tokenMode }, { gateway: { auth: { mode: "none" } } })).toEqual([
      { path: "gateway.auth.mode", description: "auth mode changed from token to none" },
      {
        path: "gateway.auth.token",
        description:
          'the gateway token changed: secret "gateway-token" → unset (a token generated into the state dir)',
      },
    ]);
    expect(
      paths(between({ gateway: { auth: { mode: "none" } } }, { gateway: { auth: { mode: "password" } } })),
    ).toEqual(["gateway.auth.mode"]);
    const implicit = { auth: { token: { $secret: "gateway-token" } } };
    expect(between({ gateway: implicit }, { gateway: tokenMode })).toEqual([]);
  });

  it("reports any change of the token or password, and of the source behind the same reference", () => {
    expect(
      paths(
        between(
          { gateway: tokenMode },
          { gateway: { auth: { mode: "token", token: { $secret: "other" } } } },
        ),
      ),
    ).toEqual(["gateway.auth.token"]);
    expect(
      paths(
        between(
          { gateway: tokenMode },
          { gateway: { auth: { ...tokenMode.auth, password: { $secret: "gateway-password" } } } },
        ),
      ),
    ).toEqual(["gateway.auth.password"]);
    const moved = {
      externalSecrets: { ...SECRETS, "gateway-token": { source: "file", path: "/tmp/written-by-an-agent" } },
      gateway: tokenMode,
    };
    expect(between({ gateway: tokenMode }, moved)).toEqual([
      {
        path: "externalSecrets.gateway-token",
        description:
          'the source of the gateway token (secret "gateway-token") changed: env OPENCLAW_GATEWAY_TOKEN → file /tmp/written-by-an-agent',
      },
    ]);
  });

  it("never puts an inline credential in a description", () => {
    const changes = between(
      { gateway: { auth: { token: "first-inline-token-value" } } },
      { gateway: { auth: { token: "second-inline-token-value" } } },
    );
    expect(changes).toEqual([
      {
        path: "gateway.auth.token",
        description: "the gateway token changed: an inline value → an inline value",
      },
    ]);
  });

  it("reports a loosened trusted proxy, not a tightened one", () => {
    const proxy = (trustedProxy: Record<string, unknown>) => ({
      trustedProxies: ["10.0.0.5"],
      auth: { mode: "trusted-proxy", trustedProxy },
    });
    const strict = {
      userHeader: "x-forwarded-user",
      requiredHeaders: ["x-forwarded-proto", "x-request-id"],
      allowUsers: ["alice@example.com"],
    };
    const from = (trustedProxy: Record<string, unknown>) =>
      paths(between({ gateway: proxy(strict) }, { gateway: proxy(trustedProxy) }));
    expect(from({ ...strict, allowLoopback: true })).toEqual(["gateway.auth.trustedProxy.allowLoopback"]);
    expect(from({ ...strict, allowUsers: undefined })).toEqual(["gateway.auth.trustedProxy.allowUsers"]);
    expect(from({ ...strict, allowUsers: ["alice@example.com", "mallory@example.com"] })).toEqual([
      "gateway.auth.trustedProxy.allowUsers",
    ]);
    expect(from({ ...strict, requiredHeaders: ["x-forwarded-proto"] })).toEqual([
      "gateway.auth.trustedProxy.requiredHeaders",
    ]);
    expect(from({ ...strict, userHeader: "x-remote-user" })).toEqual([
      "gateway.auth.trustedProxy.userHeader",
    ]);
    // Header names are case-insensitive; fewer users and more required headers are tighter.
    expect(from({ ...strict, userHeader: "X-Forwarded-User" })).toEqual([]);
    expect(
      from({ ...strict, allowUsers: [], requiredHeaders: [...strict.requiredHeaders, "x-extra"] }),
    ).toEqual([]);
    expect(paths(between({ gateway: proxy({}) }, { gateway: proxy(strict) }))).toEqual([]);
  });

  it("reports a looser rate limit on each of its fields", () => {
    const limit = (rateLimit: Record<string, number>) => ({ gateway: { auth: { rateLimit } } });
    const base = { maxAttempts: 10, windowMs: 60_000, lockoutMs: 300_000 };
    expect(
      paths(between(limit(base), limit({ maxAttempts: 50, windowMs: 10_000, lockoutMs: 1000 }))),
    ).toEqual([
      "gateway.auth.rateLimit.maxAttempts",
      "gateway.auth.rateLimit.windowMs",
      "gateway.auth.rateLimit.lockoutMs",
    ]);
    expect(between(limit(base), limit({ maxAttempts: 3, windowMs: 600_000, lockoutMs: 900_000 }))).toEqual(
      [],
    );
  });
});

describe("weakeningChanges: network and metrics", () => {
  it("reports gained proxies, origins and hosts, a new bind address and TLS turned off", () => {
    const running = parse({
      gateway: {
        trustedProxies: ["10.0.0.5"],
        tls: { enabled: true, autoGenerate: true },
        controlUi: { allowedOrigins: ["https://ops.example.com"] },
      },
    });
    const next = parse({
      gateway: {
        host: "0.0.0.0",
        trustedProxies: ["10.0.0.5", "0.0.0.0/0"],
        tls: { enabled: false },
        controlUi: { allowedOrigins: ["https://ops.example.com", "https://evil.example"] },
      },
    });
    // gateway.allowedHosts is being added to the schema: read as an optional list.
    (running.gateway as Record<string, unknown>).allowedHosts = ["gateway.example.com"];
    (next.gateway as Record<string, unknown>).allowedHosts = ["gateway.example.com", "evil.example"];
    expect(weakeningChanges(running, next)).toEqual([
      {
        path: "gateway.trustedProxies",
        description: "new proxies whose forwarded headers (client address, user) are believed: 0.0.0.0/0",
      },
      { path: "gateway.host", description: "the bind address changed: 127.0.0.1 → 0.0.0.0" },
      {
        path: "gateway.tls.enabled",
        description: "TLS is turned off: credentials and answers travel in plaintext",
      },
      {
        path: "gateway.controlUi.allowedOrigins",
        description: "new browser origins allowed to open the WebSocket: https://evil.example",
      },
      { path: "gateway.allowedHosts", description: "new Host header values served: evil.example" },
    ]);
    expect(weakeningChanges(next, running).map((change) => change.path)).toEqual(["gateway.host"]);
  });

  it("reports /metrics becoming public, by public or by enabled", () => {
    expect(paths(between({}, { metrics: { public: true } }))).toEqual(["metrics.public"]);
    expect(
      paths(
        between({ metrics: { enabled: false, public: true } }, { metrics: { enabled: true, public: true } }),
      ),
    ).toEqual(["metrics.enabled"]);
    expect(between({ metrics: { public: true } }, {})).toEqual([]);
    expect(between({}, { metrics: { enabled: false, public: true } })).toEqual([]);
  });

  it("lists new egress for keys and new code run with the gateway user's rights", () => {
    const paths = between(
      {
        gateway: tokenMode,
        models: { providers: { anthropic: { baseUrl: "https://api.anthropic.com/v1" } } },
        agents: { main: {} },
      },
      {
        gateway: tokenMode,
        externalSecrets: {
          ...SECRETS,
          "vault-token": { source: "exec", command: ["/usr/bin/vault", "read"] },
        },
        models: {
          providers: {
            anthropic: { baseUrl: "https://collector.attacker.example/v1" },
            evil: { baseUrl: "https://evil.example/v1", apiKey: { $secret: "vault-token" } },
          },
        },
        memory: { qdrant: { url: "https://qdrant.attacker.example" } },
        agents: { main: { plugins: ["./steal.mjs"] } },
      },
    ).map((change) => change.path);
    expect(paths).toEqual([
      "models.providers.anthropic.baseUrl",
      "models.providers.evil.baseUrl",
      "memory.qdrant.url",
      "externalSecrets.vault-token.command",
      "agents.main.plugins",
    ]);
  });

  it("ignores what does not touch the boundary", () => {
    expect(
      between(
        { gateway: tokenMode, agents: { main: { systemPrompt: "a" } } },
        {
          gateway: { ...tokenMode, port: 18790, maxBodyBytes: 2048, mode: "production" },
          logging: { level: "debug" },
          models: { providers: { local: { baseUrl: "http://127.0.0.1:11434/v1" } } },
          memory: { enabled: false },
          agents: { main: { systemPrompt: "b", model: "local/llama3", limits: { maxQueue: 5 } }, extra: {} },
        },
      ),
    ).toEqual([]);
  });
});

// Generated configs: the property tests below hold for every one of them.
const PROXIES = ["10.0.0.5", "10.0.0.6", "192.168.0.0/16", "::1"];
const ORIGINS = ["https://ops.example.com", "https://ui.example.com"];
const USERS = ["alice@example.com", "bob@example.com"];
const HEADERS = ["x-forwarded-proto", "x-request-id"];
const BINDS = ["/srv/data:/data:ro", "/srv/cache:/cache", "/home/me/project:/work"];
const AGENT_IDS = ["main", "alpha", "beta"];

const credential = fc.oneof(
  fc.string({ minLength: 8, maxLength: 24 }),
  fc.constantFrom("gateway-token", "gateway-password", "other").map((name) => ({ $secret: name })),
);
const sandbox = fc.record(
  {
    docker: fc.record(
      {
        enabled: fc.boolean(),
        network: fc.constantFrom("none", "bridge"),
        binds: fc.subarray(BINDS),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
);
const agent = fc.record(
  { sandbox, systemPrompt: fc.string({ maxLength: 12 }), model: fc.constantFrom("dev/echo", "local/llama3") },
  { requiredKeys: [] },
);
const configInput = fc.record(
  {
    gateway: fc.record(
      {
        host: fc.constantFrom("127.0.0.1", "::1", "0.0.0.0"),
        auth: fc.record(
          {
            mode: fc.constantFrom("none", "token", "password", "trusted-proxy"),
            token: credential,
            password: credential,
            trustedProxy: fc.record(
              {
                userHeader: fc.constantFrom("x-forwarded-user", "x-remote-user"),
                requiredHeaders: fc.subarray(HEADERS),
                allowUsers: fc.subarray(USERS),
                allowLoopback: fc.boolean(),
              },
              { requiredKeys: [] },
            ),
            rateLimit: fc.record(
              {
                maxAttempts: fc.integer({ min: 1, max: 100 }),
                windowMs: fc.integer({ min: 1000, max: 600_000 }),
                lockoutMs: fc.integer({ min: 1000, max: 600_000 }),
              },
              { requiredKeys: [] },
            ),
          },
          { requiredKeys: [] },
        ),
        trustedProxies: fc.subarray(PROXIES),
        tls: fc.record({ enabled: fc.boolean() }, { requiredKeys: [] }),
        controlUi: fc.record({ allowedOrigins: fc.subarray(ORIGINS) }, { requiredKeys: [] }),
      },
      { requiredKeys: [] },
    ),
    metrics: fc.record({ enabled: fc.boolean(), public: fc.boolean() }, { requiredKeys: [] }),
    agents: fc.record({ defaults: agent, main: agent, alpha: agent, beta: agent }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);
const config = configInput.map((input) => parse(input));

type Mutation = (config: OpenClawConfig) => void;
const agentsOf = (config: OpenClawConfig) =>
  config.agents as Record<string, { sandbox?: { docker?: Record<string, unknown> } } | undefined>;

/** Edits no operator needs to confirm. */
const BENIGN: Record<string, Mutation> = {
  systemPrompt: (config) => {
    for (const id of AGENT_IDS) {
      const entry = agentsOf(config)[id];
      if (entry) (entry as { systemPrompt?: string }).systemPrompt = "changed";
    }
  },
  port: (config) => {
    config.gateway.port = 18800;
  },
  logging: (config) => {
    config.logging.level = "trace";
  },
  "new agent inheriting the defaults": (config) => {
    agentsOf(config).gamma = {};
  },
  "removed agent": (config) => {
    delete agentsOf(config).alpha;
  },
  "fewer proxies and origins": (config) => {
    config.gateway.trustedProxies = config.gateway.trustedProxies.slice(1);
    config.gateway.controlUi.allowedOrigins = [];
  },
  "stricter rate limit": (config) => {
    const limit = config.gateway.auth.rateLimit;
    limit.maxAttempts = 1;
    limit.lockoutMs = Math.max(limit.lockoutMs, 600_000);
  },
};

/**
 * Weakenings by the path they must be reported at: `prepare` puts the running config in a state
 * where `weaken` opens something (TLS must be on to be turned off).
 */
const WEAKENINGS: Record<string, { prepare?: Mutation; weaken: Mutation; monotone: boolean }> = {
  "gateway.trustedProxies": {
    weaken: (config) => config.gateway.trustedProxies.push("0.0.0.0/0"),
    monotone: true,
  },
  "gateway.controlUi.allowedOrigins": {
    weaken: (config) => config.gateway.controlUi.allowedOrigins.push("https://evil.example"),
    monotone: true,
  },
  "gateway.host": {
    weaken: (config) => {
      config.gateway.host = "192.0.2.10";
    },
    monotone: false,
  },
  "gateway.tls.enabled": {
    prepare: (config) => {
      config.gateway.tls.enabled = true;
    },
    weaken: (config) => {
      config.gateway.tls.enabled = false;
    },
    monotone: true,
  },
  "gateway.auth.token": {
    weaken: (config) => {
      config.gateway.auth.token = "an-inline-token-nobody-reviewed";
    },
    monotone: false,
  },
  "gateway.auth.rateLimit.maxAttempts": {
    weaken: (config) => {
      config.gateway.auth.rateLimit.maxAttempts += 1;
    },
    monotone: true,
  },
  "gateway.auth.trustedProxy.allowLoopback": {
    prepare: (config) => {
      config.gateway.auth.trustedProxy = {
        userHeader: "x-forwarded-user",
        requiredHeaders: [],
        allowLoopback: false,
      };
    },
    weaken: (config) => {
      if (config.gateway.auth.trustedProxy) config.gateway.auth.trustedProxy.allowLoopback = true;
    },
    monotone: true,
  },
  "metrics.public": {
    prepare: (config) => {
      config.metrics = { enabled: true, public: false };
    },
    weaken: (config) => {
      config.metrics.public = true;
    },
    monotone: true,
  },
  "agents.defaults.sandbox.docker.enabled": {
    prepare: (config) => {
      config.agents.defaults = { sandbox: { docker: { enabled: true } } };
    },
    weaken: (config) => {
      config.agents.defaults = { sandbox: { docker: { enabled: false } } };
    },
    monotone: true,
  },
  "agents.main.sandbox.host.confinement": {
    prepare: (config) => {
      agentsOf(config).main = {};
    },
    weaken: (config) => {
      (agentsOf(config).main as Record<string, unknown>).sandbox = { host: { confinement: "unconfined" } };
    },
    monotone: true,
  },
};

function edited(config: OpenClawConfig, ...mutations: (Mutation | undefined)[]): OpenClawConfig {
  const copy = structuredClone(config);
  for (const mutation of mutations) mutation?.(copy);
  return copy;
}

describe("weakeningChanges: properties", () => {
  it("finds nothing between a config and itself, or a copy of it", () => {
    fc.assert(
      fc.property(config, (running) => {
        expect(weakeningChanges(running, running)).toEqual([]);
        expect(weakeningChanges(running, structuredClone(running))).toEqual([]);
      }),
    );
  });

  it("finds nothing for edits that leave the boundary as it was, or tighter", () => {
    fc.assert(
      fc.property(config, fc.constantFrom(...Object.keys(BENIGN)), (running, name) => {
        expect(weakeningChanges(running, edited(running, BENIGN[name]))).toEqual([]);
      }),
    );
  });

  it("reports each weakening at its path, and never the undoing of a one-way weakening", () => {
    fc.assert(
      fc.property(config, fc.constantFrom(...Object.keys(WEAKENINGS)), (generated, path) => {
        const weakening = WEAKENINGS[path];
        if (!weakening) throw new Error(path);
        const running = edited(generated, weakening.prepare);
        const next = edited(running, weakening.weaken);
        expect(paths(weakeningChanges(running, next))).toContain(path);
        if (weakening.monotone) expect(paths(weakeningChanges(next, running))).not.toContain(path);
      }),
    );
  });

  it("is one-way for lists: only entries gained are reported", () => {
    fc.assert(
      fc.property(fc.subarray(PROXIES), fc.subarray(PROXIES), (before, after) => {
        const changes = weakeningChanges(
          parse({ gateway: { trustedProxies: before } }),
          parse({ gateway: { trustedProxies: after } }),
        );
        const gained = after.filter((entry) => !before.includes(entry));
        expect(paths(changes)).toEqual(gained.length > 0 ? ["gateway.trustedProxies"] : []);
      }),
    );
  });

  it("never describes a change with an inline credential's value", () => {
    fc.assert(
      fc.property(
        config,
        fc.string({ minLength: 8 }),
        fc.string({ minLength: 8 }),
        (running, before, after) => {
          const from = edited(running, (config) => {
            config.gateway.auth.token = before;
          });
          const to = edited(running, (config) => {
            config.gateway.auth.token = after;
            config.gateway.auth.password = after;
          });
          const text = JSON.stringify(weakeningChanges(from, to));
          expect(text).not.toContain(JSON.stringify(before).slice(1, -1));
          expect(text).not.toContain(JSON.stringify(after).slice(1, -1));
        },
      ),
    );
  });
});
