import { MessageChannel } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import { OpenClawError } from "../../errors.js";
import type { HostServiceCall, HostServiceCaller } from "../host-services/host-service.js";
import { HostServiceRegistry } from "../host-services/host-service-registry.js";
import { createHostCallClient, HostCallRelayHost } from "./host-call-relay.js";
import type { HostCallFromWorker, HostCallToWorker } from "./worker-protocol.js";

/** Both ends of the relay over a real MessageChannel, as between a worker and the gateway. */
function connect(registry: HostServiceRegistry, turns: Map<string, HostServiceCaller>) {
  const channel = new MessageChannel();
  const host = new HostCallRelayHost(registry, (message) => channel.port2.postMessage(message));
  channel.port2.on("message", (message: HostCallFromWorker) =>
    host.handle(message, (turnId) => turns.get(turnId)),
  );
  const client = createHostCallClient((message) => channel.port1.postMessage(message));
  channel.port1.on("message", (message: HostCallToWorker) => client.onMessage(message));
  return {
    host,
    client,
    close: () => {
      channel.port1.close();
      channel.port2.close();
    },
  };
}

/** Resolves with the next call the service gets, and lets the test answer it. */
function waitingService() {
  let arrived: (call: HostServiceCall) => void = () => undefined;
  const next = new Promise<HostServiceCall>((resolve) => {
    arrived = resolve;
  });
  const handler = (call: HostServiceCall) => {
    arrived(call);
    return new Promise((_, reject) =>
      call.signal.addEventListener("abort", () => reject(call.signal.reason), { once: true }),
    );
  };
  return { next, handler };
}

describe("host-call relay", () => {
  let relay: ReturnType<typeof connect> | undefined;
  afterEach(() => relay?.close());

  const turn = (agentId = "main", sessionKey = "agent:main:s1") => ({
    agentId,
    sessionKey,
    signal: new AbortController().signal,
  });

  it("runs a call as the turn the gateway knows, whatever the worker side claims", async () => {
    const seen: HostServiceCall[] = [];
    const registry = new HostServiceRegistry().register("echo", (call) => {
      seen.push(call);
      return { operation: call.operation, input: call.input };
    });
    relay = connect(registry, new Map([["turn-1", turn()]]));
    const host = relay.client.accessFor("turn-1", new AbortController().signal);
    const answer = await host.call("echo", "say", { agentId: "someone-else", text: "hi" });
    expect(answer).toEqual({ operation: "say", input: { agentId: "someone-else", text: "hi" } });
    expect(seen[0]).toMatchObject({ agentId: "main", sessionKey: "agent:main:s1", operation: "say" });
  });

  it("brings the service's typed error across with its code", async () => {
    const registry = new HostServiceRegistry()
      .register("memory", () => {
        throw new OpenClawError("OC_ERR_MEMORY_INPUT", "memory text is 40000 bytes", { hint: "store less" });
      })
      .register("broken", () => Promise.reject(new Error("disk on fire")));
    relay = connect(registry, new Map([["turn-1", turn()]]));
    const host = relay.client.accessFor("turn-1", new AbortController().signal);
    const failure = await host.call("memory", "store", {}).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenClawError);
    expect(failure).toMatchObject({ code: "OC_ERR_MEMORY_INPUT", message: "memory text is 40000 bytes" });
    expect((failure as OpenClawError).hint).toBe("store less");
    await expect(host.call("broken", "x", {})).rejects.toMatchObject({ code: "OC_ERR_INTERNAL" });
    await expect(host.call("absent", "x", {})).rejects.toMatchObject({ code: "OC_ERR_HOST_SERVICE" });
  });

  it("refuses a call for a turn that has ended (or never was)", async () => {
    const registry = new HostServiceRegistry().register("echo", () => "never");
    relay = connect(registry, new Map());
    const host = relay.client.accessFor("gone", new AbortController().signal);
    await expect(host.call("echo", "x", {})).rejects.toMatchObject({
      code: "OC_ERR_HOST_SERVICE",
      message: "the turn that asked the echo service has ended",
    });
  });

  it("aborts on the worker side at once and tells the service", async () => {
    const service = waitingService();
    const registry = new HostServiceRegistry().register("slow", service.handler);
    relay = connect(registry, new Map([["turn-1", turn()]]));
    const controller = new AbortController();
    const pending = relay.client.accessFor("turn-1", controller.signal).call("slow", "wait", {});
    const received = await service.next;
    const reason = new OpenClawError("OC_ERR_TURN_ABORTED", "cancelled by the client");
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    await new Promise<void>((resolve) => {
      if (received.signal.aborted) resolve();
      else received.signal.addEventListener("abort", () => resolve(), { once: true });
    });
    expect(received.signal.aborted).toBe(true);
  });

  it("aborts the service when the gateway ends the turn or loses the thread", async () => {
    const service = waitingService();
    const registry = new HostServiceRegistry().register("slow", service.handler);
    relay = connect(registry, new Map([["turn-1", turn()]]));
    const pending = relay.client.accessFor("turn-1", new AbortController().signal).call("slow", "wait", {});
    const received = await service.next;
    relay.host.abortTurn("turn-1");
    expect(received.signal.aborted).toBe(true);
    // The worker side hears the abort as the service's failure.
    await expect(pending).rejects.toMatchObject({ code: "OC_ERR_TURN_ABORTED" });
  });

  it("refuses input that cannot cross the thread before sending it", async () => {
    const registry = new HostServiceRegistry().register("echo", () => "never");
    relay = connect(registry, new Map([["turn-1", turn()]]));
    const host = relay.client.accessFor("turn-1", new AbortController().signal);
    await expect(host.call("echo", "x", { callback: () => undefined })).rejects.toMatchObject({
      code: "OC_ERR_HOST_SERVICE",
    });
  });
});
