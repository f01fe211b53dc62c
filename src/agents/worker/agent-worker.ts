/**
 * Entry point of an agent worker thread (one thread-bound agent, or the agents of a pool). It
 * imports only the agent runtime (models, tools, the turn loop): never the gateway, auth or
 * secrets modules. Its environment is empty, its heap is capped by resourceLimits, and it proves
 * it is alive with heartbeats that a blocked event loop cannot send.
 */
import { readlinkSync } from "node:fs";
import { getHeapStatistics } from "node:v8";
import { parentPort, workerData } from "node:worker_threads";
import { OpenClawError } from "../../errors.js";
import { AgentRuntime } from "../agent-runtime.js";
import type { TurnEvent } from "../turn/turn-events.js";
import { fromWireError, toWireError } from "../wire-error.js";
import { flushCompileCache } from "./compile-cache.js";
import { createEgressRelay } from "./egress-relay.js";
import { createHostCallClient } from "./host-call-relay.js";
import { TurnBatch } from "./turn-batch.js";
import {
  type FromWorkerMessage,
  HEARTBEAT_INTERVAL_MS,
  type ToWorkerMessage,
  type TurnEnd,
  type TurnMessage,
  type WireError,
  type WorkerBootData,
} from "./worker-protocol.js";

if (!parentPort) throw new Error("agent-worker must run in a worker thread");
const port = parentPort;
const boot = workerData as WorkerBootData;
// Turns that end in the same pass report as one message: every postMessage wakes the gateway's
// thread, and under concurrent turns that wake-up costs the gateway more than the turn did.
const ends = new TurnBatch<TurnEnd>(
  (batch) => {
    const [only] = batch;
    port.postMessage(batch.length === 1 && only ? only : { type: "turn-ends", ends: batch });
  },
  (end, error) =>
    port.postMessage({
      type: "turn-failed",
      turnId: end.turnId,
      error: toWireError(
        new OpenClawError("OC_ERR_INTERNAL", `the turn's result could not be sent: ${String(error)}`),
      ),
    }),
);
const post = (message: FromWorkerMessage) => {
  // What is gathering goes first: nothing the worker says overtakes the end of a turn before it.
  ends.flush();
  port.postMessage(message);
};
// The agent's model reaches its provider through the gateway, which holds the key.
const egress = createEgressRelay(post);
// The gateway's services (sandbox, memory, canvas, ...) are reached through it as well.
const hostCalls = createHostCallClient(post);

const turnControllers = new Map<string, AbortController>();
const subagentWaiters = new Map<
  string,
  { resolve: (text: string) => void; reject: (error: Error) => void }
>();

function heartbeat(): void {
  const heap = getHeapStatistics();
  post({ type: "heartbeat", heapUsed: heap.used_heap_size });
}

function startTurn(runtimes: Map<string, AgentRuntime>, message: TurnMessage): void {
  const { turnId } = message;
  const runtime = runtimes.get(message.agentId);
  if (!runtime) {
    const error = new OpenClawError(
      "OC_ERR_INTERNAL",
      `agent "${message.agentId}" is not hosted by this worker`,
    );
    post({ type: "turn-failed", turnId, error: toWireError(error) });
    return;
  }
  const controller = new AbortController();
  turnControllers.set(turnId, controller);
  // Events produced in the same tick cross the thread boundary as one message, consecutive text
  // merged: a message per token would cost more than the tokens. A real provider's tokens arrive
  // in separate network reads, so nothing waits longer than the current tick.
  let batch: TurnEvent[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (batch.length === 0) return;
    post({ type: "turn-events", turnId, events: batch });
    batch = [];
  };
  // The events still held go with the turn's end: one message (one wake-up of the gateway).
  const held = (): { events?: TurnEvent[] } => {
    const events = batch;
    batch = [];
    return events.length > 0 ? { events } : {};
  };
  const emit = (event: TurnEvent) => {
    const last = batch.at(-1);
    if (event.type === "text-delta" && last?.type === "text-delta") {
      batch[batch.length - 1] = { type: "text-delta", text: last.text + event.text };
    } else {
      batch.push(event);
    }
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
  runtime
    .runTurn({
      sessionKey: message.sessionKey,
      messages: message.messages,
      depth: message.depth,
      ...(message.invoke ? { invoke: message.invoke } : {}),
      ...(message.clientTools ? { clientTools: message.clientTools } : {}),
      ...(message.idleServices ? { idleServices: message.idleServices } : {}),
      signal: controller.signal,
      host: hostCalls.accessFor(turnId, controller.signal),
      emit,
      delegate: (request) => {
        const result = new Promise<string>((resolve, reject) =>
          subagentWaiters.set(request.runId, { resolve, reject }),
        );
        post({ type: "subagent-run", turnId, ...request });
        return result;
      },
    })
    .then(
      (outcome) => ends.add({ type: "turn-done", turnId, outcome, ...held() }),
      (error) =>
        ends.add({
          type: "turn-failed",
          turnId,
          error: toWireError(controller.signal.reason ?? error),
          ...held(),
        }),
    )
    .finally(() => turnControllers.delete(turnId));
}

/** This thread's kernel TID: /proc/thread-self links to <pid>/task/<tid> (Linux only). */
function threadId(): { tid?: number } {
  try {
    const tid = Number(readlinkSync("/proc/thread-self").split("/").at(-1));
    return Number.isInteger(tid) && tid > 0 ? { tid } : {};
  } catch {
    return {};
  }
}

async function main(): Promise<void> {
  const runtimes = new Map<string, AgentRuntime>();
  // In a pool, one agent's broken plugin must not take the other pooled agents down with it.
  const failed: Record<string, WireError> = {};
  for (const settings of boot.agents) {
    try {
      const runtime = await AgentRuntime.create(settings, egress.fetch, boot.hostServices);
      runtime.onBackgroundProcess((pid, running) => post({ type: "background-process", pid, running }));
      runtimes.set(settings.agentId, runtime);
    } catch (error) {
      failed[settings.agentId] = toWireError(error);
    }
  }
  const firstFailure = Object.values(failed)[0];
  if (runtimes.size === 0 && firstFailure) {
    post({ type: "init-failed", error: firstFailure });
    return;
  }

  port.on("message", (message: ToWorkerMessage) => {
    switch (message.type) {
      case "turn":
        startTurn(runtimes, message);
        break;
      case "turns":
        for (const turn of message.turns) startTurn(runtimes, turn);
        break;
      case "end-session":
        void runtimes.get(message.agentId)?.endSession(message.sessionKey);
        break;
      case "release-heap":
        // Loaded on first use: an agent thread that is never idle long enough never loads it.
        void import("../../heap/last-resort-gc.js").then(({ lastResortGc }) => lastResortGc()?.());
        break;
      case "abort":
        turnControllers.get(message.turnId)?.abort(fromWireError(message.reason));
        break;
      case "egress-head":
      case "egress-chunk":
      case "egress-end":
      case "egress-error":
        egress.onMessage(message);
        break;
      case "host-call-done":
        hostCalls.onMessage(message);
        break;
      case "subagent-done": {
        const waiter = subagentWaiters.get(message.runId);
        subagentWaiters.delete(message.runId);
        if (message.ok) waiter?.resolve(message.text);
        else waiter?.reject(fromWireError(message.error));
        break;
      }
    }
  });

  // Not unref'd: the heartbeat is what keeps an idle worker alive, and its absence is the signal.
  setInterval(heartbeat, HEARTBEAT_INTERVAL_MS);
  heartbeat();
  post({ type: "ready", failed, ...threadId() });
  // After ready, so that writing the cache is never on the path to it.
  setImmediate(flushCompileCache);
}

main().catch((error: unknown) => {
  post({ type: "init-failed", error: toWireError(new OpenClawError("OC_ERR_INTERNAL", String(error))) });
});
