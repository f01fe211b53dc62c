import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import module from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OpenClawError } from "../../errors.js";
import { HostServiceRegistry } from "../host-services/host-service-registry.js";
import { agentFixture } from "../testing/agent-fixtures.js";
import { refuseEgress } from "../testing/supervisor-options.js";
import { processCompileCacheDir } from "./compile-cache.js";
import { ThreadAgentRunner } from "./thread-runner.js";

async function askThreadAgent(stateDir: string): Promise<string> {
  const fixture = agentFixture({ agents: { main: { threadBound: true } } }, stateDir);
  const runner = new ThreadAgentRunner(fixture.settingsOf(fixture.agent("main")), () => undefined, {
    egressFetch: refuseEgress,
    hostServices: new HostServiceRegistry(),
  });
  try {
    await runner.start();
    const outcome = await runner.runTurn({
      agentId: "main",
      sessionKey: "agent:main:cache",
      messages: [{ role: "user", content: "cached?" }],
      depth: 0,
      signal: new AbortController().signal,
      emit: () => undefined,
      delegate: () => Promise.reject(new Error("no delegation here")),
    });
    return outcome.text;
  } finally {
    await runner.close(new OpenClawError("OC_ERR_INTERNAL", "test over"));
  }
}

// One process-wide cache per file: Node allows enabling it once per thread.
describe("agent threads and the compile cache", () => {
  let dir: string;
  let cacheDir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "compile-cache-"));
    cacheDir = join(dir, "cache");
    // A foreign, torn cache: files where Node's entries would be, holding nothing it wrote.
    const versioned = join(cacheDir, `v${process.versions.node}-${process.arch}-torn`);
    await mkdir(versioned, { recursive: true });
    await writeFile(join(versioned, "deadbeef"), "not a cache entry");
    module.enableCompileCache(cacheDir);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("hands the threads the directory given to the process, not Node's per-version subdirectory", () => {
    expect(processCompileCacheDir()).toBe(cacheDir);
  });

  it("starts and answers with a cache dir holding foreign files, and leaves entries for the next start", async () => {
    expect(await askThreadAgent(dir)).toBe("You said: cached?");
    const written = await readdir(module.getCompileCacheDir() as string);
    expect(written.length).toBeGreaterThan(0);
    expect(await askThreadAgent(dir)).toBe("You said: cached?");
  });
});
