import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chat } from "./chat-http.js";
import { REPO_ROOT, runCli, tempHome, useGateway } from "./harness.js";

const FIXTURES = join(REPO_ROOT, "test/fixtures/openclaw-docs");

interface DocFixture {
  file: string;
  source: string;
  warnings: string[];
}

const { fixtures } = JSON.parse(readFileSync(join(FIXTURES, "index.json"), "utf8")) as {
  fixtures: DocFixture[];
};

describe("OpenClaw's documented config examples", () => {
  it.each(fixtures)(
    "$file ($source) passes config validate, one warning per unsupported setting",
    async (fixture) => {
      const home = await tempHome();
      try {
        const result = await runCli(
          ["config", "validate", "--config", join(FIXTURES, fixture.file)],
          home.env,
        );
        expect(result.stdout + result.stderr, fixture.file).toContain("config valid:");
        expect(result.code).toBe(0);
        const warned = [
          ...result.stderr.matchAll(
            /^warning: .*?:\d+: (\S+): (?:OpenClaw setting|OpenClaw secret provider) .*not supported here.*$/gm,
          ),
        ].map((match) => match[1]);
        expect(warned).toEqual(fixture.warnings);
      } finally {
        await home.cleanup();
      }
    },
  );
});

describe("a gateway started with a documented OpenClaw config", () => {
  const running = useGateway(readFileSync(join(FIXTURES, "per-agent-heartbeats.json5"), "utf8"));

  it("answers as its agents, the default: true one first", async () => {
    for (const agentId of ["main", "ops"]) {
      const reply = await chat(running.gateway.url, agentId, "ping");
      expect(reply.status, agentId).toBe(200);
      expect(reply.text).toBe("You said: ping");
    }
  });

  it("logs one warning per setting it ignores", () => {
    const output = running.gateway.output();
    for (const setting of ["agents.entries.ops.heartbeat.timeoutSeconds"]) {
      const lines = output
        .split("\n")
        .filter((line) => line.includes(`${setting}: OpenClaw setting not supported here; ignored`));
      expect(lines, setting).toHaveLength(1);
    }
  });
});
