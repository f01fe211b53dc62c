import { agentMayUseMcpServer, agentOffersMcpTool } from "../agents/index.js";
import { resolveAgentConfigs } from "../config/agents.js";
import type { Credential, McpServerConfig, OpenClawConfig } from "../config/index.js";
import { createConfinement } from "../confinement/index.js";
import { OpenClawError } from "../errors.js";
import type { Logger } from "../logging/index.js";
import {
  McpClients,
  mcpService,
  openTransport,
  type ServerLaunch,
  type ServerPlacement,
  withoutStartupHooks,
} from "../mcp/index.js";
import { CONTAINER_WORKSPACE, containerName, defaultSandboxUser } from "../sandbox/index.js";
import type { Redactor, SecretStore } from "../secrets/index.js";
import type { GatewayPart } from "./lifecycle/part-group.js";

interface WorkspaceSettings {
  root: string;
  sandboxed: boolean;
  hidden: string[];
  host: { confinement: "bubblewrap" | "unconfined"; network: "none" | "host" };
}

/**
 * The MCP client side of the gateway: the sessions with `mcp.servers` (on this thread, where
 * their secrets are read), the `mcp` host service the agents' proxy tools call, and the part
 * that stops the servers of agents that go and all of them at shutdown.
 */
export function createGatewayMcp(options: {
  config: () => OpenClawConfig;
  secrets: Pick<SecretStore, "get" | "has">;
  redactor: Pick<Redactor, "add">;
  logger: { info(fields: object, message: string): void; warn(fields: object, message: string): void };
  workspaceOf(agentId: string): WorkspaceSettings | undefined;
  agentIds(): string[];
  /** Servers given a secret that rotates are restarted with its new value on their next use. */
  onSecretRotate?(listener: (name: string) => void): () => void;
}) {
  const confinements = new Map<string, ReturnType<typeof createConfinement>>();
  const confinementFor = (searchPath: string) => {
    let confinement = confinements.get(searchPath);
    if (!confinement) {
      confinement = createConfinement({ searchPath });
      confinements.set(searchPath, confinement);
    }
    return confinement;
  };
  const read = (server: string, field: string, values: Record<string, Credential> | undefined) => {
    const resolved: Record<string, string> = {};
    for (const [name, credential] of Object.entries(values ?? {})) {
      const value = typeof credential === "string" ? credential : options.secrets.get(credential.$secret);
      if (value === undefined) {
        const secret = typeof credential === "string" ? "" : credential.$secret;
        throw new OpenClawError(
          "OC_ERR_SECRET_UNAVAILABLE",
          `mcp.servers.${server}.${field}.${name} needs secret "${secret}", which has no value`,
          { hint: "fix the secret's source (`openclaw secrets check`)" },
        );
      }
      // Whatever the server prints of it (stderr, an error) is masked in logs and replies.
      if (typeof credential !== "string") options.redactor.add(value);
      resolved[name] = value;
    }
    return resolved;
  };
  const launchOf = (server: string, definition: McpServerConfig): ServerLaunch =>
    "url" in definition
      ? {
          kind: "remote",
          url: definition.url,
          transport: definition.transport,
          headers: read(server, "headers", definition.headers),
        }
      : {
          kind: "stdio",
          command: definition.command,
          args: definition.args,
          env: withoutStartupHooks(server, read(server, "env", definition.env), options.logger),
          cwd: definition.cwd ?? definition.workingDirectory,
        };
  const placementOf = (agentId: string): ServerPlacement | undefined => {
    const workspace = options.workspaceOf(agentId);
    if (!workspace) return undefined;
    const docker = workspace.sandboxed
      ? resolveAgentConfigs(options.config()).find((agent) => agent.id === agentId)?.sandbox?.docker
      : undefined;
    // One container per agent: its stdio servers run there. Per session: refused (no one container).
    const container =
      workspace.sandboxed && (docker?.scope ?? "agent") === "agent"
        ? {
            name: containerName(agentId),
            user: docker?.user ?? defaultSandboxUser(),
            workdir: CONTAINER_WORKSPACE,
          }
        : undefined;
    return {
      root: workspace.root,
      hidden: workspace.hidden,
      network: workspace.host.network,
      confinement: workspace.host.confinement,
      sandboxed: workspace.sandboxed,
      ...(container ? { container } : {}),
    };
  };
  const clients = new McpClients({
    config: () => options.config().mcp,
    launchOf,
    placementOf,
    open: (server, launch, placement) => {
      // The gateway's PATH (no secret in it) finds the program, and the confined server's too.
      const searchPath = process.env.PATH ?? "";
      return openTransport({
        server,
        launch,
        placement,
        confinement: confinementFor(searchPath),
        searchPath,
      });
    },
    logger: options.logger,
  });
  const agentOf = (agentId: string) => {
    const config = options.config();
    return { config, agent: resolveAgentConfigs(config).find((candidate) => candidate.id === agentId) };
  };
  const handler = mcpService({
    clients,
    allowed: (agentId, tool) => {
      const { agent, config } = agentOf(agentId);
      return agent !== undefined && agentOffersMcpTool(agent, config, tool);
    },
    wanted: (agentId, server) => {
      const { agent, config } = agentOf(agentId);
      return agent !== undefined && agentMayUseMcpServer(agent, config, server);
    },
  });
  let unsubscribe: (() => void) | undefined;
  const part: GatewayPart = {
    name: "mcp",
    start: async () => {
      unsubscribe = options.onSecretRotate?.((name) => clients.secretRotated(name));
    },
    apply: async () => clients.retire(options.agentIds()),
    stop: async () => {
      unsubscribe?.();
      await clients.close();
    },
  };
  // Checked on every turn: with no server enabled, the agent's thread skips asking for the list.
  const idleFor = () => !clients.hasEnabledServers();
  return { clients, handler, idleFor, part };
}

/** The gateway's MCP part, read lazily: it is built before the gateway's other parts exist. */
export function gatewayMcp(gateway: {
  config(): OpenClawConfig;
  readonly credentials: {
    store: Pick<SecretStore, "get" | "has">;
    onRotate(listener: (name: string) => void): () => void;
  };
  readonly redactor: Pick<Redactor, "add">;
  readonly logger: Logger;
  readonly supervisor: { workspaceOf(agentId: string): WorkspaceSettings | undefined; agentIds(): string[] };
}) {
  return createGatewayMcp({
    config: () => gateway.config(),
    secrets: {
      get: (name) => gateway.credentials.store.get(name),
      has: (name) => gateway.credentials.store.has(name),
    },
    redactor: { add: (value) => gateway.redactor.add(value) },
    logger: {
      info: (fields: object, message: string) => gateway.logger.info(fields, message),
      warn: (fields: object, message: string) => gateway.logger.warn(fields, message),
    },
    workspaceOf: (agentId) => gateway.supervisor.workspaceOf(agentId),
    agentIds: () => gateway.supervisor.agentIds(),
    onSecretRotate: (listener) => gateway.credentials.onRotate(listener),
  });
}
