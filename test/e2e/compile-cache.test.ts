import { readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { chat } from "./chat-http.js";
import {
  type RunningGateway,
  startGateway,
  type TempHome,
  tempHome,
  waitFor,
  withTestAuth,
} from "./harness.js";

/** The entries of a compile cache directory (Node keeps them under a per-version subdirectory). */
async function cacheEntries(directory: string): Promise<string[]> {
  const versions = await readdir(directory).catch(() => [] as string[]);
  const entries: string[] = [];
  for (const version of versions) {
    for (const name of await readdir(join(directory, version)).catch(() => [] as string[]))
      entries.push(join(directory, version, name));
  }
  return entries;
}

describe("the compile cache of the gateway and its agent threads", () => {
  let home: TempHome | undefined;
  let first: RunningGateway | undefined;
  let running: RunningGateway | undefined;
  afterEach(async () => {
    await first?.stop();
    await running?.stop();
    await home?.cleanup();
  });

  it("is written once ready, so a gateway killed outright still leaves it, and a torn one never stops a start", async () => {
    // No agent thread at first: what is written comes from the gateway's own thread.
    home = await tempHome({ agents: { main: {} } });
    const cache = join(home.dir, "compile-cache");
    home.env.NODE_COMPILE_CACHE = cache;
    first = await startGateway(home);
    const killed = first;
    const written = await waitFor(async () => {
      const entries = await cacheEntries(cache);
      return entries.length > 0 ? entries : undefined;
    });
    // SIGKILL: no exit handler runs, so only what was flushed once ready is on disk.
    const exited = new Promise((resolve) => killed.process.once("exit", resolve));
    killed.process.kill("SIGKILL");
    await exited;
    expect(written?.length).toBeGreaterThan(0);
    const kept = await cacheEntries(cache);
    expect(kept.length).toBeGreaterThan(0);

    // Every entry torn, as a full disk or a crash mid-write would leave it.
    for (const entry of kept) await writeFile(entry, "torn");
    const withThread = { agents: { main: {}, bound: { threadBound: true } } };
    await writeFile(home.configPath, JSON.stringify(withTestAuth(withThread)));
    running = await startGateway(home);
    expect((await chat(running.url, "bound", "after a torn cache")).text).toBe(
      "You said: after a torn cache",
    );
    expect((await chat(running.url, "main", "and on the main thread")).text).toBe(
      "You said: and on the main thread",
    );
  });
});
