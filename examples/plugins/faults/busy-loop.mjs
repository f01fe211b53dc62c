// Fault plugin: `spin_forever` never returns and never yields, like a plugin stuck in an infinite
// loop. Tests use it to prove the watchdog terminates a stalled agent thread and the gateway lives on.
export default {
  name: "spin_forever",
  description: "Loops forever without yielding: stalls the event loop of the thread that runs it.",
  parameters: { type: "object", properties: {}, additionalProperties: false },
  async execute() {
    while (true) {}
  },
};
