import { join } from "node:path";
import type { RunService } from "../agents/index.js";
import { bindingView, type ThreadBindingView } from "../channels/thread-bindings/index.js";
import { httpUrl } from "./client-address.js";
import type { Gateway } from "./gateway.js";
import { hookRouteDeps } from "./gateway-hooks.js";
import { mcpRouteDeps } from "./gateway-mcp-serve.js";
import { logPathOf } from "./gateway-parts.js";
import type { HttpServerDeps } from "./http-server.js";
import { httpEndpointEnabled } from "./routes/openai-endpoints.js";
import type { StatusSources } from "./status-report.js";
import type { BroadcastBus } from "./ws/broadcast-bus.js";
import type { MethodFamilies } from "./ws/ws-methods.js";
import { buildMethodTable } from "./ws/ws-methods.js";

/**
 * The composition of what the server serves: each route family and WebSocket method family is
 * handed only the parts it uses. This is the one place that sees every part; nothing it builds
 * does.
 */
export function httpServerDeps(
  gateway: Gateway,
  parts: { runs: RunService; broadcast: BroadcastBus; bindHost: string; tls?: { cert: string; key: string } },
): HttpServerDeps {
  const { supervisor, security, credentials, metrics } = gateway;
  const defaultAgentId = () => supervisor.agentIds()[0] ?? "main";
  const statusReport = () => gateway.statusReport();
  const openAiAgents = {
    agentIds: () => supervisor.agentIds(),
    has: (agentId: string) => supervisor.has(agentId),
    defaultAgentId,
    modelOf: (agentId: string) => supervisor.modelOf(agentId),
  };
  const families: MethodFamilies = {
    system: {
      startedAt: gateway.startedAt,
      supervisor,
      presence: gateway.presence,
      statusReport,
      configPath: gateway.configPath,
      config: () => gateway.config(),
      configLoadedAt: () => gateway.configControl.configLoadedAt(),
      runningConfigHash: () => gateway.configControl.runningHash(),
    },
    agents: { supervisor, defaultAgentId },
    sessions: { transcripts: gateway.transcripts },
    chat: { runs: parts.runs },
    agentRun: { runs: parts.runs },
    canvas: { security: gateway.security, canvases: gateway.canvases, runs: parts.runs },
    nodePairing: {
      nodes: security.nodes,
      isNodeConnected: (nodeId) => security.isNodeConnected(nodeId),
      broadcast: parts.broadcast,
    },
    nodeSession: { security },
    secrets: { secrets: () => credentials.list(), reloadSecrets: () => gateway.reloadSecrets() },
    channels: {
      status: () => gateway.channels.status(),
      threadBindings: () => threadBindingViews(gateway),
      pending: (channel) => gateway.channels.pendingPairings(channel),
      approve: (request) => gateway.channels.approvePairing(request),
      dismiss: (request) => gateway.channels.dismissPairing(request),
      config: () => gateway.config().channels as Record<string, unknown>,
    },
    cron: { cron: gateway.automation.cron },
  };
  return {
    version: gateway.version,
    logger: gateway.logger,
    bindHost: parts.bindHost,
    ...(parts.tls ? { tls: parts.tls } : {}),
    maxBodyBytes: gateway.config().gateway.maxBodyBytes,
    boundary: {
      config: () => gateway.config(),
      security: () => gateway.security,
      hooks: gateway.hooks.auth,
      cluster: gateway.cluster.auth,
    },
    redactor: gateway.redactor,
    httpMetrics: metrics.http,
    connection: {
      version: gateway.version,
      startedAt: gateway.startedAt,
      logger: gateway.logger,
      presence: gateway.presence,
      security,
      broadcast: parts.broadcast,
      redactor: gateway.redactor,
      methods: buildMethodTable(families),
      defaultAgentId,
    },
    routes: {
      metrics: { enabled: () => gateway.config().metrics.enabled, metrics },
      health: {
        isShuttingDown: () => gateway.isShuttingDown(),
        stateDir: gateway.stateDirHealth,
        anyAgentReady: () => supervisor.list().some((agent) => agent.state === "ready"),
        storageReachable: () => gateway.storage.reachable(),
      },
      cluster: {
        runForwardedTurn: gateway.cluster.runForwardedTurn,
        status: () => gateway.cluster.status(),
      },
      status: { statusReport },
      agentControl: { agents: supervisor, diagnosticsDir: join(gateway.stateDir, "diagnostics") },
      secrets: { list: () => credentials.list(), reload: (names) => gateway.reloadSecrets(names) },
      sessions: { transcripts: gateway.transcripts, sessionEnded: (key) => supervisor.endSession(key) },
      config: { applyConfigFile: (options) => gateway.configControl.applyFile(options) },
      canvas: { nodeCanvases: security.canvas, sessionCanvases: gateway.canvases },
      nodes: { nodes: security.nodes },
      memory: {
        status: () => gateway.memoryStatus(),
        resync: (agentId) => gateway.resyncMemory(agentId),
        repair: (agentId, options) => gateway.repairMemory(agentId, options),
      },
      usage: {
        ledger: gateway.usage,
        onDamage: (report) =>
          gateway.logger.warn(report, `usage ledger has ${report.count} unreadable line(s), not counted`),
      },
      models: {
        startedAt: gateway.startedAt,
        agents: openAiAgents,
        enabled: () => httpEndpointEnabled(gateway.config(), "models"),
      },
      modelCatalog: {
        config: () => gateway.config(),
        agents: supervisor,
        readCredential: credentials.readCredential,
        fetch: credentials.broker.fetch,
      },
      channels: {
        status: () => gateway.channels.status(),
        threadBindings: () => threadBindingViews(gateway),
        send: (request) => gateway.channels.send(request),
        pending: (channel) => gateway.channels.pendingPairings(channel),
        approvals: (channel) => gateway.channels.approvals(channel),
        approve: (request) => gateway.channels.approvePairing(request),
        dismiss: (request) => gateway.channels.dismissPairing(request),
      },
      openAiChat: {
        runs: parts.runs,
        agents: openAiAgents,
        redactor: gateway.redactor,
        httpMetrics: metrics.http,
        enabled: () => httpEndpointEnabled(gateway.config(), "chatCompletions"),
      },
      toolsInvoke: { runs: parts.runs, agents: openAiAgents },
      cron: { cron: gateway.automation.cron },
      embeddings: { agents: openAiAgents, embedder: () => gateway.memoryEmbedder() },
      hooks: hookRouteDeps(gateway),
      responses: {
        runs: parts.runs,
        agents: openAiAgents,
        redactor: gateway.redactor,
        httpMetrics: metrics.http,
        enabled: () => httpEndpointEnabled(gateway.config(), "responses"),
      },
      mcp: mcpRouteDeps(gateway, parts.runs),
    },
  };
}

/** What the status report reads, from the parts that own it. */
export function statusSources(gateway: Gateway): StatusSources {
  return {
    version: gateway.version,
    startedAt: gateway.startedAt,
    configPath: gateway.configPath,
    config: () => gateway.config(),
    configLoadedAt: () => gateway.configControl.configLoadedAt(),
    runningConfigHash: () => gateway.configControl.runningHash(),
    pendingConfig: () => gateway.configControl.pendingConfig(),
    listening: () => gateway.listening(),
    chat: gateway.chat,
    supervisor: gateway.supervisor,
    secrets: () => gateway.credentials.list(),
    memoryStatus: () => gateway.memoryStatus(),
    retention: gateway.retention,
    stateDirHealth: gateway.stateDirHealth,
    security: gateway.security,
    channels: () => gateway.channels.status(),
    mcp: () => gateway.mcp.clients.status(),
  };
}

/** What gateway.json says of this process, for the CLI on this host. */
export function runtimeStateFields(
  gateway: Gateway,
  address: { host: string; port: number },
  tls: { certPath: string } | undefined,
) {
  const fingerprint = gateway.security.generatedTokenFingerprint();
  return {
    pid: process.pid,
    url: httpUrl(address.host, address.port, tls ? "https" : "http"),
    host: address.host,
    port: address.port,
    configPath: gateway.configPath,
    startedAt: gateway.startedAt,
    listeningAt: Date.now(),
    version: gateway.version,
    ...logPathOf(gateway.logger),
    ...(tls ? { tlsCertPath: tls.certPath } : {}),
    ...(fingerprint ? { tokenFingerprint: fingerprint } : {}),
  };
}

/** The gateway's thread bindings as status shows them. */
async function threadBindingViews(gateway: Gateway): Promise<ThreadBindingView[]> {
  return (await gateway.threads.bindings.list()).map(bindingView);
}
