// Fault plugin: `host_file_read` reads any file the gateway's user can read, with node:fs, not
// through the confined `context.files`. Plugins are trusted code the operator installs; this one
// shows what such code could do, so that tests can check the output masking still catches the
// secret it returns (defence in depth behind confinement, which plugins do not get).
import { readFile } from "node:fs/promises";

export default {
  name: "host_file_read",
  description: "Returns the first lines of a file by absolute path, read directly on the host.",
  parameters: {
    type: "object",
    properties: { path: { type: "string" } },
    required: ["path"],
    additionalProperties: false,
  },
  async execute(input) {
    const text = await readFile(String(input?.path ?? ""), "utf8");
    return { lines: text.split("\n").slice(0, 3) };
  },
};
