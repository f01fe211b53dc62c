import { describe, expect, it } from "vitest";
import { staticGraph } from "../testing/import-graph.js";

/**
 * What `gateway run` evaluates before it is ready: the modules runForeground imports, the HTTP
 * server it loads once the agents are spawned, and the config watcher it starts.
 */
const START_ENTRIES = [
  "cli/gateway-commands.ts",
  "gateway/index.ts",
  "gateway/http-server.ts",
  "logging/index.ts",
  "secrets/index.ts",
  "config/paths.ts",
  "config/validated-cache.ts",
  "config/watch.ts",
];

describe("the gateway's start", () => {
  // Building the config schema is ≈ 30 ms of a start on a 2-vCPU machine, and validating with it
  // ≈ 15 more: a restart on an unchanged file takes its config from the validated-config cache
  // and must not pay either. A value import of config/index.js (the barrel re-exports the schema)
  // or of load.js anywhere in these graphs would bring them back.
  it("does not load the config schema or the loader before it is ready", () => {
    const { modules } = staticGraph(...START_ENTRIES);
    expect(modules).toContain("gateway/gateway.ts");
    expect(modules).toContain("config/agents.ts");
    expect(
      modules.filter((module) =>
        /^config\/(schema(\.ts|\/)|load\.ts|edit\.ts|config-issues\.ts)/.test(module),
      ),
    ).toEqual([]);
  });

  it("is seen through: a barrel import would be caught", () => {
    const { modules } = staticGraph("cli/config-commands.ts", "config/index.ts");
    expect(modules).toContain("config/schema.ts");
    expect(modules).toContain("config/load.ts");
  });
});
