import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningGateway, runCli, startGateway, type TempHome, tempHome, waitFor } from "./harness.js";
import {
  startTelegramGateway,
  type TelegramGateway,
  unescapeHtml,
  userTexts,
  visibleMessages,
} from "./telegram-setup.js";

interface Run {
  seq: number;
  slotMs: number;
  trigger: string;
  outcome: string;
  startedAtMs: number;
  durationMs?: number;
  runId?: string;
  sessionKey?: string;
  error?: string;
  delivered?: boolean;
  slots?: number;
}

async function cli(home: TempHome, args: string[]): Promise<string> {
  const result = await runCli(args, home.env);
  if (result.code !== 0)
    throw new Error(`openclaw ${args.join(" ")} exited ${result.code}:\n${result.stderr}`);
  return result.stdout;
}

async function runsOf(home: TempHome, job: string): Promise<Run[]> {
  return JSON.parse(await cli(home, ["cron", "runs", job, "--json"])) as Run[];
}

/**
 * Cron jobs end to end: the built gateway, jobs added with the CLI, run history read back with
 * `openclaw cron runs`. Schedules run at 1 s so the test sees real slots pass.
 */
describe("cron jobs (dev model)", () => {
  let home: TempHome;
  let gateway: RunningGateway;
  beforeAll(async () => {
    home = await tempHome({ agents: { main: { model: "dev/echo" } } });
    gateway = await startGateway(home);
  }, 60_000);
  afterAll(async () => {
    await gateway?.stop();
    await home?.cleanup();
  });

  it("an `every 1s` job fires on its slots and `cron runs` shows the history", async () => {
    const added = JSON.parse(
      await cli(home, ["cron", "add", "--name", "tick", "--every", "1s", "--message", "tick tock", "--json"]),
    ) as { id: string; schedule: { anchorMs: number }; nextRunAtMs: number };
    expect(added.nextRunAtMs).toBe(added.schedule.anchorMs + 1000);
    const runs = await waitFor(async () => {
      const found = (await runsOf(home, "tick")).filter((run) => run.outcome === "ok");
      return found.length >= 3 ? found : undefined;
    }, 15_000);
    for (const run of runs) {
      // Each slot is anchor + k seconds, and its run started close to it.
      expect((run.slotMs - added.schedule.anchorMs) % 1000).toBe(0);
      expect(run.startedAtMs - run.slotMs).toBeLessThan(2500);
      expect(run.trigger).toBe("schedule");
      expect(run.runId).toMatch(/^[0-9a-f-]{36}$/);
      expect(run.sessionKey).toBe(`agent:main:cron:${added.id}:run:${run.runId}`);
      expect(run.durationMs).toBeGreaterThanOrEqual(0);
    }
    const slots = runs.map((run) => run.slotMs);
    expect(new Set(slots).size).toBe(slots.length);
    const table = await cli(home, ["cron", "runs", "tick"]);
    expect(table).toContain("SLOT");
    expect(table).toContain("ok");
    // The reply is in the run's own (isolated) session.
    const first = runs.at(-1) as Run;
    const transcript = await fetch(
      `${gateway.url}/__openclaw__/sessions/${encodeURIComponent(first.sessionKey as string)}`,
      { headers: gateway.headers },
    );
    expect(JSON.stringify(await transcript.json())).toContain("You said: tick tock");
    await cli(home, ["cron", "rm", "tick"]);
    const listed = JSON.parse(await cli(home, ["cron", "list", "--json"])) as { name: string }[];
    expect(listed.map((job) => job.name)).not.toContain("tick");
  }, 30_000);

  it("a cron-expression job (every second, six fields) fires on whole seconds in the main session", async () => {
    await cli(home, [
      "automations",
      "add",
      "--name",
      "sec",
      "--cron",
      "* * * * * *",
      "--tz",
      "Europe/Berlin",
      "--session",
      "main",
      "--message",
      "cron says hi",
    ]);
    const runs = await waitFor(async () => {
      const found = (await runsOf(home, "sec")).filter((run) => run.outcome === "ok");
      return found.length >= 2 ? found : undefined;
    }, 15_000);
    for (const run of runs) {
      expect(run.slotMs % 1000).toBe(0);
      expect(run.sessionKey).toBe("agent:main:main");
    }
    await cli(home, ["cron", "edit", "sec", "--disable"]);
    const count = (await runsOf(home, "sec")).length;
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect((await runsOf(home, "sec")).length).toBe(count);
  }, 30_000);

  it("`cron run` runs a job now, outside its schedule; bad input is refused with a hint", async () => {
    await cli(home, ["cron", "add", "--name", "hourly", "--every", "1h", "--message", "by hand"]);
    const run = JSON.parse(await cli(home, ["cron", "run", "hourly", "--json"])) as Run;
    expect(run).toMatchObject({ trigger: "manual", outcome: "ok" });
    expect((await runsOf(home, "hourly")).map((entry) => entry.seq)).toEqual([run.seq]);
    const tooFast = await runCli(
      ["cron", "add", "--name", "x", "--every", "500ms", "--message", "m"],
      home.env,
    );
    expect(tooFast.code).toBe(2);
    expect(tooFast.stderr).toContain("below 1 s");
    const badCron = await runCli(
      ["cron", "add", "--name", "y", "--cron", "61 * * * *", "--message", "m"],
      home.env,
    );
    expect(badCron.code).toBe(2);
    expect(badCron.stderr).toContain("is invalid");
    const badZone = await runCli(
      ["cron", "add", "--name", "z", "--cron", "0 7 * * *", "--tz", "Mars/Olympus", "--message", "m"],
      home.env,
    );
    expect(badZone.stderr).toContain("time zone");
    const berlin = JSON.parse(
      await cli(home, [
        "cron",
        "add",
        "--name",
        "berlin",
        "--at",
        "2030-07-01T09:00:00",
        "--tz",
        "Europe/Berlin",
        "--message",
        "m",
        "--json",
      ]),
    ) as { schedule: { at: string }; nextRunAtMs: number };
    expect(berlin.schedule.at).toBe("2030-07-01T07:00:00.000Z");
    expect(berlin.nextRunAtMs).toBe(Date.parse("2030-07-01T07:00:00Z"));
    const past = await runCli(
      ["cron", "add", "--name", "past", "--at", "2001-01-01T00:00:00Z", "--message", "m"],
      home.env,
    );
    expect(past.stderr).toContain("in the past");
    const missing = await runCli(["cron", "runs", "nope"], home.env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no cron job "nope"');
  }, 30_000);

  it("slots missed while the gateway was down: skipped, or run once, per job", async () => {
    const at = new Date(Date.now() + 3000).toISOString();
    await cli(home, ["cron", "add", "--name", "miss-skip", "--at", at, "--message", "skip me"]);
    await cli(home, [
      "cron",
      "add",
      "--name",
      "miss-once",
      "--at",
      at,
      "--message",
      "run me",
      "--missed",
      "runOnce",
    ]);
    await cli(home, [
      "cron",
      "add",
      "--name",
      "miss-many",
      "--every",
      "1s",
      "--message",
      "many",
      "--missed",
      "runOnce",
    ]);
    await gateway.stop();
    await new Promise((resolve) => setTimeout(resolve, Date.parse(at) - Date.now() + 1500));
    gateway = await startGateway(home);
    const skipped = await waitFor(async () => {
      const runs = await runsOf(home, "miss-skip");
      return runs.length > 0 ? runs : undefined;
    });
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toMatchObject({
      trigger: "missed",
      outcome: "skipped",
      slotMs: Date.parse(at),
      slots: 1,
    });
    const once = await waitFor(async () => {
      const runs = await runsOf(home, "miss-once");
      return runs.some((run) => run.outcome === "ok") ? runs : undefined;
    });
    expect(once).toHaveLength(1);
    expect(once[0]).toMatchObject({ trigger: "missed", outcome: "ok", slotMs: Date.parse(at) });
    // Many slots passed for the interval job: they are one run, not a burst.
    const many = await waitFor(async () => {
      const runs = await runsOf(home, "miss-many");
      return runs.some((run) => run.trigger === "missed" && run.outcome === "ok") ? runs : undefined;
    });
    const missedRuns = many.filter((run) => run.trigger === "missed");
    expect(missedRuns).toHaveLength(1);
    expect(missedRuns[0]?.slots).toBeGreaterThan(1);
    await cli(home, ["cron", "rm", "miss-many"]);
    // The transcript of the skipped job's turn does not exist: no turn ran.
    const sessions = (await (
      await fetch(`${gateway.url}/__openclaw__/sessions`, { headers: gateway.headers })
    ).json()) as { sessions: { key: string }[] };
    const skipJob = JSON.parse(await cli(home, ["cron", "list", "--json"])) as { id: string; name: string }[];
    const skipId = skipJob.find((job) => job.name === "miss-skip")?.id as string;
    expect(sessions.sessions.some((session) => session.key.includes(skipId))).toBe(false);
  }, 60_000);
});

const OWNER_CHAT = 555;
const OPS_CHAT = 556;

describe("cron and heartbeat with a channel (Telegram fake, fake provider)", () => {
  let setup: TelegramGateway;
  beforeAll(async () => {
    setup = await startTelegramGateway({
      telegram: { allowFrom: [String(OWNER_CHAT)] },
      extra: {
        agents: {
          main: { model: "openai/gpt-4o-mini" },
          quiet: {
            model: "openai/gpt-4o-mini",
            heartbeat: { every: "1s", prompt: "heartbeat-quiet", target: "telegram", to: String(OWNER_CHAT) },
          },
          ops: {
            model: "openai/gpt-4o-mini",
            heartbeat: { every: "1s", prompt: "heartbeat-ops", target: `telegram:${OPS_CHAT}` },
          },
        },
      },
      respond: (request) => {
        const last = userTexts(request.body).at(-1) ?? "";
        if (last.includes("slow job")) return { type: "text", text: "working on it", stall: true };
        if (last.includes("heartbeat-quiet")) return { type: "text", text: "HEARTBEAT_OK" };
        if (last.includes("heartbeat-ops")) return { type: "text", text: "Disk is 95% full on db-1" };
        return { type: "text", text: `Report: ${last}` };
      },
    });
  }, 60_000);
  afterAll(async () => {
    await setup?.stop();
  });

  const texts = (chat: number) =>
    visibleMessages(setup.bot.sent(), String(chat)).map((m) => unescapeHtml(m.text));

  it("delivers a job's reply to its channel target", async () => {
    await cli(setup.home, [
      "cron",
      "add",
      "--name",
      "digest",
      "--every",
      "1h",
      "--message",
      "daily digest",
      "--channel",
      "telegram",
      "--to",
      String(OWNER_CHAT),
    ]);
    const run = JSON.parse(await cli(setup.home, ["cron", "run", "digest", "--json"])) as Run;
    expect(run).toMatchObject({ outcome: "ok", delivered: true });
    await waitFor(() => texts(OWNER_CHAT).some((text) => text.includes("Report: daily digest")), 10_000);
    const undelivered = JSON.parse(
      await cli(setup.home, ["cron", "edit", "digest", "--no-deliver", "--json"]),
    ) as {
      deliver?: unknown;
    };
    expect(undelivered.deliver).toBeUndefined();
    expect(JSON.parse(await cli(setup.home, ["cron", "run", "digest", "--json"])).delivered).toBeUndefined();
    // On its schedule too, spelled --deliver <channel>:<target>.
    await cli(setup.home, [
      "cron",
      "add",
      "--name",
      "pinger",
      "--every",
      "1s",
      "--message",
      "scheduled ping",
      "--deliver",
      `telegram:${OWNER_CHAT}`,
    ]);
    await waitFor(() => texts(OWNER_CHAT).some((text) => text.includes("Report: scheduled ping")), 10_000);
    const pinged = (await runsOf(setup.home, "pinger")).find((run) => run.delivered);
    expect(pinged).toMatchObject({ trigger: "schedule", outcome: "ok", delivered: true });
    await cli(setup.home, ["cron", "rm", "pinger"]);
  }, 30_000);

  it("heartbeats: HEARTBEAT_OK is not delivered, other replies go to the target", async () => {
    await waitFor(
      () => texts(OPS_CHAT).filter((text) => text.includes("Disk is 95% full")).length >= 2,
      15_000,
    );
    // The quiet agent's heartbeats ran (in its main session) but sent nothing.
    const session = await waitFor(async () => {
      const response = await fetch(`${setup.gateway.url}/__openclaw__/sessions/agent:quiet:main`, {
        headers: setup.gateway.headers,
      });
      const body = JSON.stringify(await response.json());
      return (body.match(/HEARTBEAT_OK/g) ?? []).length >= 2 ? body : undefined;
    }, 15_000);
    expect(session).toContain("heartbeat-quiet");
    expect(texts(OWNER_CHAT).some((text) => text.includes("HEARTBEAT_OK"))).toBe(false);
  }, 30_000);

  it("a restart during a due slot's turn: the slot ran once and is not run again", async () => {
    const at = new Date(Date.now() + 2000).toISOString();
    await cli(setup.home, [
      "cron",
      "add",
      "--name",
      "slow",
      "--at",
      at,
      "--message",
      "slow job",
      "--missed",
      "runOnce",
    ]);
    const slowRequests = () =>
      setup.provider.requests.filter((request) => (userTexts(request.body).at(-1) ?? "").includes("slow job"))
        .length;
    await waitFor(
      async () => (await runsOf(setup.home, "slow")).some((run) => run.outcome === "running"),
      10_000,
    );
    await waitFor(() => slowRequests() === 1, 10_000);
    const child = setup.gateway.process;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
    await setup.restart();
    const runs = await waitFor(async () => {
      const found = await runsOf(setup.home, "slow");
      return found.every((run) => run.outcome !== "running") ? found : undefined;
    }, 10_000);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ slotMs: Date.parse(at), outcome: "interrupted" });
    // Given time, the claimed slot is never run a second time, even with missed: runOnce.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await runsOf(setup.home, "slow")).toHaveLength(1);
    expect(slowRequests()).toBe(1);
  }, 60_000);
});
