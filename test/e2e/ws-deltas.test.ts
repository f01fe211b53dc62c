import { describe, expect, it } from "vitest";
import { FakeOpenAIServer } from "../../src/models/testing/fake-openai-server.js";
import { withTestAuth } from "./harness.js";
import { useProviderGateway } from "./provider-gateway.js";
import { type Frame, TestWsClient } from "./ws-client.js";

const API_KEY = "sk-ws-deltas-not-a-real-key-0123456789";
/** 800 chunks of 20 characters, about 2 ms apart: a 16 000-character reply streamed over ~2 s. */
const CHUNKS = Array.from({ length: 800 }, (_, index) => `chunk ${String(index).padStart(4, "0")} of text. `);
const REPLY = CHUNKS.join("");

interface ReceivedChat {
  frame: Frame;
  bytes: number;
}

/** An operator connection that also counts the bytes of every `chat` frame it receives. */
async function operatorCountingChat(
  url: string,
  params: Record<string, unknown> = {},
): Promise<{ client: TestWsClient; chat: ReceivedChat[] }> {
  const { client, hello } = await TestWsClient.connect(url, params);
  expect(hello.ok).toBe(true);
  const chat: ReceivedChat[] = [];
  client.socket.on("message", (data: Buffer) => {
    const frame = JSON.parse(data.toString()) as Frame;
    if (frame.event === "chat") chat.push({ frame, bytes: data.length });
  });
  return { client, chat };
}

function textOf(message: unknown): string {
  const content = (message as { content?: { text?: string }[] } | undefined)?.content ?? [];
  return content.map((part) => part.text ?? "").join("");
}

/**
 * Issue 16, finding 5: each `chat` delta used to carry the whole message so far, one frame per
 * model chunk, so the bytes sent to every operator grew with the square of the reply. Deltas are
 * now coalesced and carry only the new text; the final frame carries the whole message.
 */
describe("WebSocket chat deltas", () => {
  const running = useProviderGateway({
    server: () =>
      new FakeOpenAIServer({
        apiKey: API_KEY,
        chunkDelayMs: 2,
        respond: () => ({ type: "text", text: CHUNKS }),
      }),
    config: ({ baseUrl }) =>
      withTestAuth({
        models: { providers: { openai: { baseUrl, apiKey: API_KEY } } },
        agents: { main: { model: "openai/gpt-4o-mini" } },
      }),
  });

  it("sends each operator bytes linear in the reply, and the reply reassembles exactly", async () => {
    const first = await operatorCountingChat(running.gateway.url);
    const second = await operatorCountingChat(running.gateway.url);
    const runId = "ws-deltas-1";
    const sent = await first.client.request("chat.send", {
      sessionKey: "agent:main:deltas",
      message: "stream a long answer",
      idempotencyKey: runId,
    });
    expect(sent.payload).toEqual({ runId, status: "started" });
    for (const operator of [first, second]) {
      await operator.client.waitFor(
        (frame) =>
          frame.event === "chat" && frame.payload?.runId === runId && frame.payload?.state === "final",
        30_000,
      );
    }

    const replyBytes = Buffer.byteLength(REPLY);
    const runs = [first, second].map((operator) => {
      const run = operator.chat.filter((received) => received.frame.payload?.runId === runId);
      return { run, bytes: run.reduce((total, received) => total + received.bytes, 0) };
    });
    // The figures for the note, printed before anything is asserted.
    for (const [index, { run, bytes }] of runs.entries()) {
      process.stdout.write(
        `ws-deltas: operator ${index + 1}: ${run.length} chat frames, ${bytes} bytes for a ${replyBytes}-byte reply\n`,
      );
    }
    for (const { run, bytes } of runs) {
      const deltas = run.filter((received) => received.frame.payload?.state === "delta");
      const final = run.at(-1)?.frame.payload;
      expect(final?.state).toBe("final");
      expect(textOf(final?.message)).toBe(REPLY);
      expect(deltas.length).toBeGreaterThan(1);
      expect(deltas.map((received) => received.frame.payload?.deltaText).join("")).toBe(REPLY);
      expect(bytes).toBeLessThanOrEqual(3 * replyBytes);
      const seqs = run.map((received) => received.frame.payload?.seq as number);
      expect(seqs).toEqual([...seqs].sort((left, right) => left - right));
    }
    first.client.close();
    second.client.close();
  }, 60_000);

  it("gives OpenClaw's TUI, which renders from `message`, the whole text on each coalesced delta", async () => {
    const tui = await operatorCountingChat(running.gateway.url, {
      client: { id: "openclaw-tui", version: "2026.9.6", platform: "linux", mode: "ui" },
    });
    const other = await operatorCountingChat(running.gateway.url);
    const runId = "ws-deltas-tui";
    await other.client.request("chat.send", {
      sessionKey: "agent:main:deltas-tui",
      message: "stream a long answer",
      idempotencyKey: runId,
    });
    await tui.client.waitFor(
      (frame) => frame.event === "chat" && frame.payload?.runId === runId && frame.payload?.state === "final",
      30_000,
    );
    const run = tui.chat.filter((received) => received.frame.payload?.runId === runId);
    const bytes = run.reduce((total, received) => total + received.bytes, 0);
    process.stdout.write(`ws-deltas: openclaw-tui: ${run.length} chat frames, ${bytes} bytes\n`);
    const deltas = run.filter((received) => received.frame.payload?.state === "delta");
    let soFar = "";
    for (const { frame } of deltas) {
      soFar += frame.payload?.deltaText as string;
      expect(textOf(frame.payload?.message)).toBe(soFar);
    }
    expect(soFar).toBe(REPLY);
    // Paced like the others: one frame per ~75 ms, not one per model chunk.
    expect(run.length).toBeLessThan(CHUNKS.length / 4);
    tui.client.close();
    other.client.close();
  }, 60_000);
});
