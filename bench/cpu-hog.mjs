// bench/cpu-hog: the CPU hog of bench/isolation, on its own. A gateway whose `hog` agent runs
// turns of CPU burn back to back (one core busy), for measuring or testing something else on a
// loaded machine:  node bench/cpu-hog.mjs [seconds]   (default 1800; Ctrl-C or SIGTERM ends it).
// Imported by bench/isolation for its busy rows.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chat, REPO_ROOT, startGateway } from "./gateway-process.mjs";

export const BURN_MS = 100;

/** Keeps the hog agent burning CPU (turns of BURN_MS back to back) until stopped or `deadlineMs`. */
export function startHog(url, deadlineMs = 600_000) {
  let running = true;
  let turns = 0;
  const deadline = Date.now() + deadlineMs;
  const done = (async () => {
    while (running && Date.now() < deadline) {
      await chat(url, "hog", `/tool cpu_burn {"ms":${BURN_MS}}`);
      turns++;
    }
  })();
  return {
    done,
    async stop() {
      running = false;
      await done;
      return turns;
    },
  };
}

/** The hog agent's config entry, for a gateway of `threadBound` placement. */
export function hogAgent(threadBound) {
  return { threadBound, plugins: [join(REPO_ROOT, "examples/plugins/cpu-burn.mjs")] };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const seconds = Number(process.argv[2] ?? 1800);
  const gateway = await startGateway({ agents: { hog: hogAgent(true) } });
  const hog = startHog(gateway.url, seconds * 1000);
  const startedAt = Date.now();
  console.log(`cpu-hog: burning one core through ${gateway.url} for up to ${seconds} s (pid ${process.pid})`);
  const end = async () => {
    const turns = await hog.stop();
    await gateway.stop();
    console.log(
      `cpu-hog: ${turns} turns of ${BURN_MS} ms in ${Math.round((Date.now() - startedAt) / 1000)} s`,
    );
    process.exit(0);
  };
  process.on("SIGINT", end);
  process.on("SIGTERM", end);
  await hog.done;
  await end();
}
