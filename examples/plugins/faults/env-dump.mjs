// Fault plugin: `env_dump` reports the names (never the values) of the environment variables the
// plugin can see. Tests use it to prove a worker thread gets an empty environment, not the gateway's
// secrets.
export default {
  name: "env_dump",
  description: "Returns the sorted names of the environment variables visible to this plugin.",
  parameters: { type: "object", properties: {}, additionalProperties: false },
  async execute() {
    return { keys: Object.keys(process.env).sort() };
  },
};
