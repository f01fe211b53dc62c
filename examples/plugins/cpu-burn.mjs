// Example plugin: `cpu_burn` keeps the CPU busy for a given time. The benchmarks use it as a
// CPU-bound agent, to show that a thread-bound agent's work does not stall the gateway's thread.
const MAX_MS = 60_000;

export default {
  name: "cpu_burn",
  description: `Spins the CPU synchronously for \`ms\` milliseconds (1 to ${MAX_MS}) and reports how long it ran.`,
  parameters: {
    type: "object",
    properties: {
      ms: { type: "integer", minimum: 1, maximum: MAX_MS, description: "Milliseconds to burn." },
    },
    required: ["ms"],
    additionalProperties: false,
  },
  async execute(input) {
    const ms = input?.ms;
    if (!Number.isInteger(ms) || ms < 1 || ms > MAX_MS) {
      throw new Error(`cpu_burn needs an integer field \`ms\` from 1 to ${MAX_MS}`);
    }
    const start = performance.now();
    // Deliberately synchronous: yielding to the event loop would defeat the purpose.
    while (performance.now() - start < ms) {}
    return { burnedMs: Math.round(performance.now() - start) };
  },
};
