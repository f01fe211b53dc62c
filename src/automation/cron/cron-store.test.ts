import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { fillDisk, recordingHealth } from "../../storage/sqlite/testing/full-disk.js";
import { importSource, runTypeScriptChild } from "../../testing/typescript-child.js";
import { CronDatabase } from "./cron-database.js";
import type { CronJob } from "./cron-job.js";
import type { CronRunStart } from "./cron-store.js";
import { cronStoreContract } from "./cron-store-contract.js";
import { MemoryCronStore } from "./memory-cron-store.js";
import { SqliteCronStore } from "./sqlite-cron-store.js";

const dirs: string[] = [];
function stateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "cron-store-"));
  dirs.push(dir);
  return dir;
}
const job = (id: string, extra: Partial<CronJob> = {}): CronJob => ({
  id,
  name: id,
  agentId: "main",
  schedule: { kind: "every", everyMs: 1000, anchorMs: 0 },
  message: "m",
  session: { kind: "isolated" },
  missed: "skip",
  enabled: true,
  createdAtMs: 0,
  updatedAtMs: 0,
  ...extra,
});
const start: CronRunStart = { trigger: "schedule", startedAtMs: 1, outcome: "running" };
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

cronStoreContract("memory", async () => ({ store: new MemoryCronStore() }));
cronStoreContract("sqlite", async () => {
  const dir = stateDir();
  return { store: new SqliteCronStore(dir), reopen: async () => new SqliteCronStore(dir) };
});

describe("SqliteCronStore on disk", () => {
  it("creates nothing until written, and refuses a file that is not its database", async () => {
    const dir = stateDir();
    const store = new SqliteCronStore(dir);
    expect(await store.list()).toEqual([]);
    expect(await store.runs("x")).toEqual([]);
    await store.close();
    const foreign = stateDir();
    mkdirSync(join(foreign, "cron"));
    writeFileSync(join(foreign, "cron", "cron.sqlite"), "not a database, someone's notes\n".repeat(10));
    const damaged = new SqliteCronStore(foreign);
    await expect(damaged.list()).rejects.toMatchObject({ code: "OC_ERR_STATE_FILE" });
  });

  it("a write on a full disk fails whole, as OC_ERR_DISK_FULL, and the state dir's health is told", async () => {
    const dir = stateDir();
    const { health, reports } = recordingHealth();
    const database = new CronDatabase(dir, { health });
    const store = new SqliteCronStore(database);
    await store.add(job("a"));
    const freeSpace = fillDisk(database);
    await expect(store.add(job("b", { message: "x".repeat(256 * 1024) }))).rejects.toMatchObject({
      code: "OC_ERR_DISK_FULL",
      message: expect.stringContaining(database.path),
    });
    expect((await store.list()).map((each) => each.id)).toEqual(["a"]);
    freeSpace();
    expect(await store.claimSlot("a", 1000, start)).toBeDefined();
    expect(reports).toEqual(["cron ok", `cron failed ${database.path}`, "cron ok"]);
    await store.close();
  });

  it("keeps a claim it returned when the process is SIGKILLed right after: the slot stays taken", async () => {
    const dir = stateDir();
    const here = dirname(fileURLToPath(import.meta.url));
    const { signal, stdout, stderr } = await runTypeScriptChild(
      `const { SqliteCronStore } = ${importSource(join(here, "sqlite-cron-store.ts"))};
const store = new SqliteCronStore(process.argv[2]);
await store.add({ id: "a", name: "a", agentId: "main", schedule: { kind: "every", everyMs: 1000, anchorMs: 0 },
  message: "m", session: { kind: "isolated" }, missed: "skip", enabled: true, createdAtMs: 0, updatedAtMs: 0 });
const run = await store.claimSlot("a", 5000, { trigger: "schedule", startedAtMs: 5001, outcome: "running", runId: "r1" });
process.stdout.write(JSON.stringify(run));
process.kill(process.pid, "SIGKILL");
`,
      [dir],
    );
    expect(stderr).toBe("");
    expect(signal).toBe("SIGKILL");
    expect(JSON.parse(stdout)).toMatchObject({ slotMs: 5000, runId: "r1" });
    const store = new SqliteCronStore(dir);
    expect(await store.claimSlot("a", 5000, start)).toBeUndefined();
    expect(await store.interruptRunning(6000)).toBe(1);
    expect((await store.runs("a")).map((run) => [run.slotMs, run.outcome, run.runId])).toEqual([
      [5000, "interrupted", "r1"],
    ]);
    await store.close();
  });
});
