import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { CronJobSchema, CronRunLogEntrySchema } from "@openclaw/gateway-protocol/schema";
import { Compile } from "typebox/compile";
import { describe, expect, it } from "vitest";
import { useGateway, waitFor } from "./harness.js";
import { TestWsClient } from "./ws-client.js";

const protocolCronJob = Compile(CronJobSchema);
const protocolRunEntry = Compile(CronRunLogEntrySchema);

/** The schema's complaints about `value`, [] when it conforms. */
function problems(
  check: { Check(value: unknown): boolean; Errors(value: unknown): Iterable<unknown> },
  value: unknown,
) {
  return check.Check(value) ? [] : [...check.Errors(value)].map((error) => JSON.stringify(error));
}

/**
 * OpenClaw's cron.* methods over a real WebSocket: params judged by the published protocol's
 * validators, answers checked against its CronJob and CronRunLogEntry schemas.
 */
describe("cron.* over the WebSocket (OpenClaw's protocol)", () => {
  const ctx = useGateway({ gateway: { auth: { mode: "token" } }, agents: { main: { model: "dev/echo" } } });
  const connect = async (scopes: string[]) => {
    const token = (await readFile(join(ctx.home.stateDir, "gateway-token"), "utf8")).trim();
    return (await TestWsClient.connect(ctx.url, { auth: { token }, scopes })).client;
  };

  it("adds an agentTurn job with the protocol's params, lists it, reads its runs, runs and removes it", async () => {
    const client = await connect(["operator.read", "operator.admin"]);
    const added = await client.request("cron.add", {
      name: "ws-job",
      agentId: "main",
      schedule: { kind: "every", everyMs: 1000 },
      sessionTarget: "isolated",
      wakeMode: "now",
      payload: { kind: "agentTurn", message: "over the socket" },
    });
    expect(added.ok, JSON.stringify(added.error)).toBe(true);
    expect(problems(protocolCronJob, added.payload)).toEqual([]);
    expect(added.payload).toMatchObject({
      sessionTarget: "isolated",
      payload: { kind: "agentTurn", message: "over the socket" },
      schedule: { kind: "every", everyMs: 1000 },
    });
    const id = (added.payload as { id: string }).id;
    const listed = await client.request("cron.list", {});
    const jobs = (listed.payload as { jobs: { id: string }[] }).jobs;
    expect(jobs.map((job) => job.id)).toContain(id);
    for (const job of jobs) expect(problems(protocolCronJob, job)).toEqual([]);
    const entries = await waitFor(async () => {
      const runs = await client.request("cron.runs", { id });
      const found = (runs.payload as { entries: { status: string }[] }).entries.filter(
        (run) => run.status === "ok",
      );
      return found.length > 0 ? found : undefined;
    }, 10_000);
    for (const entry of entries) expect(problems(protocolRunEntry, entry)).toEqual([]);
    expect(entries[0]).toMatchObject({ jobId: id, action: "finished", deliveryStatus: "not-requested" });
    const ran = await client.request("cron.run", { id });
    const run = (ran.payload as { run: Record<string, unknown> }).run;
    expect(problems(protocolRunEntry, run)).toEqual([]);
    expect(run).toMatchObject({ status: "ok", jobName: "ws-job" });
    expect((await client.request("cron.remove", { id })).ok).toBe(true);
    const gone = await client.request("cron.runs", { id });
    expect(gone.error?.message).toContain(`no cron job "${id}"`);
    client.close();
  }, 30_000);

  it("refuses a change without operator.admin, and params the protocol does not accept", async () => {
    const reader = await connect(["operator.read"]);
    const denied = await reader.request("cron.add", {
      name: "nope",
      schedule: { kind: "every", everyMs: 1000 },
      sessionTarget: "isolated",
      wakeMode: "now",
      payload: { kind: "agentTurn", message: "x" },
    });
    expect(denied.error?.details?.missingScope).toBe("operator.admin");
    reader.close();
    const admin = await connect(["operator.admin"]);
    const invalid = await admin.request("cron.add", {
      name: "bad",
      schedule: { kind: "every", everyMs: 1000 },
    });
    expect(invalid.error).toMatchObject({
      code: "INVALID_REQUEST",
      message: expect.stringMatching(/^invalid cron\.add params/),
    });
    const command = await admin.request("cron.add", {
      name: "cmd",
      schedule: { kind: "every", everyMs: 1000 },
      sessionTarget: "isolated",
      wakeMode: "now",
      payload: { kind: "command", argv: ["ls"] },
    });
    expect(command.error?.message).toContain("not supported here");
    admin.close();
  });
});
