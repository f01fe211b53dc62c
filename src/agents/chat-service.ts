import { randomUUID } from "node:crypto";
import { OpenClawError, toOpenClawError } from "../errors.js";
import type { Logger } from "../logging/index.js";
import type { ChatMessage, ToolCall, ToolDescriptor } from "../models/types.js";
import {
  entryToMessage,
  isEphemeralSessionKey,
  sessionKeys,
  type TranscriptEntry,
  type TranscriptStore,
} from "../sessions/index.js";
import type { SubagentRequest } from "./agent-runner.js";
import type { AgentSupervisor, TurnLease } from "./agent-supervisor.js";
import { answerNotSaved } from "./answer-not-saved.js";
import { SubagentRuns } from "./host-services/subagent-runs.js";
import type { ClientTurnEvent, ModelCallRecord, TurnOutcome } from "./turn/turn-events.js";
import {
  answeringModelFields,
  modelCallFields,
  originFields,
  outcomeOf,
  type TurnObserver,
  type TurnOrigin,
  type TurnOutcomeKind,
  type TurnRecord,
  turnRecord,
} from "./turn-record.js";
import { logTurnRefused } from "./turn-refused-log.js";

export type { TurnObserver, TurnOrigin, TurnOutcomeKind, TurnRecord } from "./turn-record.js";

import { SessionOrder, waitForPreviousTurn } from "./session-order.js";
import { queueTimeoutError } from "./turn-admission.js";

export type ChatInput =
  /** A new user message in a gateway session: the transcript supplies the history. */
  | { kind: "message"; text: string }
  /** A stateless request (the OpenAI API): the caller supplies the whole conversation. */
  | { kind: "messages"; messages: ChatMessage[]; clientTools?: ToolDescriptor[] }
  /** One of the agent's tools called directly, in the session's context (`POST /tools/invoke`). */
  | { kind: "tool-invoke"; call: ToolCall };

export interface ChatTurnOptions {
  agentId: string;
  sessionKey: string;
  input: ChatInput;
  runId?: string;
  onEvent?: (event: ClientTurnEvent) => void;
  signal?: AbortSignal;
  /** Delegation depth: 0 for a turn a client asked for, 1 and more for subagent turns. */
  depth?: number;
  /** Where the turn came from, for its log lines: the request that a turn id leads back to. */
  origin?: TurnOrigin;
  /** A peer replica forwarded this turn here: it runs here or fails, never goes on elsewhere. */
  forwarded?: boolean;
}

/**
 * Decides where a session's turn runs (a cluster's session ownership): here through `runLocal`,
 * or on the replica that owns the session.
 */
export interface TurnRouter {
  route(options: ChatTurnOptions, runLocal: () => Promise<ChatTurnResult>): Promise<ChatTurnResult>;
}

export interface ChatTurnResult {
  runId: string;
  outcome: TurnOutcome;
}

/** Masks credential values in what turns produce (the secrets layer's Redactor fits). */
export interface OutputRedactor {
  redact(text: string): string;
  redactValue<T>(value: T): T;
  stream(): { push(text: string): string; end(): string };
}

const NO_REDACTION: OutputRedactor = {
  redact: (text) => text,
  redactValue: (value) => value,
  stream: () => ({ push: (text) => text, end: () => "" }),
};

/** Whether the state dir takes writes now (StateDirHealth fits); absent, it is taken to. */
export interface StateWritability {
  readonly writable: boolean;
  /** Throws OC_ERR_DISK_FULL (or OC_ERR_STATE_UNWRITABLE) while writes fail. */
  assertWritable(): void;
}

interface ActiveRun {
  runId: string;
  sessionKey: string;
  agentId: string;
  controller: AbortController;
}

/**
 * Runs chat turns for every front door (HTTP, WebSocket): one turn at a time per session, the
 * user's message written to the transcript before the model runs (so a crash never loses it),
 * the turn's messages after, and every turn abortable by run or session.
 */
export class ChatService {
  private readonly sessions = new SessionOrder();
  private readonly activeRuns = new Map<string, ActiveRun>();
  private readonly observers = new Set<TurnObserver>();
  private router: TurnRouter | undefined;

  constructor(
    private readonly supervisor: AgentSupervisor,
    private readonly transcripts: TranscriptStore,
    private readonly logger: Logger,
    private readonly redactor: OutputRedactor = NO_REDACTION,
    private readonly storage?: StateWritability,
  ) {}

  /** Where a session's subagent runs wait for a later turn to collect them (agents_wait). */
  readonly subagentRuns = new SubagentRuns();

  /** Every turn asks `router` where it runs from now on (a cluster's session ownership). */
  routeTurnsThrough(router: TurnRouter | undefined): void {
    this.router = router;
  }

  /** Calls `observer` after every turn, however it ended; returns the unsubscribe. */
  onTurnEnd(observer: TurnObserver): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  private notify(record: TurnRecord): void {
    for (const observer of this.observers) {
      try {
        observer(record);
      } catch (error) {
        this.logger.error({ error: (error as Error).message }, "turn observer failed");
      }
    }
  }

  async runTurn(options: ChatTurnOptions): Promise<ChatTurnResult> {
    const runId = options.runId ?? randomUUID();
    // Every wait the client sees counts: behind its session's earlier turn, for a slot, running.
    const arrivedAt = this.supervisor.clock.now();
    // Fail fast (unknown or degraded agent, a state dir that refuses writes) before queueing
    // behind other turns: a turn whose messages cannot be saved must not cost a model call.
    try {
      this.supervisor.assertAvailable(options.agentId);
      this.storage?.assertWritable();
    } catch (error) {
      const failure = toOpenClawError(error);
      logTurnRefused(this.logger, runId, options, failure);
      if (this.supervisor.has(options.agentId)) {
        this.notify(turnRecord(runId, options, "rejected", failure.code, Date.now(), 0, [], []));
      }
      throw failure;
    }
    const runLocal = () =>
      this.sessions.schedule(options.sessionKey, (previous) =>
        this.execute(runId, options, arrivedAt, previous),
      );
    // One place every front door crosses: a session owned by another replica runs there.
    return this.router ? this.router.route({ ...options, runId }, runLocal) : runLocal();
  }

  /** Aborts the active turns of a session (or one run of it); returns the aborted run ids. */
  abort(sessionKey: string, runId?: string): string[] {
    const aborted: string[] = [];
    for (const run of this.activeRuns.values()) {
      if (run.sessionKey !== sessionKey || (runId && run.runId !== runId)) continue;
      run.controller.abort(new OpenClawError("OC_ERR_TURN_ABORTED", `run ${run.runId} was aborted`));
      aborted.push(run.runId);
    }
    return aborted;
  }

  abortAll(reason: string): void {
    for (const run of this.activeRuns.values()) {
      run.controller.abort(new OpenClawError("OC_ERR_TURN_ABORTED", reason));
    }
  }

  /**
   * A session's transcript is written before the turn goes on (a crash never loses what was
   * said). A one-turn stateless request's is written in order but not waited for: its client
   * holds the conversation, and two file writes would double the turn's latency. While the
   * state dir has been refusing writes, it is waited for too: a turn that could not be saved
   * answers 507 instead of 200.
   */
  private async record(ephemeral: boolean, write: Promise<unknown>): Promise<void> {
    if (!ephemeral || this.storage?.writable === false) {
      await write;
      return;
    }
    write.catch((error: unknown) => {
      this.logger.error({ error: (error as Error).message }, "transcript write failed");
    });
  }

  activeRunCount(): number {
    return this.activeRuns.size;
  }

  private async execute(
    runId: string,
    options: ChatTurnOptions,
    arrivedAt: number,
    previous: Promise<unknown> | undefined,
  ): Promise<ChatTurnResult> {
    const { agentId, sessionKey } = options;
    const controller = new AbortController();
    const onOuterAbort = () => controller.abort(options.signal?.reason);
    if (options.signal?.aborted) onOuterAbort();
    options.signal?.addEventListener("abort", onOuterAbort, { once: true });
    const startedAt = Date.now();
    const startedPerf = performance.now();
    const modelCalls: ModelCallRecord[] = [];
    const toolCalls: TurnRecord["toolCalls"] = [];
    const finish = (outcome: TurnOutcomeKind, code?: string) =>
      this.notify(
        turnRecord(
          runId,
          options,
          outcome,
          code,
          startedAt,
          performance.now() - startedPerf,
          modelCalls,
          toolCalls,
        ),
      );
    let lease: TurnLease;
    try {
      if (previous) {
        const { queueTimeoutMs, turnTimeoutMs } = this.supervisor.limitsOf(agentId);
        await waitForPreviousTurn(previous, {
          clock: this.supervisor.clock,
          arrivedAt,
          limitMs: Math.min(queueTimeoutMs, turnTimeoutMs),
          signal: controller.signal,
          onTimeout: (waitedMs, limitMs) => {
            this.supervisor.countRejectedTurn(agentId);
            return queueTimeoutError(agentId, waitedMs, limitMs, "the session's previous turn");
          },
        });
      }
      lease = await this.supervisor.acquire(agentId, controller.signal, arrivedAt);
    } catch (error) {
      options.signal?.removeEventListener("abort", onOuterAbort);
      const failure = controller.signal.aborted
        ? toOpenClawError(controller.signal.reason ?? error, "OC_ERR_TURN_ABORTED")
        : toOpenClawError(error);
      logTurnRefused(this.logger, runId, options, failure);
      finish(outcomeOf(failure), failure.code);
      throw failure;
    }
    const { turnTimeoutMs } = lease.limits;
    const clock = this.supervisor.clock;
    // From arrival, not from admission: the timeout bounds what the client waits, queue included.
    const waitedMs = Math.round(clock.now() - arrivedAt);
    const cancelTimeout = clock.setTimer(
      () => {
        controller.abort(
          new OpenClawError(
            "OC_ERR_TURN_TIMEOUT",
            `the turn of agent "${agentId}" took longer than ${turnTimeoutMs} ms${waitedMs > 0 ? ` (${waitedMs} ms of it waiting for a turn slot)` : ""}`,
            {
              hint: `raise agents.${agentId}.limits.turnTimeoutMs if such turns are expected (it counts from the turn's arrival)`,
            },
          ),
        );
      },
      arrivedAt + turnTimeoutMs - clock.now(),
    );
    this.activeRuns.set(runId, { runId, sessionKey, agentId, controller });
    // A child logger per turn costs more than the dev model's whole turn: made only when used.
    let turnLogger: Logger | undefined;
    const log = () => {
      turnLogger ??= this.logger.child({ agent: agentId, session: sessionKey, turn: runId });
      return turnLogger;
    };
    const infoEnabled = this.logger.isLevelEnabled("info");
    let partialText = "";
    const ephemeral = isEphemeralSessionKey(sessionKey);
    // A model may echo a key a tool read: streamed text is masked as it goes, even split in pieces.
    const textStream = this.redactor.stream();
    const flushText = () => {
      const held = textStream.end();
      if (held) options.onEvent?.({ type: "text-delta", text: held });
    };
    try {
      const { messages, userRecorded } = await this.contextFor(options.input, sessionKey, runId);
      const userMessage = messages.at(-1);
      if (userMessage?.role === "user" && !userRecorded)
        await this.record(ephemeral, this.transcripts.append(sessionKey, agentId, runId, [userMessage]));
      if (infoEnabled)
        log().info({ messages: messages.length, ...originFields(options.origin) }, "turn started");
      const outcome = await lease.runner.runTurn({
        agentId,
        sessionKey,
        messages,
        depth: options.depth ?? 0,
        signal: controller.signal,
        ...(options.input.kind === "tool-invoke" ? { invoke: options.input.call } : {}),
        ...(options.input.kind === "messages" && options.input.clientTools
          ? { clientTools: options.input.clientTools }
          : {}),
        delegate: (request) => this.delegate(request, sessionKey, runId, controller.signal),
        emit: (event) => {
          if (event.type === "model-call") {
            modelCalls.push(event.call);
            if (infoEnabled) log().info(modelCallFields(event.call), "model call");
            return;
          }
          if (event.type === "text-delta") {
            partialText += event.text;
            const text = textStream.push(event.text);
            if (text) options.onEvent?.({ type: "text-delta", text });
            return;
          }
          flushText();
          if (event.type === "tool-result") {
            partialText = "";
            const durationMs = event.durationMs ?? 0;
            toolCalls.push({ name: event.toolName, durationMs, isError: event.isError });
            if (infoEnabled)
              log().info(
                { tool: event.toolName, toolCallId: event.toolCallId, durationMs, isError: event.isError },
                "tool call",
              );
          } else if (event.type === "tool-call" && this.logger.isLevelEnabled("debug")) {
            log().debug({ tool: event.toolName, toolCallId: event.toolCallId }, "tool call started");
          }
          options.onEvent?.(this.redactor.redactValue(event));
        },
      });
      flushText();
      await this.record(
        ephemeral,
        this.transcripts.append(sessionKey, agentId, runId, outcome.messages, outcome.usage),
      ).catch((error: unknown) => {
        throw answerNotSaved(error);
      });
      if (infoEnabled)
        log().info(
          {
            durationMs: Math.round(performance.now() - startedPerf),
            steps: outcome.steps,
            usage: outcome.usage,
            ...answeringModelFields(modelCalls),
          },
          "turn finished",
        );
      lease.release();
      finish("ok");
      return { runId, outcome: this.redactor.redactValue(outcome) };
    } catch (error) {
      const failure = controller.signal.aborted
        ? toOpenClawError(controller.signal.reason ?? error, "OC_ERR_TURN_ABORTED")
        : toOpenClawError(error);
      lease.release(failure);
      if (partialText) {
        flushText();
        await this.transcripts
          .append(sessionKey, agentId, runId, [{ role: "assistant", content: partialText }])
          .catch(() => undefined);
      }
      log().warn({ code: failure.code, error: failure.message }, "turn failed");
      finish(outcomeOf(failure), failure.code);
      throw failure;
    } finally {
      cancelTimeout();
      options.signal?.removeEventListener("abort", onOuterAbort);
      this.activeRuns.delete(runId);
    }
  }

  /** A subagent's turn: its own session under the target agent, ended with its parent's turn. */
  private async delegate(
    request: SubagentRequest,
    parentSessionKey: string,
    parentRunId: string,
    signal: AbortSignal,
  ): Promise<string> {
    this.logger.info(
      { parent: parentSessionKey, turn: parentRunId, agent: request.agentId, depth: request.depth },
      "subagent run",
    );
    const answer = this.runTurn({
      agentId: request.agentId,
      sessionKey: sessionKeys.subagent(request.agentId, request.runId),
      runId: request.runId,
      input: { kind: "message", text: request.task },
      depth: request.depth,
      signal,
      origin: { transport: "subagent", parentTurn: parentRunId },
    }).then(({ outcome }) => outcome.text);
    // A one-turn session has no later turn to collect it.
    if (!isEphemeralSessionKey(parentSessionKey))
      this.subagentRuns.record(parentSessionKey, request.runId, request.agentId, answer);
    return answer;
  }

  /**
   * What the model is given, and whether the user's message is already in the transcript: a run
   * started again under the same id (its replica died mid-turn, see RunService.abandoned) finds
   * its own user line there. That attempt's lines are its, not history: the model sees the
   * session as it was before the run, and the user's line is not written twice.
   */
  private async contextFor(
    input: ChatInput,
    sessionKey: string,
    runId: string,
  ): Promise<{ messages: ChatMessage[]; userRecorded: boolean }> {
    if (input.kind === "tool-invoke") return { messages: [], userRecorded: false };
    if (input.kind === "messages") {
      if (input.messages.length === 0)
        throw new OpenClawError("OC_ERR_BAD_REQUEST", "messages must not be empty");
      return { messages: input.messages, userRecorded: false };
    }
    const entries = await this.transcripts.read(sessionKey);
    const earlier = unfinishedAttempt(entries, runId, input.text);
    const history = (earlier === undefined ? entries : entries.slice(0, earlier)).map(entryToMessage);
    return {
      messages: [...history, { role: "user", content: input.text }],
      userRecorded: earlier !== undefined,
    };
  }
}

/**
 * Where an earlier attempt of this very run starts in the transcript, when it never finished:
 * the last user line is this run's, with this text, and no final answer (an assistant line
 * without tool calls) follows it. A key reused after its run finished has its answer there, so
 * it is an ordinary new turn.
 */
function unfinishedAttempt(
  entries: readonly TranscriptEntry[],
  runId: string,
  text: string,
): number | undefined {
  let last = -1;
  for (let index = entries.length - 1; index >= 0; index--) {
    if (entries[index]?.role === "user") {
      last = index;
      break;
    }
  }
  const user = entries[last];
  if (!user || user.runId !== runId || user.content !== text) return undefined;
  const answered = entries
    .slice(last + 1)
    .some((entry) => entry.role === "assistant" && (entry.toolCalls?.length ?? 0) === 0);
  return answered ? undefined : last;
}
