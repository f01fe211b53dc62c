import { expect, it } from "vitest";
import type { OpenClawError } from "../../errors.js";
import { ManualClock } from "../../time/testing/manual-clock.js";
import { collectStream } from "../testing/collect-stream.js";
import type { ModelStreamPart } from "../types.js";
import { HELLO, rejectionOf, type SuiteContext, waitUntil } from "./suite-context.js";

const LONG_ANSWER = "one two three four five six seven eight nine ten eleven twelve";
const TIMEOUT_MS = 5000;

/**
 * Stopping: an aborted request fails with OC_ERR_TURN_ABORTED and yields nothing more, and a
 * provider that goes silent longer than timeoutMs fails with OC_ERR_MODEL_PROVIDER; either way
 * the HTTP request is closed, not left streaming. The silence is timed on a hand-driven clock,
 * so these cases take no longer on a loaded machine and cannot fail by being slow.
 */
export function abortAndTimeoutCases(context: SuiteContext): void {
  it("rejects at once with OC_ERR_TURN_ABORTED when the signal is already aborted", async () => {
    const scripted = context.target.scriptText(LONG_ANSWER);
    const stream = context.target
      .create()
      .stream({ messages: scripted.messages, tools: [], signal: AbortSignal.abort(new Error("stop")) });

    const error = (await rejectionOf(collectStream(stream))) as OpenClawError;
    expect(error.code).toBe("OC_ERR_TURN_ABORTED");
    if (context.target.remote) expect(context.target.remote.requests()).toHaveLength(0);
  });

  it("yields nothing after an abort mid-stream and rejects with OC_ERR_TURN_ABORTED", async () => {
    const remote = context.target.remote;
    // A remote answer stalls after its text, so that the request is still open when aborted.
    remote?.scriptStall(LONG_ANSWER);
    const messages = remote ? HELLO : context.target.scriptText(LONG_ANSWER).messages;
    const controller = new AbortController();
    const received: ModelStreamPart[] = [];
    const run = async () => {
      const stream = context.target.create().stream({ messages, tools: [], signal: controller.signal });
      for await (const part of stream) {
        received.push(part);
        if (received.length === 2) controller.abort(new Error("user pressed stop"));
      }
    };

    const error = (await rejectionOf(run())) as OpenClawError;
    expect(error.code).toBe("OC_ERR_TURN_ABORTED");
    expect(received).toHaveLength(2);
    if (remote) await waitUntil(() => remote.abandonedRequests() === 1);
  });

  it("fails with OC_ERR_MODEL_PROVIDER when the provider sends nothing for timeoutMs", async (test) => {
    const remote = context.target.remote;
    if (!remote) return test.skip();
    remote.scriptSilence();
    const clock = new ManualClock();
    const failing = rejectionOf(
      collectStream(
        context.target.create({ timeoutMs: TIMEOUT_MS, clock }).stream({ messages: HELLO, tools: [] }),
      ),
    );
    await waitUntil(() => remote.requests().length === 1);
    clock.advance(TIMEOUT_MS - 1);
    expect(clock.pendingTimers).toBe(1);
    clock.advance(1);

    const error = (await failing) as OpenClawError;
    expect(error).toMatchObject({
      code: "OC_ERR_MODEL_PROVIDER",
      message: `${context.target.providerName} sent nothing for ${TIMEOUT_MS} ms.`,
    });
    expect(error.hint).toContain(`models.providers.${context.target.providerName}.timeoutMs`);
    await waitUntil(() => remote.abandonedRequests() === 1);
  });

  it("times the silence between parts, not the answer, and never a slow consumer", async (test) => {
    const remote = context.target.remote;
    if (!remote) return test.skip();
    const scripted = context.target.scriptText(LONG_ANSWER);
    const clock = new ManualClock();
    const stream = context.target.create({ timeoutMs: TIMEOUT_MS, clock }).stream({
      messages: scripted.messages,
      tools: [],
    });
    let text = "";
    for await (const part of stream) {
      // While the consumer holds a part no timer runs: an hour of it costs nothing.
      expect(clock.pendingTimers).toBe(0);
      clock.advance(3_600_000);
      if (part.type === "text-delta") text += part.text;
    }

    expect(text).toBe(scripted.expectedText);
    expect(remote.abandonedRequests()).toBe(0);
  });
}
