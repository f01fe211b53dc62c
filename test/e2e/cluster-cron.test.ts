import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeOpenAIServer } from "../../src/models/testing/fake-openai-server.js";
import { agentOnFakeOpenAI } from "./channel-gateway.js";
import { type GatewayCluster, startGatewayCluster } from "./cluster-setup.js";
import { type RunningGateway, runCli, waitFor } from "./harness.js";
import { userTexts } from "./telegram-setup.js";

const REPLICAS = 3;
const EVERY_MS = 2000;
const SLOTS = 20;
const MESSAGE = "cron tick from the cluster";

interface Run {
  slotMs: number;
  trigger: string;
  outcome: string;
  slots?: number;
  startedAtMs: number;
  finishedAtMs?: number;
}

async function runsOf(gateway: RunningGateway, job: string): Promise<Run[]> {
  const response = await fetch(`${gateway.url}/__openclaw__/cron/runs?job=${job}&limit=500`, {
    headers: gateway.headers,
  });
  if (response.status !== 200) throw new Error(`cron runs answered ${response.status}`);
  return ((await response.json()) as { runs: Run[] }).runs;
}

/**
 * Three gateway processes on one PostgreSQL, each with its scheduler: a job every 2 s runs once
 * per slot for the cluster, over 20 slots. Each gateway talks to its own fake provider (the one
 * difference between their configs), so the model turns each gateway ran are counted apart.
 */
describe("cluster: a cron job on three gateways", () => {
  let providers: FakeOpenAIServer[];
  let cluster: GatewayCluster;

  beforeAll(async () => {
    providers = Array.from({ length: REPLICAS }, () => new FakeOpenAIServer());
    const addresses = await Promise.all(providers.map((provider) => provider.start()));
    cluster = await startGatewayCluster({
      count: REPLICAS,
      config: (index) => agentOnFakeOpenAI(addresses[index]?.baseUrl as string),
    });
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
    for (const provider of providers ?? []) await provider.close();
  });

  const turnsOn = (index: number) =>
    (providers[index] as FakeOpenAIServer).requests.filter(
      (request) => userTexts(request.body).at(-1) === MESSAGE,
    ).length;

  it(`an every-2s job runs once per slot across the cluster, over ${SLOTS} slots`, async () => {
    const home = cluster.replicas[0]?.home;
    if (!home) throw new Error("no replica 0");
    const added = await runCli(
      ["cron", "add", "--name", "tick", "--every", "2s", "--message", MESSAGE, "--json"],
      home.env,
    );
    expect(added.code, added.stderr).toBe(0);
    const job = JSON.parse(added.stdout) as { id: string; schedule: { anchorMs: number } };
    // Read on another replica than the one that added it: the history is the cluster's.
    const reader = cluster.gateway(1);
    await waitFor(
      async () => {
        const finished = (await runsOf(reader, job.id)).filter((run) => run.outcome !== "running");
        return finished.length >= SLOTS ? finished : undefined;
      },
      (SLOTS + 15) * EVERY_MS,
    );
    const disabled = await runCli(["cron", "edit", job.id, "--disable"], home.env);
    expect(disabled.code, disabled.stderr).toBe(0);
    await waitFor(async () => (await runsOf(reader, job.id)).every((run) => run.outcome !== "running"));

    const runs = await runsOf(reader, job.id);
    const scheduled = runs.filter((run) => run.trigger === "schedule");
    const slots = scheduled.map((run) => run.slotMs);
    // Once per slot: no slot has two rows, whichever gateways tried it.
    expect(new Set(slots).size).toBe(slots.length);
    for (const slot of slots) expect((slot - job.schedule.anchorMs) % EVERY_MS).toBe(0);
    const ran = scheduled.filter((run) => run.outcome === "ok");
    expect(ran.length).toBeGreaterThanOrEqual(SLOTS);
    // Each run was one model turn, on one gateway: the three providers together saw as many.
    const perReplica = providers.map((_, index) => turnsOn(index));
    expect(perReplica.reduce((sum, count) => sum + count, 0)).toBe(ran.length);
    // Every slot from the first to the last is accounted for, never lost between the gateways:
    // run, skipped with a row, or folded into the next run because the job was still running
    // when it fell (one turn at a time, as on one gateway; a loaded machine makes turns overrun).
    const first = Math.min(...slots);
    const last = Math.max(...slots);
    const coveredSlots = new Set<number>();
    // A row standing for several slots (skipped, or a run that covered those that fell meanwhile).
    for (const run of scheduled)
      for (let index = 1; index < (run.slots ?? 1); index++) coveredSlots.add(run.slotMs - index * EVERY_MS);
    for (const run of scheduled.filter((run) => run.outcome === "skipped")) coveredSlots.add(run.slotMs);
    const unaccounted: number[] = [];
    for (let slot = first; slot <= last; slot += EVERY_MS) {
      if (slots.includes(slot) || coveredSlots.has(slot)) continue;
      // Folded: a run that started before it was still going when the next slot fell (a run that
      // ends earlier is followed by a tick that claims it). 250 ms: the tick after a finish.
      const busy = scheduled.some(
        (run) =>
          run.startedAtMs <= slot && (run.finishedAtMs ?? Number.POSITIVE_INFINITY) + 250 >= slot + EVERY_MS,
      );
      if (!busy) unaccounted.push(slot);
    }
    expect(unaccounted).toEqual([]);
    // Every replica reads the same history.
    for (const replica of cluster.replicas) {
      expect((await runsOf(cluster.gateway(replica.index), job.id)).map((run) => run.slotMs)).toEqual(
        runs.map((run) => run.slotMs),
      );
    }
    console.log(
      `cluster cron e2e: ${ran.length} runs over ${(last - first) / EVERY_MS + 1} slots, model turns per replica ${JSON.stringify(perReplica)}`,
    );
  }, 120_000);
});
