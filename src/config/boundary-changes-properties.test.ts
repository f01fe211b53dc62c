import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { weakeningChanges } from "./boundary-changes.js";
import type { OpenClawConfig } from "./schema.js";
import { parse, paths } from "./testing/boundary-fixtures.js";

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
