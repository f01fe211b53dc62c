// Fault plugin: `allocate_forever` keeps allocating and retaining memory until the heap limit kills
// the thread. Tests use it to prove a thread-bound agent's heap limit protects the gateway.
const retained = [];

export default {
  name: "allocate_forever",
  description: "Allocates and retains memory without end, until the thread runs out of heap.",
  parameters: { type: "object", properties: {}, additionalProperties: false },
  async execute() {
    for (let round = 0; ; round++) {
      retained.push(Array.from({ length: 100_000 }, (_, index) => `${round}:${index}`));
    }
  },
};
