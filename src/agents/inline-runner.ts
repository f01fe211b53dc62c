import { performance } from "node:perf_hooks";
import { OpenClawError } from "../errors.js";
import type { ProviderFetch } from "../models/index.js";
import type { AgentRunner, RunnerStats, RunnerTurnInput } from "./agent-runner.js";
import type { AgentRuntime } from "./agent-runtime.js";
import type { AgentRuntimeSettings } from "./agent-settings.js";
import type { HostServiceRegistry } from "./host-services/host-service-registry.js";
import { RunningTurns } from "./running-turns.js";
import type { TurnOutcome } from "./turn/turn-events.js";

/**
 * Runs an agent's turns on the gateway's own event loop: the seed's "shared thread" mode. Cheap,
 * but a tool that blocks or leaks here blocks or leaks the whole gateway; nothing can stop it.
 */
export class InlineAgentRunner implements AgentRunner {
  readonly placement = "main" as const;
  private runtime: AgentRuntime | undefined;
  private readonly running = new RunningTurns();
  private eluBase = performance.eventLoopUtilization();
  private eluValue: number | undefined;

  constructor(
    private readonly settings: AgentRuntimeSettings,
    private readonly egressFetch: ProviderFetch,
    private readonly hostServices: HostServiceRegistry,
  ) {}

  async start(): Promise<void> {
    // The runtime brings the tools and the turn loop: a gateway whose agents all run in threads
    // never loads them on its own thread.
    const { AgentRuntime } = await import("./agent-runtime.js");
    this.runtime = await AgentRuntime.create(this.settings, this.egressFetch, this.hostServices.names());
  }

  async runTurn(input: RunnerTurnInput): Promise<TurnOutcome> {
    const runtime = this.runtime;
    if (!runtime)
      throw new OpenClawError("OC_ERR_AGENT_UNAVAILABLE", `agent "${this.settings.agentId}" is not started`);
    const { agentId } = this.settings;
    const idleServices = this.hostServices.idleFor(agentId);
    return this.running.run(input.signal, (signal) =>
      runtime.runTurn({
        ...input,
        signal,
        ...(idleServices ? { idleServices } : {}),
        // The registry is called directly: no thread to cross, the same answers and errors.
        host: this.hostServices.accessFor({ agentId, sessionKey: input.sessionKey, signal }),
      }),
    );
  }

  async close(reason: OpenClawError, options: { graceful?: boolean } = {}): Promise<void> {
    const runtime = this.runtime;
    this.runtime = undefined;
    // Background processes belong to this runtime: a stopped or restarted agent leaves none.
    await runtime?.shutdown();
    // Turns already running keep their runtime; graceful retirement lets them finish.
    if (!options.graceful) this.running.abortAll(reason);
  }

  async endSession(_agentId: string, sessionKey: string): Promise<void> {
    await this.runtime?.endSession(sessionKey);
  }

  stats(): RunnerStats {
    const delta = performance.eventLoopUtilization(this.eluBase);
    if (delta.idle + delta.active >= 1000 || this.eluValue === undefined) {
      this.eluValue = delta.utilization;
      this.eluBase = performance.eventLoopUtilization();
    }
    const memory = process.memoryUsage();
    return { heapUsedBytes: memory.heapUsed, eventLoopUtilization: this.eluValue };
  }
}
