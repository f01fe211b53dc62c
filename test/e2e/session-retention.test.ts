import { mkdir, readdir, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chat } from "./chat-http.js";
import { runCli, startGateway, tempHome, waitFor } from "./harness.js";

const DAY_MS = 24 * 60 * 60_000;

describe("sessions.retention", () => {
  it("removes old request transcripts at start by default, keeps sessions and today's file, and says so", async () => {
    const home = await tempHome({ agents: { main: {} } });
    try {
      const sessions = join(home.stateDir, "sessions");
      await mkdir(sessions, { recursive: true });
      const old = new Date(Date.now() - 30 * DAY_MS);
      const oldDay = old.toISOString().slice(0, 10);
      await writeFile(join(sessions, `requests-${oldDay}.jsonl`), `${"x".repeat(2047)}\n`);
      await writeFile(join(sessions, "agent:main:chat.jsonl"), "{}\n");
      await utimes(join(sessions, "agent:main:chat.jsonl"), old, old);
      const gateway = await startGateway(home);
      // A stateless request writes today's file while retention runs.
      expect((await chat(gateway.url, "main", "hello")).status).toBe(200);
      const today = `requests-${new Date().toISOString().slice(0, 10)}.jsonl`;
      await waitFor(async () => (await readdir(sessions)).includes(today));

      const retention = await waitFor(async () => {
        const response = await fetch(`${gateway.url}/__openclaw__/status`, { headers: gateway.headers });
        const body = (await response.json()) as {
          sessions?: { retention: { removedFiles: number; removed: { file: string }[] } | null };
        };
        return body.sessions?.retention ?? undefined;
      });
      expect(retention.removed.map((entry) => entry.file)).toEqual([`requests-${oldDay}.jsonl`]);
      expect((await readdir(sessions)).sort()).toEqual(["agent:main:chat.jsonl", today]);

      const status = await runCli(["status"], home.env);
      expect(status.stdout).toMatch(/sessions: retention at \S+ removed 1 transcript\(s\) \(0 MB\)/);
      const doctor = await runCli(["doctor", "--json"], home.env);
      const finding = (JSON.parse(doctor.stdout) as { id: string; status: string }[]).find(
        (check) => check.id === "session-retention",
      );
      expect(finding?.status).toBe("ok");
      await gateway.stop();
    } finally {
      await home.cleanup();
    }
  }, 60_000);

  it("removes session transcripts past sessions.retention.maxAgeDays when configured", async () => {
    const home = await tempHome({ agents: { main: {} }, sessions: { retention: { maxAgeDays: 14 } } });
    try {
      const sessions = join(home.stateDir, "sessions");
      await mkdir(sessions, { recursive: true });
      const written = async (name: string, daysAgo: number) => {
        await writeFile(join(sessions, name), "{}\n");
        const at = new Date(Date.now() - daysAgo * DAY_MS);
        await utimes(join(sessions, name), at, at);
      };
      await written("agent:main:stale.jsonl", 20);
      await written("agent:main:recent.jsonl", 3);
      const gateway = await startGateway(home);
      await waitFor(async () => !(await readdir(sessions)).includes("agent:main:stale.jsonl"));
      expect(await readdir(sessions)).toContain("agent:main:recent.jsonl");
      expect(gateway.output()).toMatch(/session retention removed old transcripts/);
      await gateway.stop();
    } finally {
      await home.cleanup();
    }
  }, 60_000);
});
