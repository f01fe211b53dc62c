import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { overwritePages, pagesOf } from "../../src/memory/testing/damage-store.js";
import { sayInSession, toolResultOf } from "./chat-http.js";
import { type RunningGateway, runCli, startGateway, type TempHome, tempHome, waitFor } from "./harness.js";

const say = (url: string, content: string, sessionKey = "agent:main:corruption") =>
  sayInSession(url, sessionKey, content);

const searchResults = async (url: string, query: string) =>
  toolResultOf(await say(url, `/tool memory_search {"query":"${query}"}`), "memory_search").results as {
    text: string;
    file?: string;
  }[];

/** MEMORY.md with enough paragraphs (one memory each) to span several pages of the store. */
const MEMORY_MD = [
  "# Notes",
  "The staging server is called bramble.",
  ...Array.from(
    { length: 150 },
    (_, index) => `Note ${index}: the nightly build of component ${index} runs on the shared builder.`,
  ),
].join("\n\n");

/**
 * Issue 16, finding 6: garbage over a page of an agent's memory file went unnoticed (agent
 * ready, memory status and doctor green, memory_search failing, memory_store succeeding). The
 * damage is found at start, reported everywhere, writes are refused, and `openclaw memory
 * repair` rebuilds the store, with the gateway running and with it stopped.
 */
describe("a corrupted memory store", () => {
  let home: TempHome;
  let gateway: RunningGateway | undefined;
  let storePath: string;
  let memoryDir: string;

  /** Stops the gateway and writes garbage over a page of workspace chunks in the memories table. */
  async function corruptWhileStopped(): Promise<void> {
    await gateway?.stop();
    gateway = undefined;
    const leaves = pagesOf(storePath, "memories");
    expect(leaves.length).toBeGreaterThan(2);
    overwritePages(storePath, [leaves[Math.floor(leaves.length / 2)] as number]);
  }

  beforeAll(async () => {
    home = await tempHome({ agents: { main: {} } });
    const workspace = join(home.stateDir, "workspace", "main");
    await mkdir(workspace, { recursive: true });
    await writeFile(join(workspace, "MEMORY.md"), MEMORY_MD);
    memoryDir = join(home.stateDir, "memory");
    storePath = join(memoryDir, "main.sqlite");
    gateway = await startGateway(home);
    await waitFor(async () => (await searchResults(gateway?.url ?? "", "staging server")).length > 0, 10_000);
    // Written after the workspace chunks: its row is on the last page, which stays intact.
    await say(gateway.url, '/tool memory_store {"text":"The launch code word is aubergine","tags":["fact"]}');
  }, 60_000);

  afterAll(async () => {
    await gateway?.stop();
    await home?.cleanup();
  });

  it("is reported by status, memory status and doctor, refuses memory_store, and the agent still chats", async () => {
    await corruptWhileStopped();
    const started = await startGateway(home);
    gateway = started;

    const status = await runCli(["status"], home.env);
    expect(status.stdout).toMatch(/main\s+ready/);
    expect(status.stdout).toMatch(
      /memory: agent main: store .*main\.sqlite is corrupt: .*; fix: openclaw memory repair main/,
    );

    const memoryStatus = await runCli(["memory", "status"], home.env);
    expect(memoryStatus.code).toBe(1);
    expect(memoryStatus.stdout).toMatch(/main\s+failed/);
    expect(memoryStatus.stdout).toContain("fix: openclaw memory repair main");
    const json = JSON.parse((await runCli(["memory", "status", "--json"], home.env)).stdout) as {
      agents: { agentId: string; state: string; failure: string }[];
    };
    expect(json.agents).toEqual([expect.objectContaining({ agentId: "main", state: "failed" })]);

    const doctor = await runCli(["doctor"], home.env);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(/FAIL memory of agent "main" has failed: store .* is corrupt/);
    expect(doctor.stdout).toContain("fix: openclaw memory repair main");

    const refused = await say(started.url, '/tool memory_store {"text":"a fact for a damaged file"}');
    expect(refused).toMatch(
      /^Tool memory_store failed: the memory of agent "main" is unavailable: its store .* is corrupt/,
    );
    expect(refused).toContain("openclaw memory repair main");
    expect(await say(started.url, "are you still there?")).toBe("You said: are you still there?");
  }, 90_000);

  it("openclaw memory repair, through the running gateway, rebuilds the store and keeps the damaged file", async () => {
    const started = gateway as RunningGateway;
    const repair = await runCli(["memory", "repair", "main", "--json"], home.env);
    expect(repair.code, repair.stderr).toBe(0);
    const report = JSON.parse(repair.stdout) as {
      repaired: boolean;
      keptAside: string[];
      recovered: { damagedFile: number; workspaceFiles: number };
    };
    expect(report.repaired).toBe(true);
    expect(report.recovered.workspaceFiles).toBe(1);
    // The memory stored by the agent was on an intact page: read back from the damaged file.
    expect(report.recovered.damagedFile).toBe(1);
    expect(report.keptAside[0]).toMatch(/main\.sqlite\.corrupt-\d{8}T\d{6}Z$/);
    expect(await readdir(memoryDir)).toContain(report.keptAside[0]?.split("/").at(-1));

    const memoryStatus = await runCli(["memory", "status", "--json"], home.env);
    expect(JSON.parse(memoryStatus.stdout).agents).toEqual([expect.objectContaining({ state: "ready" })]);
    expect((await searchResults(started.url, "staging server"))[0]).toMatchObject({ file: "MEMORY.md" });
    expect((await searchResults(started.url, "launch code word"))[0]?.text).toBe(
      "The launch code word is aubergine",
    );
    const stored = toolResultOf(
      await say(started.url, '/tool memory_store {"text":"written after the repair"}'),
      "memory_store",
    );
    expect(stored).toMatchObject({ stored: true });
    expect((await runCli(["doctor", "--json"], home.env)).stdout).not.toContain(
      '"memory-store","status":"fail"',
    );
  }, 90_000);

  it("openclaw memory repair works on the files with the gateway stopped, and doctor sees the damage first", async () => {
    await corruptWhileStopped();
    const doctor = await runCli(["doctor"], home.env);
    expect(doctor.stdout).toMatch(/FAIL memory store of agent "main" is corrupt: .*main\.sqlite/);
    expect(doctor.stdout).toContain("it works with the gateway stopped");

    const repair = await runCli(["memory", "repair", "main"], home.env);
    expect(repair.code, repair.stderr).toBe(0);
    expect(repair.stdout).toContain('memory store of agent "main" rebuilt');
    expect(repair.stdout).toMatch(/damaged file kept: .*main\.sqlite\.corrupt-/);
    expect(
      (await readdir(memoryDir)).filter((name) => /^main\.sqlite\.corrupt-[^-]+(-\d+)?$/.test(name)),
    ).toHaveLength(2);

    const started = await startGateway(home);
    gateway = started;
    const memoryStatus = await runCli(["memory", "status"], home.env);
    expect(memoryStatus.code).toBe(0);
    expect((await searchResults(started.url, "staging server"))[0]).toMatchObject({ file: "MEMORY.md" });
    expect((await searchResults(started.url, "aubergine")).map((result) => result.text)).toContain(
      "The launch code word is aubergine",
    );
  }, 90_000);
});
