import type { OpenClawError } from "../../errors.js";
import type { AgentRunner, RunnerCrashHandler, RunnerStats, RunnerTurnInput } from "../agent-runner.js";
import type { AgentRuntimeSettings } from "../agent-settings.js";
import type { TurnOutcome } from "../turn/turn-events.js";
import { AgentThread, type AgentThreadOptions } from "./agent-thread.js";

/** Grace for in-flight turns when a thread-bound agent is replaced by a config reload. */
const RETIRE_GRACE_MS = 30_000;

/** A thread-bound agent: its own worker thread, heap limit, event loop and watchdog. */
export class ThreadAgentRunner implements AgentRunner {
  readonly placement = "thread" as const;
  private readonly thread: AgentThread;

  constructor(
    settings: AgentRuntimeSettings,
    onCrash: RunnerCrashHandler,
    options: Pick<AgentThreadOptions, "egressFetch" | "onPriority" | "hostServices">,
  ) {
    this.thread = new AgentThread({
      label: `agent "${settings.agentId}"`,
      agents: [settings],
      limits: settings.limits,
      onCrash,
      ...options,
    });
  }

  start(): Promise<void> {
    return this.thread.start();
  }

  runTurn(input: RunnerTurnInput): Promise<TurnOutcome> {
    return this.thread.runTurn(input);
  }

  close(reason: OpenClawError, options: { graceful?: boolean } = {}): Promise<void> {
    return this.thread.close(reason, options.graceful ? RETIRE_GRACE_MS : 0);
  }

  async endSession(agentId: string, sessionKey: string): Promise<void> {
    this.thread.endSession(agentId, sessionKey);
  }

  stats(): RunnerStats {
    return this.thread.stats();
  }

  heap(): AgentThread {
    return this.thread;
  }

  writeHeapSnapshot(path: string): Promise<number> {
    return this.thread.writeHeapSnapshot(path);
  }
}
