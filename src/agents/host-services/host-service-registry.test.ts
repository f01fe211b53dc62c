import { describe, expect, it } from "vitest";
import { OpenClawError } from "../../errors.js";
import type { HostServiceCall } from "./host-service.js";
import { HostServiceRegistry } from "./host-service-registry.js";

const caller = (signal = new AbortController().signal) => ({
  agentId: "main",
  sessionKey: "agent:main:s1",
  signal,
});
const call = (operation: string, input: unknown, signal?: AbortSignal): HostServiceCall => ({
  ...caller(signal),
  operation,
  input,
});

describe("HostServiceRegistry", () => {
  it("registers services by name, once each", () => {
    const registry = new HostServiceRegistry().register("clock", () => 1).register("notes.v2", () => 2);
    expect(registry.names()).toEqual(["clock", "notes.v2"]);
    expect(registry.has("clock")).toBe(true);
    expect(() => registry.register("clock", () => 3)).toThrow(/registered twice/);
    expect(() => registry.register("no spaces", () => 3)).toThrow(/not 1 to 64/);
    expect(() => registry.register("", () => 3)).toThrow(/not 1 to 64/);
  });

  it("gives the handler the call and answers with what it returns, sync or async", async () => {
    const seen: HostServiceCall[] = [];
    const registry = new HostServiceRegistry()
      .register("sync", (given) => {
        seen.push(given);
        return { ok: given.operation };
      })
      .register("async", async (given) => ({ doubled: (given.input as number) * 2 }));
    await expect(registry.call("sync", call("ping", null))).resolves.toEqual({ ok: "ping" });
    await expect(registry.call("async", call("double", 21))).resolves.toEqual({ doubled: 42 });
    expect(seen[0]).toMatchObject({ agentId: "main", sessionKey: "agent:main:s1", operation: "ping" });
  });

  it("refuses a service it does not have with a typed error naming those it has", async () => {
    const registry = new HostServiceRegistry().register("memory", () => undefined);
    const failure = await registry.call("mcp", call("list", {})).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenClawError);
    expect(failure).toMatchObject({
      code: "OC_ERR_HOST_SERVICE",
      message: 'the gateway has no "mcp" service',
    });
    expect((failure as OpenClawError).hint).toContain("memory");
  });

  it("keeps a handler's typed error, and types a plain one as internal", async () => {
    const typed = new OpenClawError("OC_ERR_MEMORY_INPUT", "memory text is too long");
    const registry = new HostServiceRegistry()
      .register("typed", () => {
        throw typed;
      })
      .register("plain", () => Promise.reject(new Error("disk on fire")));
    await expect(registry.call("typed", call("x", {}))).rejects.toBe(typed);
    await expect(registry.call("plain", call("x", {}))).rejects.toMatchObject({
      code: "OC_ERR_INTERNAL",
      message: "disk on fire",
    });
  });

  it("stops waiting at once on abort, with the signal's reason, and the handler sees the abort", async () => {
    let handlerSignal: AbortSignal | undefined;
    const registry = new HostServiceRegistry().register("slow", (given) => {
      handlerSignal = given.signal;
      // Ignores its signal on purpose: the caller must not be held by it.
      return new Promise(() => undefined);
    });
    const controller = new AbortController();
    const pending = registry.call("slow", call("wait", {}, controller.signal));
    await Promise.resolve();
    const reason = new OpenClawError("OC_ERR_TURN_ABORTED", "the turn was cancelled");
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(handlerSignal?.aborted).toBe(true);
    // Already aborted: the handler is not called at all.
    let called = false;
    const late = new HostServiceRegistry().register("late", () => {
      called = true;
    });
    await expect(late.call("late", call("x", {}, controller.signal))).rejects.toBe(reason);
    expect(called).toBe(false);
  });

  describe("accessFor (an agent on the main thread)", () => {
    it("binds the turn's agent and session, and copies input and answer", async () => {
      const kept = { count: 1 };
      let received: HostServiceCall | undefined;
      const registry = new HostServiceRegistry().register("store", (given) => {
        received = given;
        return kept;
      });
      const input = { text: "hello" };
      const host = registry.accessFor(caller());
      const answer = await host.call("store", "put", input);
      expect(received).toMatchObject({ agentId: "main", sessionKey: "agent:main:s1", operation: "put" });
      expect(received?.input).toEqual(input);
      expect(received?.input).not.toBe(input);
      expect(answer).toEqual(kept);
      expect(answer).not.toBe(kept);
    });

    it("refuses what could not cross a thread, as a worker would", async () => {
      const registry = new HostServiceRegistry().register("bad", () => ({ callback: () => undefined }));
      const host = registry.accessFor(caller());
      await expect(host.call("bad", "x", {})).rejects.toMatchObject({ code: "OC_ERR_HOST_SERVICE" });
      await expect(host.call("bad", "x", { fn: () => 1 })).rejects.toThrow(/input is not plain data/);
    });

    it("aborts with the tool's own signal as well as the turn's", async () => {
      const registry = new HostServiceRegistry().register("slow", () => new Promise(() => undefined));
      const host = registry.accessFor(caller());
      const own = new AbortController();
      const pending = host.call("slow", "wait", {}, { signal: own.signal });
      own.abort(new Error("tool timeout"));
      await expect(pending).rejects.toThrow("tool timeout");
    });
  });
});
