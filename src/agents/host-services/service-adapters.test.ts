import { describe, expect, it } from "vitest";
import { EXEC_OUTPUT_BYTES, MAX_EXEC_TIMEOUT_MS } from "../../tools/index.js";
import { canvasService } from "./canvas-service.js";
import type { HostServiceCall } from "./host-service.js";
import { memoryService } from "./memory-service.js";
import { type SandboxExecRequest, sandboxService } from "./sandbox-service.js";

const call = (operation: string, input: unknown): HostServiceCall => ({
  agentId: "coder",
  sessionKey: "agent:coder:s1",
  operation,
  input,
  signal: new AbortController().signal,
});

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("sandboxService", () => {
  const result = { exitCode: 0, stdout: "", stderr: "", timedOut: false, truncated: false, durationMs: 1 };
  const recording = () => {
    const requests: SandboxExecRequest[] = [];
    const handler = sandboxService({
      exec: async (request) => {
        requests.push(request);
        return result;
      },
    });
    return { requests, handler };
  };

  it("runs `exec` in the asking turn's agent's sandbox, never one the input names", async () => {
    const { requests, handler } = recording();
    const input = { command: "ls", timeoutMs: 1000, maxOutputBytes: 100, agentId: "other", sessionKey: "x" };
    await expect(handler(call("exec", input))).resolves.toEqual(result);
    expect(requests).toEqual([
      { command: "ls", timeoutMs: 1000, maxOutputBytes: 100, agentId: "coder", sessionKey: "agent:coder:s1" },
    ]);
  });

  it("holds timeout and output cap to what the exec tool may ask", async () => {
    const { requests, handler } = recording();
    await handler(call("exec", { command: "yes", timeoutMs: 10 ** 9, maxOutputBytes: 10 ** 9 }));
    expect(requests[0]).toMatchObject({ timeoutMs: MAX_EXEC_TIMEOUT_MS, maxOutputBytes: EXEC_OUTPUT_BYTES });
  });

  it("refuses other operations and malformed input with typed errors", () => {
    const { requests, handler } = recording();
    expect(() => handler(call("rm", { command: "ls" }))).toThrow(/no operation "rm"/);
    expect(() => handler(call("exec", { command: "" }))).toThrow(/`command`/);
    expect(() => handler(call("exec", null))).toThrow(/`command`/);
    expect(() => handler(call("exec", { command: "ls", timeoutMs: -1, maxOutputBytes: 1 }))).toThrow(
      /`timeoutMs`/,
    );
    expect(() => handler(call("exec", { command: "ls", timeoutMs: 1 }))).toThrow(/`maxOutputBytes`/);
    expect(thrown(() => handler(call("rm", {})))).toMatchObject({ code: "OC_ERR_BAD_REQUEST" });
    expect(requests).toEqual([]);
  });
});

describe("memoryService", () => {
  it("answers store, search and forget for the asking turn's agent", async () => {
    const calls: unknown[] = [];
    const handler = memoryService(async (memoryCall) => {
      calls.push(memoryCall);
      return { ok: true };
    });
    for (const operation of ["store", "search", "forget"]) await handler(call(operation, { text: "x" }));
    expect(calls).toEqual(
      ["store", "search", "forget"].map((op) => ({
        agentId: "coder",
        sessionKey: "agent:coder:s1",
        op,
        input: { text: "x" },
      })),
    );
    expect(thrown(() => handler(call("drop", {})))).toMatchObject({ code: "OC_ERR_MEMORY_INPUT" });
  });
});

describe("canvasService", () => {
  it("applies the action to the asking turn's session, with an object as input", async () => {
    const calls: unknown[] = [];
    const handler = canvasService((canvasCall) => {
      calls.push(canvasCall);
      return "shown";
    });
    expect(handler(call("present", { html: "<p>" }))).toBe("shown");
    expect(calls).toEqual([
      { agentId: "coder", sessionKey: "agent:coder:s1", action: "present", input: { html: "<p>" } },
    ]);
    expect(() => handler(call("present", ["not", "an", "object"]))).toThrow(/JSON object/);
    expect(() => handler(call("present", "html"))).toThrow(/JSON object/);
  });
});
