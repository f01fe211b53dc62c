import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sayInSession } from "./chat-http.js";
import { type RunningGateway, startGateway, type TempHome, tempHome, waitFor } from "./harness.js";

interface LogLine {
  msg?: string;
  rssMbBefore?: number;
  rssMbAfter?: number;
}

async function releases(home: TempHome): Promise<LogLine[]> {
  const text = await readFile(join(home.stateDir, "logs", "gateway.log"), "utf8").catch(() => "");
  return text
    .split("\n")
    .filter((line) => line.includes("freed memory released"))
    .map((line) => JSON.parse(line) as LogLine);
}

describe("gateway.releaseMemoryAfterIdleMs", () => {
  let home: TempHome | undefined;
  let gateway: RunningGateway | undefined;
  afterAll(async () => {
    await gateway?.stop();
    await home?.cleanup();
  });

  it("releases freed memory once after an idle spell, and again only after work", async () => {
    home = await tempHome({
      agents: { main: { threadBound: true }, other: { threadBound: false } },
      gateway: { releaseMemoryAfterIdleMs: 1000 },
    });
    gateway = await startGateway(home);
    await sayInSession(gateway.url, "agent:main:idle", "hello");
    const first = await waitFor(
      async () => ((await releases(home!)).length === 1 ? releases(home!) : undefined),
      10_000,
    );
    expect(first[0]?.rssMbBefore).toBeGreaterThan(0);
    expect(first[0]?.rssMbAfter).toBeGreaterThan(0);
    // Idle on: nothing more to give back, nothing more collected.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(await releases(home)).toHaveLength(1);
    await sayInSession(gateway.url, "agent:other:idle", "hello again");
    await waitFor(async () => (await releases(home!)).length === 2, 10_000);
  }, 60_000);
});
