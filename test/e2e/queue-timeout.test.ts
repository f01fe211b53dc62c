import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chat } from "./chat-http.js";
import { REPO_ROOT, useGateway } from "./harness.js";

const TURN_TIMEOUT_MS = 3000;
const QUEUE_TIMEOUT_MS = 1000;
/**
 * The promise to clients: turnTimeoutMs counts from arrival, so every answer (the turn that ran
 * and timed out, and the turns that gave up waiting) is in by then, plus a second of slack for a
 * loaded two-core machine.
 */
const ANSWER_BOUND_MS = TURN_TIMEOUT_MS + 1000;

describe("agents.<id>.limits.queueTimeoutMs", () => {
  const running = useGateway({
    agents: {
      hung: {
        plugins: [join(REPO_ROOT, "examples/plugins/faults/slow.mjs")],
        limits: { maxConcurrent: 1, turnTimeoutMs: TURN_TIMEOUT_MS, queueTimeoutMs: QUEUE_TIMEOUT_MS },
      },
    },
  });

  it("answers every one of 10 concurrent turns on a hung agent within turnTimeoutMs + 1 s", async () => {
    const replies = await Promise.all(
      Array.from({ length: 10 }, () => chat(running.url, "hung", '/tool sleep {"ms":60000}', 60_000)),
    );
    const latencies = replies.map((reply) => Math.round(reply.ms));
    const last = Math.max(...latencies);
    // For the note: the last answer's latency, and who got what.
    process.stdout.write(
      `queue-timeout e2e: last answer after ${last} ms; statuses ${replies.map((reply) => reply.status).join(",")}\n`,
    );
    expect(last).toBeLessThanOrEqual(ANSWER_BOUND_MS);
    const statuses = replies.map((reply) => reply.status).sort();
    expect(statuses.filter((status) => status === 504)).toHaveLength(1);
    expect(statuses.filter((status) => status === 503)).toHaveLength(9);
    for (const reply of replies.filter((candidate) => candidate.status === 503)) {
      expect(reply.retryAfter).toBe("1");
      // OpenAI's error shape on /v1 (OC_ERR_QUEUE_TIMEOUT → queue_timeout), saying what to do.
      const error = (reply.body as { error: { code: string; message: string } }).error;
      expect(error.code).toBe("queue_timeout");
      expect(error.message).toMatch(/waited \d+ ms for a turn slot \(limits\.queueTimeoutMs 1000\)/);
      expect(error.message).toMatch(/limits\.maxConcurrent/);
      // Given up after the queue timeout, not at once and not at the turn timeout.
      expect(reply.ms).toBeGreaterThanOrEqual(QUEUE_TIMEOUT_MS - 50);
      expect(reply.ms).toBeLessThan(TURN_TIMEOUT_MS);
    }
  }, 90_000);
});
