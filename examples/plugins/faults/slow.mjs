// Fault plugin: `sleep` waits on a timer, like a tool blocked on a slow network call. Tests use it
// for turn timeouts, cancellation and backpressure; it honours the turn's abort signal.
const MAX_MS = 600_000;

export default {
  name: "sleep",
  description: `Waits \`ms\` milliseconds (0 to ${MAX_MS}) without using the CPU, then reports how long it slept.`,
  parameters: {
    type: "object",
    properties: {
      ms: { type: "integer", minimum: 0, maximum: MAX_MS, description: "Milliseconds to wait." },
    },
    required: ["ms"],
    additionalProperties: false,
  },
  async execute(input, context) {
    const ms = input?.ms;
    if (!Number.isInteger(ms) || ms < 0 || ms > MAX_MS) {
      throw new Error(`sleep needs an integer field \`ms\` from 0 to ${MAX_MS}`);
    }
    const start = performance.now();
    await sleepUnlessAborted(ms, context?.signal);
    return { sleptMs: Math.round(performance.now() - start) };
  },
};

/** Rejects with the signal's own reason on abort, so a cancelled turn does not wait out the timer. */
function sleepUnlessAborted(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
