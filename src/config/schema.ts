import { z } from "zod";
import { forbiddenBindReason } from "./bind-rules.js";
import { plaintextCredentialPaths } from "./plaintext-credentials.js";

/**
 * The one source of truth for `openclaw.json`. Objects are strict so that a typo is an error
 * (with a suggestion) rather than a silently ignored setting. `prefault` is used instead of
 * `default` so that a missing section is parsed through its schema and gets its inner defaults.
 */

export const AGENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
export const DEFAULT_PORT = 18789;
export const DEFAULT_HOST = "127.0.0.1";

/** A reference to a declared external secret, usable wherever a credential is expected. */
export const SecretRefSchema = z.strictObject({
  $secret: z.string().min(1).describe("Name of an entry in externalSecrets."),
});

export const CredentialSchema = z.union([z.string().min(1), SecretRefSchema]);

export const ExternalSecretSchema = z.discriminatedUnion("source", [
  z.strictObject({
    source: z.literal("env"),
    key: z.string().min(1).describe("Environment variable of the gateway process to read."),
  }),
  z.strictObject({
    source: z.literal("file"),
    path: z
      .string()
      .min(1)
      .describe("File holding the secret; must be mode 0600 and owned by the gateway user."),
  }),
  z.strictObject({
    source: z.literal("exec"),
    command: z
      .array(z.string().min(1))
      .min(1)
      .describe("argv of a program that prints the secret; no shell."),
    timeoutMs: z.number().int().positive().max(120_000).optional(),
  }),
]);

export const ProviderTypeSchema = z.enum(["anthropic", "openai", "openai-compatible", "dev"]);

export const ProviderSchema = z.strictObject({
  type: ProviderTypeSchema.optional().describe(
    "Wire format. Defaults to the provider's name when that is a known type, else openai-compatible.",
  ),
  // Without the protocol check `localhost:11434/v1` passes as a URL whose scheme is "localhost:".
  baseUrl: z
    .url({ protocol: /^https?$/, error: "expected an http:// or https:// URL" })
    .optional()
    .describe("API base URL, e.g. http://127.0.0.1:11434/v1 for Ollama."),
  apiKey: CredentialSchema.optional(),
  headers: z.record(z.string(), z.string()).optional(),
  timeoutMs: z.number().int().positive().optional(),
});

export const DockerSandboxSchema = z
  .strictObject({
    enabled: z.boolean().optional(),
    image: z
      .string()
      .min(1)
      .optional()
      .describe("Default: openclaw-sandbox:<version>, built by `openclaw sandbox build`."),
    binds: z.array(z.string().min(1)).optional().describe("host:container[:ro|rw] bind mounts."),
    allowedRoots: z
      .array(z.string().min(1))
      .optional()
      .describe("Host directories binds may come from; default: the workspace roots."),
    scope: z
      .enum(["agent", "session"])
      .optional()
      .describe("One container per agent (default) or per session."),
    network: z.enum(["none", "bridge"]).optional().describe("Default none: no network at all."),
    memoryMb: z.number().int().min(16).max(1_048_576).optional(),
    cpus: z.number().min(0.05).max(256).optional(),
    pidsLimit: z.number().int().min(8).max(1_000_000).optional(),
    readOnlyRoot: z.boolean().optional(),
    user: z
      .string()
      .min(1)
      .optional()
      .describe("uid:gid inside the container; default 1000:1000, never root."),
    env: z
      .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.union([z.string(), SecretRefSchema]))
      .optional()
      .describe("The container's whole environment."),
    allowSecretEnv: z.array(z.string().min(1)).optional().describe("Secrets env may reference."),
    execTimeoutMs: z.number().int().min(100).max(3_600_000).optional(),
  })
  .superRefine((docker, context) => {
    for (const [index, bind] of (docker.binds ?? []).entries()) {
      const problem = forbiddenBindReason(bind);
      if (problem)
        context.addIssue({
          code: "custom",
          path: ["binds", index],
          message: `bind "${bind}" refused: ${problem}`,
        });
    }
    for (const [name, value] of Object.entries(docker.env ?? {})) {
      if (typeof value === "object" && !(docker.allowSecretEnv ?? []).includes(value.$secret)) {
        context.addIssue({
          code: "custom",
          path: ["env", name],
          message: `secret "${value.$secret}" may not enter a sandbox unless allowSecretEnv names it`,
        });
      }
    }
  });

/** How an agent without a Docker sandbox runs `exec` on the host; defaults are applied in agents/runtime-settings. */
export const HostSandboxSchema = z.strictObject({
  confinement: z
    .enum(["bubblewrap", "unconfined"])
    .optional()
    .describe(
      "Default bubblewrap: commands see the root read-only, the workspace writable, none of the gateway's state, config, secrets or HOME. \"unconfined\" runs them as the gateway's user, able to read all it can.",
    ),
  network: z
    .enum(["none", "host"])
    .optional()
    .describe("Default none: only the sandbox's own loopback. host: the host's network."),
  pidsLimit: z
    .number()
    .int()
    .min(8)
    .max(1_000_000)
    .optional()
    .describe("Processes and threads of one command at once; default 256."),
  cpuSeconds: z
    .number()
    .int()
    .min(1)
    .max(86_400)
    .optional()
    .describe("CPU seconds of each process (RLIMIT_CPU); default 60."),
  maxFileMb: z
    .number()
    .int()
    .min(1)
    .max(1_048_576)
    .optional()
    .describe(
      "Largest file a command may write (RLIMIT_FSIZE), and the size of its private /tmp; default 256.",
    ),
  hide: z
    .array(z.string().min(1))
    .optional()
    .describe(
      "More host paths commands and file tools never see (relative to the config file); added to agents.defaults'.",
    ),
});

export const SandboxSchema = z.strictObject({
  docker: DockerSandboxSchema.optional(),
  host: HostSandboxSchema.optional(),
});

export const AgentLimitsSchema = z.strictObject({
  maxHeapMb: z
    .number()
    .int()
    .min(16)
    .max(65_536)
    .optional()
    .describe("Heap limit of a thread-bound agent's worker."),
  stackMb: z
    .number()
    .int()
    .min(1)
    .max(256)
    .optional()
    .describe("Stack size of a thread-bound agent's worker."),
  maxConcurrent: z.number().int().min(1).max(1024).optional().describe("Turns running at once."),
  maxQueue: z.number().int().min(0).max(100_000).optional().describe("Turns waiting; beyond it: 503."),
  queueTimeoutMs: z
    .number()
    .int()
    .min(0)
    .max(86_400_000)
    .optional()
    .describe(
      "How long a turn may wait for a slot, from its arrival, before it is refused with 503 + Retry-After (OC_ERR_QUEUE_TIMEOUT). Default: half of turnTimeoutMs, at most 30000; never more than turnTimeoutMs.",
    ),
  turnTimeoutMs: z
    .number()
    .int()
    .min(100)
    .max(86_400_000)
    .optional()
    .describe(
      "How long a turn may take from its arrival, time waiting for a slot included: past it, 504 (OC_ERR_TURN_TIMEOUT). Default 600000.",
    ),
  watchdogMs: z
    .number()
    .int()
    .min(100)
    .max(600_000)
    .optional()
    .describe("A worker whose event loop misses heartbeats this long is restarted."),
  busyNice: z
    .number()
    .int()
    .min(0)
    .max(19)
    .optional()
    .describe("OS nice value for a worker that keeps its event loop busy (about a second); 0: never demote."),
});

export const RestartPolicySchema = z.strictObject({
  maxCrashes: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .optional()
    .describe("Crashes within windowMs that degrade the agent."),
  windowMs: z.number().int().min(1000).max(86_400_000).optional(),
  backoffMs: z
    .number()
    .int()
    .min(10)
    .max(600_000)
    .optional()
    .describe("First restart delay; doubles per crash."),
  maxBackoffMs: z.number().int().min(10).max(3_600_000).optional(),
});

export const SubagentPolicySchema = z.strictObject({
  allow: z
    .array(z.string().min(1))
    .optional()
    .describe("Agents this one may delegate to; default: runtime subagent."),
  maxDepth: z.number().int().min(0).max(8).optional().describe("Delegation depth below this agent's turn."),
  maxFanOut: z.number().int().min(1).max(64).optional().describe("Delegations per turn."),
});

export const PoolSchema = z.strictObject({
  size: z
    .number()
    .int()
    .min(1)
    .max(64)
    .describe("Worker threads shared by agents that are not thread-bound."),
});

const agentFields = {
  name: z.string().min(1).optional(),
  runtime: z
    .enum(["agent", "subagent"])
    .optional()
    .describe("subagent: may also be delegated to by other agents."),
  threadBound: z.boolean().optional().describe("Run this agent in its own worker thread."),
  model: z
    .string()
    .min(1)
    .optional()
    .describe("provider/model, e.g. anthropic/claude-sonnet-4-5, local/gpt-oss-120b or dev/echo."),
  systemPrompt: z.string().optional(),
  maxSteps: z.number().int().min(1).max(64).optional().describe("Model calls per turn (tool loops)."),
  tools: z.array(z.string().min(1)).optional().describe("Allow-list of tool names; all tools when absent."),
  sandbox: SandboxSchema.optional(),
  workspace: z
    .string()
    .min(1)
    .optional()
    .describe("The agent's workspace directory; default <state dir>/workspace/<id>."),
  plugins: z
    .array(z.string().min(1))
    .optional()
    .describe("ES modules exporting tools, relative to the config file; loaded in the agent's own thread."),
  limits: AgentLimitsSchema.optional(),
  restart: RestartPolicySchema.optional(),
  subagents: SubagentPolicySchema.optional(),
};

export const AgentSchema = z.strictObject(agentFields);
export const AgentDefaultsSchema = z.strictObject({ ...agentFields, pool: PoolSchema.optional() });

export const AgentsSchema = z
  .object({ defaults: AgentDefaultsSchema.optional() })
  .catchall(AgentSchema)
  .superRefine(
    (agents, context) => {
      for (const id of Object.keys(agents)) {
        if (id !== "defaults" && !AGENT_ID_PATTERN.test(id)) {
          context.addIssue({
            code: "custom",
            path: [id],
            message: `agent id "${id}" must be 1-64 letters, digits, '-' or '_', starting with a letter or digit`,
          });
        }
      }
    },
    // By default zod skips this check when an agent has another error; a bad id must still be listed.
    {
      when: (payload) =>
        typeof payload.value === "object" && payload.value !== null && !Array.isArray(payload.value),
    },
  );

export const TrustedProxyAuthSchema = z.strictObject({
  userHeader: z
    .string()
    .min(1)
    .prefault("x-forwarded-user")
    .describe("Header carrying the authenticated user."),
  requiredHeaders: z.array(z.string().min(1)).prefault([]).describe("Headers the proxy must always set."),
  allowUsers: z
    .array(z.string().min(1))
    .optional()
    .describe("Users allowed in; default: any the proxy vouches for."),
  allowLoopback: z.boolean().prefault(false).describe("Believe a proxy on this host (127.0.0.1 / ::1)."),
});

export const AuthRateLimitSchema = z.strictObject({
  maxAttempts: z.number().int().min(1).max(10_000).prefault(10),
  windowMs: z.number().int().min(1000).max(86_400_000).prefault(60_000),
  lockoutMs: z.number().int().min(1000).max(86_400_000).prefault(300_000),
});

export const GatewayAuthSchema = z.strictObject({
  mode: z
    .enum(["none", "token", "password", "trusted-proxy"])
    .optional()
    .describe("How clients authenticate. Default: password when only a password is set, else token."),
  token: CredentialSchema.optional().describe(
    'Shared bearer token; use { "$secret": "<name>" }. Unset in token mode: generated into the state dir.',
  ),
  password: CredentialSchema.optional().describe('Shared password; use { "$secret": "<name>" }.'),
  trustedProxy: TrustedProxyAuthSchema.optional(),
  rateLimit: AuthRateLimitSchema.prefault({}),
  capabilityTtlMs: z
    .number()
    .int()
    .min(1000)
    .max(86_400_000)
    .prefault(600_000)
    .describe("Lifetime of a node's canvas/A2UI capability; nodes refresh it over the WebSocket."),
});

export const TlsSchema = z.strictObject({
  enabled: z.boolean().prefault(false),
  certPath: z.string().min(1).optional(),
  keyPath: z.string().min(1).optional(),
  autoGenerate: z
    .boolean()
    .prefault(false)
    .describe("Create a self-signed certificate in the state dir once, when no certPath is given."),
});

export const ControlUiSchema = z.strictObject({
  allowedOrigins: z
    .array(z.string().min(1))
    .prefault([])
    .describe(
      "Browser origins whose pages may call the gateway (HTTP and WebSocket) besides its own; their hosts are allowed Host names too.",
    ),
});

export const GatewaySchema = z.strictObject({
  host: z.string().min(1).prefault(DEFAULT_HOST).describe("Address to bind; 0.0.0.0 for all interfaces."),
  port: z.number().int().min(0).max(65535).prefault(DEFAULT_PORT),
  mode: z
    .enum(["development", "production"])
    .prefault("development")
    .describe("production refuses plaintext credentials in this file; development warns once."),
  auth: GatewayAuthSchema.prefault({}),
  trustedProxies: z
    .array(z.string().min(1))
    .prefault([])
    .describe("Addresses (IPs, CIDRs) of reverse proxies whose forwarded headers are believed."),
  tls: TlsSchema.prefault({}),
  controlUi: ControlUiSchema.prefault({}),
  allowedHosts: z
    .array(z.string().min(1))
    .prefault([])
    .describe(
      "Host names (Host header) the gateway answers to besides loopback, its bind address and the hosts of controlUi.allowedOrigins; others get 421.",
    ),
  maxBodyBytes: z
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .prefault(1024 * 1024),
});

export const ModelsSchema = z.strictObject({
  providers: z.record(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/), ProviderSchema).prefault({}),
});

export const MemorySchema = z.strictObject({
  enabled: z
    .boolean()
    .prefault(true)
    .describe("Per-agent memory (SQLite under the state dir) and the memory_* tools."),
  embeddings: z
    .strictObject({
      provider: z.enum(["openai", "openai-compatible"]).prefault("openai-compatible"),
      model: z.string().min(1),
      baseUrl: z
        .url({ protocol: /^https?$/, error: "expected an http:// or https:// URL" })
        .optional()
        .describe(
          "Default https://api.openai.com/v1 for openai; required for openai-compatible (Ollama, vLLM, llama.cpp).",
        ),
      apiKey: CredentialSchema.optional(),
      dimensions: z
        .number()
        .int()
        .min(1)
        .max(8192)
        .optional()
        .describe("Vector size; learned from the first answer when unset."),
      batchSize: z.number().int().min(1).max(2048).prefault(64),
    })
    .optional()
    .describe("Without it, memory search is keyword-only (and says so)."),
  qdrant: z
    .strictObject({
      url: z.url({ protocol: /^https?$/, error: "expected an http:// or https:// URL" }),
      apiKey: CredentialSchema.optional(),
      collection: z.string().min(1).max(255).prefault("openclaw-memories"),
      mode: z.enum(["sync", "primary"]).prefault("sync"),
    })
    .optional(),
});

export const LoggingSchema = z.strictObject({
  /** OPENCLAW_LOG_LEVEL, when set, wins (for one run without editing the file). */
  level: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).prefault("info"),
  /** JSON lines in `<state>/logs/gateway.log`, rotated by size; `openclaw logs` reads them. */
  file: z
    .strictObject({
      maxSizeMb: z.number().positive().max(1024).prefault(10),
      maxFiles: z.number().int().min(0).max(100).prefault(5),
    })
    .prefault({}),
  /**
   * What also goes to stdout: `auto` is pretty lines on a terminal, JSON lines otherwise (for
   * journald or `docker logs`), nothing when the gateway runs detached (`gateway start`).
   */
  console: z.enum(["auto", "pretty", "json", "off"]).prefault("auto"),
});

const RETENTION_MAX_DAYS = 36_500;
const RETENTION_MAX_MB = 10_485_760;
const retentionDays = () => z.number().int().min(1).max(RETENTION_MAX_DAYS);
const retentionMb = () => z.number().positive().max(RETENTION_MAX_MB);

export const SessionsSchema = z.strictObject({
  retention: z
    .strictObject({
      maxAgeDays: retentionDays()
        .optional()
        .describe(
          "Session transcripts (one file per session key) not written to for this many days are deleted. Unset (the default): kept, as a session's transcript is the only copy of its conversation.",
        ),
      maxTotalMb: retentionMb()
        .optional()
        .describe(
          "Session transcripts together are kept under this size, the least recently written deleted first. Unset (the default): no bound. Request transcripts are bounded on their own (requests).",
        ),
      requests: z
        .strictObject({
          maxAgeDays: retentionDays()
            .prefault(7)
            .describe("Days of request transcripts kept, today's included."),
          maxTotalMb: retentionMb()
            .prefault(1024)
            .describe(
              "Request transcripts together are kept under this size, the oldest day deleted first; today's file is never deleted, so it can exceed this on its own.",
            ),
        })
        .prefault({})
        .describe(
          "Transcripts of stateless requests (<state>/sessions/requests-YYYY-MM-DD.jsonl): bounded by default, as they grow with the request rate (about 0.7 KB a turn) and nobody reads them back by key.",
        ),
    })
    .prefault({})
    .describe(
      "What is deleted from <state>/sessions, at start and every hour, oldest first; a file being written never is. `openclaw status` shows what was last removed.",
    ),
});

export const MetricsSchema = z.strictObject({
  enabled: z.boolean().prefault(true).describe("Serve GET /metrics (Prometheus text format)."),
  public: z
    .boolean()
    .prefault(false)
    .describe(
      "Serve /metrics without auth, for a scraper that cannot send the token; it names agents, models and tools.",
    ),
});

export const ConfigSchema = z
  .strictObject({
    $schema: z.string().optional(),
    gateway: GatewaySchema.prefault({}),
    externalSecrets: z
      .record(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/), ExternalSecretSchema)
      .prefault({}),
    models: ModelsSchema.prefault({}),
    agents: AgentsSchema.prefault({}),
    memory: MemorySchema.prefault({}),
    logging: LoggingSchema.prefault({}),
    metrics: MetricsSchema.prefault({}),
    sessions: SessionsSchema.prefault({}),
  })
  .superRefine((config, context) => {
    // A reference to an undeclared secret is a config error (with its line), not a runtime surprise.
    const declared = Object.keys(config.externalSecrets);
    const walk = (value: unknown, path: (string | number)[]): void => {
      if (Array.isArray(value)) {
        for (const [index, item] of value.entries()) walk(item, [...path, index]);
      } else if (typeof value === "object" && value !== null) {
        const name = (value as { $secret?: unknown }).$secret;
        if (typeof name === "string" && !Object.hasOwn(config.externalSecrets, name)) {
          context.addIssue({
            code: "custom",
            path: [...path, "$secret"],
            message:
              `secret "${name}" is not declared in externalSecrets ` +
              `(declared: ${declared.length > 0 ? declared.join(", ") : "none"})`,
          });
          return;
        }
        for (const [key, inner] of Object.entries(value)) {
          if (!(path.length === 0 && key === "externalSecrets")) walk(inner, [...path, key]);
        }
      }
    };
    walk(config, []);
    if (config.gateway.mode === "production") {
      for (const path of plaintextCredentialPaths(config)) {
        context.addIssue({
          code: "custom",
          path,
          message:
            'plaintext credential refused: gateway.mode is "production". Declare the value in ' +
            'externalSecrets (e.g. "my-key": { "source": "file", "path": "/etc/openclaw/secrets/my.key" }) ' +
            'and put { "$secret": "my-key" } here',
        });
      }
    }
  })
  .describe("openclaw.json: configuration of the OpenClaw gateway.");

export type OpenClawConfig = z.output<typeof ConfigSchema>;
export type AgentConfig = z.output<typeof AgentSchema>;
export type ProviderConfig = z.output<typeof ProviderSchema>;
export type ExternalSecretConfig = z.output<typeof ExternalSecretSchema>;
export type Credential = z.output<typeof CredentialSchema>;
export type GatewayAuthConfig = z.output<typeof GatewayAuthSchema>;
export type SandboxConfig = z.output<typeof SandboxSchema>;
export type MemoryConfig = z.output<typeof MemorySchema>;
export type MetricsConfig = z.output<typeof MetricsSchema>;
export type SessionsConfig = z.output<typeof SessionsSchema>;
export type DockerSandboxConfig = z.output<typeof DockerSandboxSchema>;
export type AgentLimits = z.output<typeof AgentLimitsSchema>;
export type RestartPolicy = z.output<typeof RestartPolicySchema>;
export type SubagentPolicy = z.output<typeof SubagentPolicySchema>;

/** The config's JSON Schema, as printed by `openclaw config schema`. */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ConfigSchema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
}
