// Fault plugin: `throw_later` returns normally, then throws from a timer: an uncaught exception that
// no turn's try/catch can see. Tests use it to prove the agent's host survives or restarts cleanly.
export default {
  name: "throw_later",
  description: "Schedules an error to be thrown from a timer 10 ms from now and returns at once.",
  parameters: { type: "object", properties: {}, additionalProperties: false },
  async execute() {
    setTimeout(() => {
      throw new Error("plugin timer exploded");
    }, 10);
    return "scheduled";
  },
};
