import { OpenClawError } from "../../errors.js";
import type { HostAccess } from "../../tools/index.js";
import type { HostServiceCaller } from "../host-services/host-service.js";
import { type HostServiceRegistry, notPlainData } from "../host-services/host-service-registry.js";
import { fromWireError, toWireError } from "../wire-error.js";
import type { HostCallFromWorker, HostCallToWorker } from "./worker-protocol.js";

interface WaitingCall {
  resolve: (result: unknown) => void;
  reject: (error: unknown) => void;
  signal: AbortSignal;
  onAbort: () => void;
}

/**
 * The worker's side of host calls: each turn's `context.host`. A call goes to the gateway as a
 * message naming the turn; an abort (the turn's, or the tool's own signal) stops waiting at once
 * and tells the gateway, which aborts the service's work. The worker holds no engine socket and
 * no database of the gateway's: it only asks.
 */
export function createHostCallClient(post: (message: HostCallFromWorker) => void): {
  accessFor(turnId: string, turnSignal: AbortSignal): HostAccess;
  onMessage(message: HostCallToWorker): void;
} {
  const waiting = new Map<string, WaitingCall>();

  const finish = (requestId: string) => {
    const call = waiting.get(requestId);
    waiting.delete(requestId);
    call?.signal.removeEventListener("abort", call.onAbort);
    return call;
  };

  const accessFor = (turnId: string, turnSignal: AbortSignal): HostAccess => ({
    call: (service, operation, input, options = {}) => {
      const signal = options.signal ? AbortSignal.any([turnSignal, options.signal]) : turnSignal;
      if (signal.aborted) return Promise.reject(signal.reason);
      const requestId = crypto.randomUUID();
      return new Promise<unknown>((resolve, reject) => {
        const onAbort = () => {
          finish(requestId);
          post({ type: "host-call-abort", requestId });
          reject(signal.reason);
        };
        try {
          post({ type: "host-call", requestId, turnId, service, operation, input });
        } catch (error) {
          // postMessage refuses what it cannot clone (a function, a socket): the tool's mistake.
          reject(notPlainData(service, "input", error));
          return;
        }
        signal.addEventListener("abort", onAbort, { once: true });
        waiting.set(requestId, { resolve, reject, signal, onAbort });
      });
    },
  });

  const onMessage = (message: HostCallToWorker) => {
    const call = finish(message.requestId);
    if (!call) return;
    if (message.ok) call.resolve(message.result);
    else call.reject(fromWireError(message.error));
  };

  return { accessFor, onMessage };
}

/**
 * The gateway's side: runs each relayed call through the registry as the turn it names (agent
 * and session from `callerOf`, the gateway's own record; a call for a turn that has ended is
 * refused) and posts the answer back. One per agent thread.
 */
export class HostCallRelayHost {
  private readonly active = new Map<string, { turnId: string; controller: AbortController }>();

  constructor(
    private readonly registry: HostServiceRegistry,
    private readonly post: (message: HostCallToWorker) => void,
  ) {}

  handle(message: HostCallFromWorker, callerOf: (turnId: string) => HostServiceCaller | undefined): void {
    if (message.type === "host-call-abort") {
      this.abort(message.requestId, "the tool stopped waiting for it");
      return;
    }
    const { requestId, service } = message;
    const caller = callerOf(message.turnId);
    if (!caller) {
      const ended = new OpenClawError(
        "OC_ERR_HOST_SERVICE",
        `the turn that asked the ${service} service has ended`,
      );
      this.answer(requestId, service, { ok: false, error: ended });
      return;
    }
    const controller = new AbortController();
    this.active.set(requestId, { turnId: message.turnId, controller });
    const { agentId, sessionKey } = caller;
    const signal = AbortSignal.any([caller.signal, controller.signal]);
    this.registry
      .call(service, { agentId, sessionKey, operation: message.operation, input: message.input, signal })
      .then(
        (result) => this.answer(requestId, service, { ok: true, result }),
        (error: unknown) => this.answer(requestId, service, { ok: false, error }),
      )
      .finally(() => this.active.delete(requestId));
  }

  /** The turn is over: calls it left running are aborted. */
  abortTurn(turnId: string): void {
    for (const [requestId, call] of this.active) {
      if (call.turnId === turnId) this.abort(requestId, "its turn has ended");
    }
  }

  /** The thread is gone: nobody waits for any answer. */
  abortAll(): void {
    for (const requestId of [...this.active.keys()]) this.abort(requestId, "the agent's thread has ended");
  }

  private abort(requestId: string, why: string): void {
    const call = this.active.get(requestId);
    this.active.delete(requestId);
    call?.controller.abort(new OpenClawError("OC_ERR_TURN_ABORTED", `host call aborted: ${why}`));
  }

  private answer(
    requestId: string,
    service: string,
    outcome: { ok: true; result: unknown } | { ok: false; error: unknown },
  ): void {
    if (!outcome.ok) {
      this.post({ type: "host-call-done", requestId, ok: false, error: toWireError(outcome.error) });
      return;
    }
    try {
      this.post({ type: "host-call-done", requestId, ok: true, result: outcome.result });
    } catch (error) {
      this.post({
        type: "host-call-done",
        requestId,
        ok: false,
        error: toWireError(notPlainData(service, "answer", error)),
      });
    }
  }
}
