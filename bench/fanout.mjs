// bench/fanout: 1, 10 and 100 concurrent sessions spread over 3 thread-bound agents: total
// turns per second and the worst p99, each client session sending turns back to back.
import { AUTH, printTable, runLoad, startGateway } from "./gateway-process.mjs";

const LEVELS = [1, 10, 100];
const AGENTS = ["a", "b", "c"];
const MAX_MS = Number(process.env.BENCH_FANOUT_MS ?? 3000);

export async function runFanout() {
  const gateway = await startGateway({
    agents: Object.fromEntries(AGENTS.map((id) => [id, { threadBound: true }])),
  });
  const results = [];
  try {
    for (const sessions of LEVELS) {
      // Sessions dealt round-robin to the agents, one load process per agent.
      const perAgent = AGENTS.map(
        (_, index) => Math.floor(sessions / AGENTS.length) + (index < sessions % AGENTS.length ? 1 : 0),
      );
      const runs = await Promise.all(
        AGENTS.map((agent, index) =>
          perAgent[index] === 0
            ? undefined
            : runLoad({
                url: `${gateway.url}/v1/chat/completions`,
                method: "POST",
                headers: AUTH,
                body: { model: `openclaw/${agent}`, messages: [{ role: "user", content: "ping" }] },
                concurrency: perAgent[index],
                maxMs: MAX_MS,
              }),
        ),
      );
      const done = runs.filter(Boolean);
      results.push({
        sessions,
        rps: done.reduce((sum, run) => sum + run.rps, 0),
        p99: Math.max(...done.map((run) => run.p99)),
        errors: done.reduce((sum, run) => sum + run.errors, 0),
      });
    }
  } finally {
    await gateway.stop();
  }
  console.log(
    `\nbench/fanout: concurrent sessions over ${AGENTS.length} thread-bound agents, ${MAX_MS / 1000} s per level`,
  );
  printTable([
    ["sessions", "turns/s", "p99 ms", "errors"],
    ...results.map((entry) => [entry.sessions, Math.round(entry.rps), entry.p99.toFixed(2), entry.errors]),
  ]);
  return { agents: AGENTS.length, maxMs: MAX_MS, results };
}
