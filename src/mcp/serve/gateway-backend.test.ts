import { describe, expect, it } from "vitest";
import type { OpenClawError } from "../../errors.js";
import type { SessionSummary, TranscriptEntry } from "../../sessions/index.js";
import { type GatewayServeParts, gatewayServeBackend } from "./gateway-backend.js";

function parts() {
  const runs: { agentId: string; sessionKey: string; text: string }[] = [];
  const signals: (AbortSignal | undefined)[] = [];
  const value: GatewayServeParts = {
    agents: {
      list: () => [{ id: "ops", name: "Ops", model: "dev/echo", state: "ready" }],
      has: (agentId) => agentId === "ops",
    },
    runs: {
      run: async (request) => {
        runs.push({ agentId: request.agentId, sessionKey: request.sessionKey, text: request.input.text });
        signals.push(request.signal);
        return {
          runId: request.runId,
          outcome: { text: `reply with sk-secret-value to ${request.input.text}` },
        };
      },
    },
    transcripts: {
      list: async () => [
        { key: "agent:ops:s", agentId: "ops", messageCount: 2, updatedAt: 1 } as SessionSummary,
      ],
      read: async () => [{ ts: 1, role: "user", content: "sk-secret-value", runId: "r" } as TranscriptEntry],
    },
    redactor: {
      redactValue: <T>(value: T) =>
        JSON.parse(JSON.stringify(value).replaceAll("sk-secret-value", "***")) as T,
    },
  };
  return { value, runs, signals };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => "accepted",
    (error: OpenClawError) => error.code,
  );
}

describe("the in-gateway backend of mcp serve", () => {
  it("runs the turn in the session it was given and answers redacted", async () => {
    const { value, runs } = parts();
    const reply = await gatewayServeBackend(value).ask({
      agentId: "ops",
      sessionKey: "agent:ops:x",
      message: "hi",
    });
    expect(reply).toMatchObject({ agentId: "ops", sessionKey: "agent:ops:x", text: "reply with *** to hi" });
    expect(runs).toEqual([{ agentId: "ops", sessionKey: "agent:ops:x", text: "hi" }]);
  });

  it("hands the caller's abort signal to the turn (a cancelled call ends it)", async () => {
    const { value, signals } = parts();
    const aborted = new AbortController();
    await gatewayServeBackend(value).ask({
      agentId: "ops",
      sessionKey: "agent:ops:x",
      message: "hi",
      signal: aborted.signal,
    });
    expect(signals).toEqual([aborted.signal]);
  });

  it("checks what the stdio bridge sent again: agent, message, key of that agent, no reserved namespace", async () => {
    const { value, runs } = parts();
    const backend = gatewayServeBackend(value);
    expect(
      await codeOf(backend.ask({ agentId: "nobody", sessionKey: "agent:nobody:x", message: "hi" })),
    ).toBe("OC_ERR_UNKNOWN_AGENT");
    expect(await codeOf(backend.ask({ agentId: "ops", sessionKey: "agent:ops:x", message: " " }))).toBe(
      "OC_ERR_BAD_REQUEST",
    );
    for (const sessionKey of ["agent:main:x", "x", "agent:ops:cron:nightly", "agent:ops:\u0000"]) {
      expect(await codeOf(backend.ask({ agentId: "ops", sessionKey, message: "hi" })), sessionKey).toBe(
        "OC_ERR_BAD_REQUEST",
      );
    }
    expect(runs).toEqual([]);
  });

  it("lists agents and sessions and reads a transcript, redacted", async () => {
    const backend = gatewayServeBackend(parts().value);
    expect(await backend.listAgents()).toEqual([
      { id: "ops", name: "Ops", model: "dev/echo", state: "ready" },
    ]);
    expect(await backend.listSessions({ agentId: "other" })).toEqual([]);
    expect((await backend.listSessions({})).map((session) => session.key)).toEqual(["agent:ops:s"]);
    expect(await backend.history("agent:ops:s")).toEqual([
      { ts: 1, role: "user", content: "***", runId: "r" },
    ]);
  });
});
