import {
  agentOffersTool,
  CANVAS_SERVICE,
  canvasService,
  type HostServiceHandler,
  HostServiceRegistry,
  MEMORY_SERVICE,
  MESSAGE_SERVICE,
  type MessageSend,
  memoryService,
  messageService,
  SANDBOX_SERVICE,
  type SandboxHost,
  SESSIONS_SERVICE,
  SUBAGENTS_SERVICE,
  type SubagentRuns,
  sandboxService,
  subagentsService,
} from "../agents/index.js";
import type { SessionCanvases } from "../canvas/index.js";
import { resolveAgentConfigs } from "../config/agents.js";
import type { OpenClawConfig } from "../config/index.js";
import { OpenClawError } from "../errors.js";
import type { StateDirHealth } from "../state-dir-health/index.js";
import { BROWSER_SERVICE, MCP_SERVICE, WEB_SERVICE } from "../tools/index.js";
import { testHostResolver, webFetchConfigFor, webFetchService } from "../web/index.js";
import { gatewayBrowserService } from "./gateway-browser.js";
import type { GatewayMemory } from "./gateway-parts.js";

/**
 * The `canvas` tool's service. A deleted session's canvas goes with it; the subscription is made
 * on the first call, as the transcript store it listens to is built after the host services.
 */
export function sessionCanvasService(
  canvases: Pick<SessionCanvases, "apply" | "forget">,
  sessionEnds?: () => { onSessionEnd(listener: (sessionKey: string) => void): () => void },
): HostServiceHandler {
  let listening = false;
  const service = canvasService((call) =>
    canvases.apply(call.agentId, call.sessionKey, call.action, call.input),
  );
  return (call) => {
    if (!listening && sessionEnds) {
      listening = true;
      sessionEnds().onSessionEnd((sessionKey) => canvases.forget(sessionKey));
    }
    return service(call);
  };
}

/** What the agents' tools reach through `context.host`; a new service is one more register. */
export function gatewayHostServices(options: {
  /** The MCP servers' tools (see gateway-mcp); idle for an agent while no server is enabled. */
  mcp: { handler: HostServiceHandler; idleFor(agentId: string): boolean };
  sandbox: SandboxHost;
  /** Subagent runs a later turn of the same session may collect (agents_wait). */
  subagentRuns: () => SubagentRuns;
  /** Spawns bound to a chat thread and agents_list (see gateway-thread-bindings). */
  sessions: () => HostServiceHandler;
  canvases: SessionCanvases;
  memory: () => GatewayMemory | undefined;
  channels: () => { send(request: MessageSend): Promise<unknown> };
  /** The config in force: an agent's `tools` allow-list says whether it may send messages. */
  config: () => OpenClawConfig;
  redactor: { redactValue<T>(value: T): T };
  stateDirHealth: Pick<StateDirHealth, "writeFailed" | "stateDir">;
  /** Sessions deleted from now on: their browser contexts (and processes) go with them. */
  sessionEnds?: () => { onSessionEnd(listener: (sessionKey: string) => void): () => void };
}): HostServiceRegistry {
  return new HostServiceRegistry()
    .register(MCP_SERVICE, options.mcp.handler, { idleFor: options.mcp.idleFor })
    .register(SANDBOX_SERVICE, sandboxService(options.sandbox))
    .register(
      WEB_SERVICE,
      webFetchService({
        config: (agentId) => webFetchConfigFor(options.config(), agentId),
        resolve: testHostResolver(process.env.OPENCLAW_TEST_WEB_FETCH_HOSTS),
      }),
    )
    .register(
      BROWSER_SERVICE,
      gatewayBrowserService({
        config: options.config,
        stateDir: options.stateDirHealth.stateDir,
        ...(options.sessionEnds ? { sessionEnds: options.sessionEnds } : {}),
      }),
    )
    .register(SUBAGENTS_SERVICE, (call) => subagentsService(options.subagentRuns())(call))
    .register(SESSIONS_SERVICE, (call) => options.sessions()(call))
    .register(CANVAS_SERVICE, sessionCanvasService(options.canvases, options.sessionEnds))
    .register(
      MESSAGE_SERVICE,
      messageService({
        allowed: (agentId) => {
          const config = options.config();
          const agent = resolveAgentConfigs(config).find((candidate) => candidate.id === agentId);
          return agent !== undefined && agentOffersTool(agent, config, "message");
        },
        // What an agent sends leaves the gateway: masked like everything it says.
        send: (request) => options.channels().send(options.redactor.redactValue(request)),
      }),
    )
    .register(
      MEMORY_SERVICE,
      memoryService((call) => {
        const memory = options.memory();
        if (!memory) {
          return Promise.reject(
            new OpenClawError("OC_ERR_MEMORY", "memory is off (memory.enabled is false)"),
          );
        }
        // What an agent stores is kept on disk, embedded and synced: masked like a transcript.
        // A full disk (SQLITE_FULL) is the state dir's health too; the tool call fails as it did.
        return memory.service
          .call({ ...call, input: options.redactor.redactValue(call.input) })
          .catch((error: unknown) => {
            options.stateDirHealth.writeFailed("memory", error);
            throw error;
          });
      }),
    );
}
