import { z } from "zod";
import { plaintextCredentialPaths } from "./plaintext-credentials.js";
import {
  type AgentLimitsSchema,
  type AgentSchema,
  AgentsSchema,
  type RestartPolicySchema,
  type SubagentPolicySchema,
} from "./schema/agents.js";
import { BindingsSchema, ChannelsSchema, SessionSchema } from "./schema/channels.js";
import { ClusterSchema } from "./schema/cluster.js";
import { type CredentialSchema, ExternalSecretSchema } from "./schema/credentials.js";
import { type GatewayAuthSchema, GatewaySchema } from "./schema/gateway.js";
import { HooksSchema } from "./schema/hooks.js";
import { LoggingSchema } from "./schema/logging.js";
import { McpSchema } from "./schema/mcp.js";
import { MemorySchema } from "./schema/memory.js";
import { MetricsSchema } from "./schema/metrics.js";
import { ModelsSchema, type ProviderSchema } from "./schema/models.js";
import { OPENCLAW_ONLY_TOP_LEVEL, openclawOnlyKeys } from "./schema/openclaw-only.js";
import type { DockerSandboxSchema, SandboxSchema } from "./schema/sandbox.js";
import { SecretsSchema } from "./schema/secrets.js";
import { SessionsSchema } from "./schema/sessions.js";
import { SkillsSchema } from "./schema/skills.js";
import { StorageSchema } from "./schema/storage.js";
import { ToolPolicySchema } from "./schema/tools.js";

/**
 * The one source of truth for `openclaw.json`: the whole file here, each section in its own
 * file under schema/. Objects are strict so that a typo is an error (with a suggestion) rather
 * than a silently ignored setting. `prefault` is used instead of `default` so that a missing
 * section is parsed through its schema and gets its inner defaults.
 */

export {
  AGENT_ID_PATTERN,
  AgentDefaultsSchema,
  AgentLimitsSchema,
  AgentSchema,
  AgentsSchema,
  PoolSchema,
  RestartPolicySchema,
  SubagentPolicySchema,
} from "./schema/agents.js";
export {
  BindingSchema,
  BindingsSchema,
  ChannelsSchema,
  DmPolicySchema,
  GroupPolicySchema,
  IrcChannelSchema,
  SessionSchema,
  TelegramChannelSchema,
} from "./schema/channels.js";
export { ClusterSchema } from "./schema/cluster.js";
export { CredentialSchema, ExternalSecretSchema, SecretRefSchema } from "./schema/credentials.js";
export {
  AuthRateLimitSchema,
  ControlUiSchema,
  DEFAULT_HOST,
  DEFAULT_PORT,
  GatewayAuthSchema,
  GatewaySchema,
  TlsSchema,
  TrustedProxyAuthSchema,
} from "./schema/gateway.js";
export { LoggingSchema } from "./schema/logging.js";
export { MemorySchema } from "./schema/memory.js";
export { MetricsSchema } from "./schema/metrics.js";
export { ModelsSchema, ProviderSchema, ProviderTypeSchema } from "./schema/models.js";
export { DockerSandboxSchema, HostSandboxSchema, SandboxSchema } from "./schema/sandbox.js";
export { SessionsSchema } from "./schema/sessions.js";
export { type StorageConfig, StorageSchema } from "./schema/storage.js";

export const ConfigSchema = z
  .strictObject({
    $schema: z.string().optional(),
    gateway: GatewaySchema.prefault({}),
    externalSecrets: z
      .record(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/), ExternalSecretSchema)
      .prefault({}),
    secrets: SecretsSchema.prefault({}).describe(
      "OpenClaw's secret providers; SecretRefs { source, provider, id } in credential fields resolve through them.",
    ),
    models: ModelsSchema.prefault({}),
    agents: AgentsSchema.prefault({}),
    tools: ToolPolicySchema.optional().describe(
      "OpenClaw's tool policy for every agent; an agent's own tools narrow it further.",
    ),
    memory: MemorySchema.prefault({}),
    storage: StorageSchema.prefault({}).describe(
      "Where the gateway keeps sessions, nodes, channel state and cron: the state dir (sqlite) or a PostgreSQL several gateways share.",
    ),
    mcp: McpSchema.prefault({}),
    skills: SkillsSchema.prefault({}),
    logging: LoggingSchema.prefault({}),
    metrics: MetricsSchema.prefault({}),
    sessions: SessionsSchema.prefault({}),
    channels: ChannelsSchema.prefault({}),
    bindings: BindingsSchema.prefault([]),
    session: SessionSchema.prefault({}),
    hooks: HooksSchema.prefault({}),
    cluster: ClusterSchema.prefault({}).describe(
      "Replicas sharing one storage: how peers reach this gateway, announcement and session lease timings.",
    ),
    ...openclawOnlyKeys(OPENCLAW_ONLY_TOP_LEVEL),
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
export type McpConfig = z.output<typeof McpSchema>;
export type McpServerConfig = McpConfig["servers"][string];
export type MetricsConfig = z.output<typeof MetricsSchema>;
export type SessionsConfig = z.output<typeof SessionsSchema>;
export type ChannelsConfig = z.output<typeof ChannelsSchema>;
export type BindingConfig = z.output<typeof BindingsSchema>[number];
export type SessionRoutingConfig = z.output<typeof SessionSchema>;
export type DockerSandboxConfig = z.output<typeof DockerSandboxSchema>;
export type AgentLimits = z.output<typeof AgentLimitsSchema>;
export type RestartPolicy = z.output<typeof RestartPolicySchema>;
export type SubagentPolicy = z.output<typeof SubagentPolicySchema>;

/** The config's JSON Schema, as printed by `openclaw config schema`. */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ConfigSchema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
}
