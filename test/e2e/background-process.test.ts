import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { hostProcessesWith } from "../support/host-processes.js";
import { authHeaders, runCli, useGateway } from "./harness.js";

/** One chat turn in the stable session of `user`, driven by the dev model's /tool form. */
async function tool(url: string, agentId: string, user: string, name: string, input: unknown) {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...authHeaders(url) },
    body: JSON.stringify({
      model: `openclaw/${agentId}`,
      user,
      messages: [{ role: "user", content: `/tool ${name} ${JSON.stringify(input)}` }],
    }),
    signal: AbortSignal.timeout(20_000),
  }).catch((error: unknown) => {
    throw new Error(`${agentId}/${user} ${name} ${JSON.stringify(input)}: ${String(error)}`);
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { choices: { message: { content: string } }[] };
  const text = body.choices[0]?.message.content ?? "";
  const match = /^Tool \S+ (returned|failed): ([\s\S]*)$/.exec(text);
  if (!match) throw new Error(`not a tool answer: ${text}`);
  return {
    ok: match[1] === "returned",
    text: match[2] as string,
    json: () => JSON.parse(match[2] as string),
    sessionKey: response.headers.get("x-openclaw-session-key") ?? "",
  };
}

/** Whether `pid` runs (a zombie does not: it is dead, only not yet reaped). */
const pidAlive = (pid: number) => {
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
};

async function within<T>(ms: number, check: () => Promise<T | undefined>): Promise<T | undefined> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return undefined;
}

/** A "server": says it is ready after a second, then serves forever; MARKER names it in /proc. */
const serverCommand = (marker: string) =>
  `sleep 1; echo listening; exec /bin/sh -c 'while :; do sleep 1; done' ${marker}`;

describe("background processes: exec { background: true } and process", () => {
  const running = useGateway({
    tools: { process: { maxPerAgent: 2 } },
    agents: { main: {}, bound: { threadBound: true } },
  });

  it("starts a server, polls until its line appears, and kills it", async () => {
    const marker = `bgserver${randomBytes(6).toString("hex")}`;
    const started = await tool(running.url, "main", "alice", "exec", {
      command: serverCommand(marker),
      background: true,
      timeoutSeconds: 120,
    });
    expect(started.ok).toBe(true);
    const { sessionId, pid, confined } = started.json();
    expect(confined).toBe(true);
    expect(pidAlive(pid)).toBe(true);
    const polled = await within(10_000, async () => {
      const poll = (
        await tool(running.url, "main", "alice", "process", { action: "poll", sessionId })
      ).json();
      return poll.stdout.includes("listening") ? poll : undefined;
    });
    expect(polled).toMatchObject({ status: "running" });
    expect(await hostProcessesWith(marker)).toBe(1);

    // Another session cannot see it, nor kill it.
    const foreign = await tool(running.url, "main", "mallory", "process", { action: "kill", sessionId });
    expect(foreign.ok).toBe(false);
    expect(foreign.text).toMatch(/no background process/);
    expect(pidAlive(pid)).toBe(true);

    const killed = await tool(running.url, "main", "alice", "process", { action: "kill", sessionId });
    expect(killed.json()).toMatchObject({ status: "killed", killedBy: "requested" });
    expect(pidAlive(pid)).toBe(false);
    expect(await within(3000, async () => ((await hostProcessesWith(marker)) === 0 ? true : undefined))).toBe(
      true,
    );
  });

  it("enforces tools.process.maxPerAgent", async () => {
    const marker = `bglimit${randomBytes(6).toString("hex")}`;
    const ids: string[] = [];
    for (const user of ["alice", "bob"]) {
      const started = await tool(running.url, "main", user, "exec", {
        command: serverCommand(marker),
        background: true,
      });
      expect(started.ok).toBe(true);
      ids.push(started.json().sessionId);
    }
    const third = await tool(running.url, "main", "carol", "exec", {
      command: serverCommand(marker),
      background: true,
    });
    expect(third.ok).toBe(false);
    expect(third.text).toMatch(/maxPerAgent/);
    for (const [index, user] of ["alice", "bob"].entries()) {
      await tool(running.url, "main", user, "process", { action: "kill", sessionId: ids[index] });
    }
  });

  for (const agentId of ["main", "bound"]) {
    it(`kills the processes of ${agentId} when the agent restarts`, async () => {
      const marker = `bgrestart${randomBytes(6).toString("hex")}`;
      const started = await tool(running.url, agentId, "dave", "exec", {
        command: serverCommand(marker),
        background: true,
      });
      expect(started.ok).toBe(true);
      const { pid } = started.json();
      expect(pidAlive(pid)).toBe(true);
      const restart = await runCli(["agents", "restart", agentId], running.home.env);
      expect(restart.code).toBe(0);
      expect(await within(5000, async () => (pidAlive(pid) ? undefined : true))).toBe(true);
      expect(
        await within(3000, async () => ((await hostProcessesWith(marker)) === 0 ? true : undefined)),
      ).toBe(true);
    });
  }

  for (const agentId of ["main", "bound"]) {
    it(`kills the processes of a ${agentId} session when the session is deleted`, async () => {
      const marker = `bgsession${randomBytes(6).toString("hex")}`;
      const started = await tool(running.url, agentId, "erin", "exec", {
        command: serverCommand(marker),
        background: true,
      });
      const other = await tool(running.url, agentId, "frank", "exec", {
        command: serverCommand(marker),
        background: true,
      });
      expect(started.ok && other.ok).toBe(true);
      expect(started.sessionKey).not.toBe("");
      // The transcript is written as the turn ends; retried until it is there to delete.
      const status = await within(5000, async () => {
        const response = await fetch(
          `${running.url}/__openclaw__/sessions/${encodeURIComponent(started.sessionKey)}`,
          { method: "DELETE", headers: authHeaders(running.url) },
        );
        return response.status === 404 ? undefined : response.status;
      });
      expect(status).toBe(200);
      expect(await within(5000, async () => (pidAlive(started.json().pid) ? undefined : true))).toBe(true);
      // The other session's process is untouched.
      expect(pidAlive(other.json().pid)).toBe(true);
      await tool(running.url, agentId, "frank", "process", {
        action: "kill",
        sessionId: other.json().sessionId,
      });
      expect(
        await within(3000, async () => ((await hostProcessesWith(marker)) === 0 ? true : undefined)),
      ).toBe(true);
    });
  }
});
