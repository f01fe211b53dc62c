import { randomUUID } from "node:crypto";
import { OpenClawError, toOpenClawError } from "../errors.js";
import { agentIdOfSessionKey } from "../sessions/index.js";
import type { IdempotencyStore } from "../storage/idempotency-store.js";
import type { ChatInput, ChatTurnResult, StateWritability, TurnOrigin } from "./chat-service.js";
import type { ClientTurnEvent, TurnOutcome } from "./turn/turn-events.js";

/** A turn to run for a session, from any front door: HTTP, WebSocket, a canvas click, a channel. */
export interface RunRequest {
  sessionKey: string;
  /** Explicit; else the agent the session key names; else the default agent. */
  agentId?: string;
  input: ChatInput;
  origin: TurnOrigin;
  /**
   * The client's key: a retry with it gets the first run back instead of a second turn. As in
   * OpenClaw, it is also the run's id, so a client can match events to its request at once.
   */
  idempotencyKey?: string;
  /** The run's id when no idempotency key names it (an HTTP request's turn id). */
  runId?: string;
  signal?: AbortSignal;
  /** This caller's own view of the turn's events (an HTTP stream). */
  onEvent?: (event: ClientTurnEvent) => void;
  /** Also tell the run's events to `subscribe`rs (the WebSocket's operators). */
  announce?: boolean;
}

/** What a run is known by under its idempotency key. */
export interface RunRecord {
  runId: string;
  sessionKey: string;
  agentId: string;
  state: "running" | "ok" | "timeout";
  startedAt: number;
  /** The cluster replica that started it (absent without a cluster). */
  runner?: string;
  /** The answer of a run that ended well. */
  result?: {
    text: string;
    finishReason: TurnOutcome["finishReason"];
    usage: TurnOutcome["usage"];
    durationMs: number;
  };
}

/** A run's outcome, with the record its idempotency key now answers with. */
export interface RunResult extends ChatTurnResult {
  record: RunRecord;
}

export type StartedRun =
  /** A new run: `done` settles with its outcome (or its typed error). */
  | { status: "started"; record: RunRecord; done: Promise<RunResult> }
  /** The key's earlier run, still going or finished. */
  | { status: "known"; record: RunRecord };

export type RunEvent =
  | { type: "run-started"; record: RunRecord }
  | { type: "run-event"; record: RunRecord; event: ClientTurnEvent }
  | { type: "run-finished"; record: RunRecord; outcome: TurnOutcome }
  | { type: "run-failed"; record: RunRecord; error: OpenClawError };

/** What runs the turns (ChatService fits): in order per session, abortable. */
export interface TurnExecutor {
  runTurn(options: {
    agentId: string;
    sessionKey: string;
    input: ChatInput;
    runId: string;
    origin: TurnOrigin;
    signal?: AbortSignal;
    onEvent?: (event: ClientTurnEvent) => void;
  }): Promise<ChatTurnResult>;
  abort(sessionKey: string, runId?: string): string[];
}

export interface RunServiceOptions {
  turns: TurnExecutor;
  agents: { defaultAgentId(): string; assertAvailable(agentId: string): void };
  storage?: StateWritability;
  /** Keys are remembered per gateway instance (files backend) or per shared state. */
  idempotency: IdempotencyStore<RunRecord>;
  /** How long a key is remembered. Default 10 minutes. */
  idempotencyTtlMs?: number;
  now?: () => number;
}

const DEFAULT_IDEMPOTENCY_TTL_MS = 10 * 60_000;

/**
 * Which replica of a cluster runs what: a retried key whose run is still "running" on a replica
 * that is gone (killed mid-turn) is run again instead of answered "already started", so the
 * client's retry gets one answer.
 */
export interface RunRunners {
  /** This replica's id. */
  self(): string;
  /** Whether the replica that started a run can no longer finish it. */
  isGone(runner: string): Promise<boolean>;
}

/**
 * The one way a turn is run for a session. It picks the agent (explicit, else the session
 * key's, else the default), refuses what cannot run before anything is acknowledged (an unknown
 * or degraded agent, a state dir that refuses writes), answers a retried idempotency key with
 * its first run, and tells the run's events to its caller and, when asked, to subscribers.
 * Ordering per session and the turn itself are the executor's (ChatService).
 */
export class RunService {
  private readonly listeners = new Set<(event: RunEvent) => void>();
  private readonly ttlMs: number;
  private readonly now: () => number;
  private runners: RunRunners | undefined;

  constructor(private readonly options: RunServiceOptions) {
    this.ttlMs = options.idempotencyTtlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS;
    this.now = options.now ?? Date.now;
  }

  /** Records which replica runs each keyed run, and reruns those of replicas gone (a cluster). */
  trackRunners(runners: RunRunners | undefined): void {
    this.runners = runners;
  }

  /** Listens to announced runs; returns the unsubscribe. */
  subscribe(listener: (event: RunEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The agent a request runs on. */
  agentFor(request: Pick<RunRequest, "agentId" | "sessionKey">): string {
    return request.agentId ?? agentIdOfSessionKey(request.sessionKey) ?? this.options.agents.defaultAgentId();
  }

  /**
   * Starts a run, or answers with the earlier run of its idempotency key. Resolves once the run
   * is admitted (or refused): a client is never told "started" of a run that cannot be.
   */
  start(request: RunRequest): Promise<StartedRun> {
    return this.begin(request, true);
  }

  /**
   * Starts a run and waits for its outcome (HTTP). The executor refuses what cannot run itself,
   * so this path does not check twice: it is the one that runs ~10 000 times a second.
   */
  async run(request: RunRequest): Promise<RunResult> {
    const started = await this.begin(request, false);
    if (started.status === "started") return started.done;
    throw new OpenClawError(
      "OC_ERR_BAD_REQUEST",
      `run ${started.record.runId} was already started with this idempotency key (${started.record.state})`,
      { hint: "send a new idempotency key for a new run" },
    );
  }

  private async begin(request: RunRequest, precheck: boolean): Promise<StartedRun> {
    const agentId = this.agentFor(request);
    const runId = request.idempotencyKey ?? request.runId ?? randomUUID();
    const record: RunRecord = {
      runId,
      sessionKey: request.sessionKey,
      agentId,
      state: "running",
      startedAt: this.now(),
      ...(this.runners ? { runner: this.runners.self() } : {}),
    };
    if (request.idempotencyKey !== undefined) {
      const key = request.idempotencyKey;
      let claim = await this.options.idempotency.claim(key, record, this.ttlMs);
      if (!claim.claimed && (await this.abandoned(claim.existing))) {
        // Its replica died mid-run and nobody will answer it: run it here, once. A retry racing
        // this one finds the new claim (a live runner) and is answered with it.
        await this.options.idempotency.forget(key);
        claim = await this.options.idempotency.claim(key, record, this.ttlMs);
      }
      if (!claim.claimed) return { status: "known", record: claim.existing };
    }
    if (precheck) {
      try {
        this.options.agents.assertAvailable(agentId);
        this.options.storage?.assertWritable();
      } catch (error) {
        await this.forget(request);
        throw toOpenClawError(error);
      }
    }
    if (request.announce) this.tell({ type: "run-started", record });
    const done = this.execute(request, record);
    // A caller that does not wait (chat.send answers "started") learns the end from events;
    // the rejection is still theirs to see when they do wait.
    done.catch(() => undefined);
    return { status: "started", record, done };
  }

  abort(sessionKey: string, runId?: string): string[] {
    return this.options.turns.abort(sessionKey, runId);
  }

  private async execute(request: RunRequest, record: RunRecord): Promise<RunResult> {
    const { agentId, sessionKey, runId } = record;
    try {
      const result = await this.options.turns.runTurn({
        agentId,
        sessionKey,
        input: request.input,
        runId,
        origin: request.origin,
        ...(request.signal ? { signal: request.signal } : {}),
        onEvent: (event) => {
          request.onEvent?.(event);
          if (request.announce) this.tell({ type: "run-event", record, event });
        },
      });
      const { outcome } = result;
      const finished: RunRecord = {
        ...record,
        state: "ok",
        result: {
          text: outcome.text,
          finishReason: outcome.finishReason,
          usage: outcome.usage,
          durationMs: this.now() - record.startedAt,
        },
      };
      if (request.idempotencyKey !== undefined)
        await this.options.idempotency.update(request.idempotencyKey, finished);
      if (request.announce) this.tell({ type: "run-finished", record: finished, outcome });
      return { ...result, record: finished };
    } catch (error) {
      const failure = toOpenClawError(error);
      if (request.idempotencyKey !== undefined) {
        // A timeout is an answer (the run happened); any other failure may be retried with
        // the same key once its cause is fixed.
        if (failure.code === "OC_ERR_TURN_TIMEOUT") {
          await this.options.idempotency.update(request.idempotencyKey, { ...record, state: "timeout" });
        } else await this.forget(request);
      }
      if (request.announce) this.tell({ type: "run-failed", record, error: failure });
      throw failure;
    }
  }

  private async abandoned(record: RunRecord): Promise<boolean> {
    const runners = this.runners;
    if (!runners || record.state !== "running" || record.runner === undefined) return false;
    if (record.runner === runners.self()) return false;
    return runners.isGone(record.runner).catch(() => false);
  }

  private async forget(request: RunRequest): Promise<void> {
    if (request.idempotencyKey !== undefined) await this.options.idempotency.forget(request.idempotencyKey);
  }

  private tell(event: RunEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
