import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import Dockerode from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SANDBOX_IMAGE } from "../../src/sandbox/index.js";
import { chat } from "./chat-http.js";
import { REPO_ROOT, runCli, type TempHome, tempHome, useGateway } from "./harness.js";

const TOKEN = `boxtoken${Date.now()}`;

/** A sandboxed agent's stdio MCP server runs in its container (docker exec), never on the host. */
describe("MCP stdio server of a sandboxed agent", () => {
  let buildHome: TempHome;
  beforeAll(async () => {
    buildHome = await tempHome();
    const present = await new Dockerode()
      .getImage(DEFAULT_SANDBOX_IMAGE)
      .inspect()
      .then(() => true)
      .catch(() => false);
    if (!present) {
      const built = await runCli(["sandbox", "build"], buildHome.env, 300_000);
      expect(built.code, built.stderr).toBe(0);
    }
  }, 320_000);

  const running = useGateway(
    {
      externalSecrets: { "box-token": { source: "env", key: "OPENCLAW_E2E_BOX_TOKEN" } },
      mcp: {
        servers: {
          box: {
            command: "sh",
            args: ["/workspace/box-server.sh"],
            env: { BOX_TOKEN: { $secret: "box-token" } },
          },
        },
      },
      agents: { boxed: { sandbox: { docker: { enabled: true } }, tools: ["bundle-mcp"] } },
    },
    (home) => {
      const workspace = join(home.stateDir, "workspace", "boxed");
      mkdirSync(workspace, { recursive: true });
      copyFileSync(join(REPO_ROOT, "test/e2e/mcp/box-server.sh"), join(workspace, "box-server.sh"));
      home.env.OPENCLAW_E2E_BOX_TOKEN = TOKEN;
    },
  );
  afterAll(async () => {
    await runCli(["sandbox", "prune", "--all"], running.home.env);
    await buildHome?.cleanup();
  });

  it("runs in the agent's container as its user, in /workspace, with its env secret", async () => {
    const reply = await chat(running.url, "boxed", "/tool box__where {}", 60_000);
    expect(reply.status).toBe(200);
    expect(reply.text).toBe("Tool box__where returned: uid 1000 in /workspace on OpenClaw, token given");
    expect(running.gateway.output()).not.toContain(TOKEN);
  }, 90_000);
});
