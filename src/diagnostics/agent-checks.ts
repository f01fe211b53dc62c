import { type Diagnostic, fail, ok, plural, warn } from "./diagnostic.js";
import type { AgentFact, PoolFact } from "./facts.js";

/** Restarts within the status report's 15-minute window that make an agent "frequently restarting". */
export const FREQUENT_RESTARTS = 2;
/** Refused turns that make 503s "frequent": at least this many, and this share of all turns. */
export const FREQUENT_REJECTIONS = 3;
export const FREQUENT_REJECTION_SHARE = 0.1;

const ID = "agents-thread-bound";

function placementWords(placement: string): string {
  if (placement === "pool") return "it shares the worker pool's threads with other agents";
  if (placement === "main") return "it runs on the gateway's main thread with every other shared agent";
  return `placement ${placement}`;
}

function symptoms(agent: AgentFact): { frequent503: boolean; restarting: boolean; words: string } {
  // The last 15 minutes when the gateway reports them: a burst of 503s an hour ago is history.
  const windowed = agent.recentTurns !== undefined && agent.recentRejected !== undefined;
  const rejected = windowed ? (agent.recentRejected as number) : agent.turnsRejected;
  const turns = windowed
    ? (agent.recentTurns as number)
    : agent.turnsCompleted + agent.turnsFailed + agent.turnsRejected;
  const frequent503 = rejected >= FREQUENT_REJECTIONS && rejected >= turns * FREQUENT_REJECTION_SHARE;
  const restarting = agent.recentRestarts >= FREQUENT_RESTARTS;
  const parts: string[] = [];
  if (frequent503)
    parts.push(
      `answered 503 to ${rejected} of ${plural(turns, "turn")}${windowed ? " in the last 15 min" : ""}`,
    );
  if (restarting) parts.push(`restarted ${plural(agent.recentRestarts, "time")} in the last 15 min`);
  return { frequent503, restarting, words: parts.join(" and ") };
}

function queueAdvice(agent: AgentFact): string | undefined {
  const { maxConcurrent, maxQueue } = agent.limits ?? {};
  if (maxQueue === undefined && maxConcurrent === undefined) return undefined;
  return (
    `turns beyond limits.maxConcurrent (${maxConcurrent ?? "?"}) plus limits.maxQueue (${maxQueue ?? "?"}) ` +
    `are refused with 503: raise them if the load is expected, e.g. openclaw config set agents.${agent.id}.limits.maxQueue 16`
  );
}

/**
 * The seed's first checklist line: "Agent frequent 503 → check whether threadBound is turned
 * on". An agent that is not thread-bound shares its thread, so one agent's load or crash is felt
 * by the others; a thread of its own is the fix. A thread-bound agent with the same symptoms has
 * another cause (its limits, its own crashes), which is worth a warning only.
 */
export function checkAgentAvailability(agents: AgentFact[]): Diagnostic[] {
  const findings: Diagnostic[] = [];
  for (const agent of agents) {
    const found = symptoms(agent);
    if (!found.frequent503 && !found.restarting) continue;
    const details: string[] = [];
    if (found.frequent503) {
      const advice = queueAdvice(agent);
      if (advice) details.push(advice);
    }
    if (agent.lastError) details.push(`last error: ${agent.lastError}`);
    const extra = { subject: agent.id, ...(details.length > 0 ? { details } : {}) };
    if (!agent.threadBound) {
      findings.push(
        fail(
          ID,
          `agent "${agent.id}" ${found.words}, and threadBound is off (${placementWords(agent.placement)})`,
          `turn threadBound on for it: openclaw config set agents.${agent.id}.threadBound true ` +
            `(or "agents": { "defaults": { "threadBound": true } } for every agent); the gateway reloads it into a worker thread of its own`,
          extra,
        ),
      );
    } else {
      findings.push(
        warn(
          ID,
          `agent "${agent.id}" ${found.words}, though it is thread-bound`,
          found.restarting
            ? `find why it crashes (openclaw agents list shows its last error); its plugins or tools are the usual cause`
            : `raise agents.${agent.id}.limits.maxConcurrent or limits.maxQueue, or send it fewer turns at once`,
          extra,
        ),
      );
    }
  }
  if (findings.length > 0) return findings;
  const bound = agents.filter((agent) => agent.threadBound).map((agent) => agent.id);
  return [
    ok(
      ID,
      `agents: none answers 503 often or keeps restarting (${plural(agents.length, "agent")}; thread-bound: ${bound.length > 0 ? bound.join(", ") : "none"})`,
    ),
  ];
}

/**
 * The same checklist line for pooled agents: a crash on the shared pool fails the turns of every
 * agent on that thread (503, agent crashed). The pool does not know which agent's tool crashed
 * it; an agent with failed turns is the likely one. Its restarts are counted over the last 15
 * minutes (since the pool was built, for a gateway that does not report the window).
 */
export function checkPoolRestarts(pool: PoolFact | undefined, agents: AgentFact[]): Diagnostic[] {
  if (!pool) return [];
  // The last 15 minutes when the gateway reports them, like the agents' own restarts.
  const windowed = pool.threads.every((thread) => thread.recentRestarts !== undefined);
  const restarts = pool.threads.reduce(
    (sum, thread) => sum + (windowed ? (thread.recentRestarts as number) : thread.restarts),
    0,
  );
  if (restarts < FREQUENT_RESTARTS) return [];
  const lastError = pool.threads.find((thread) => thread.lastError)?.lastError;
  const suspects = agents.filter((agent) => pool.agents.includes(agent.id) && agent.turnsFailed > 0);
  const target = suspects.length === 1 ? (suspects[0] as AgentFact).id : "<agent>";
  return [
    fail(
      "agents-pool-restarts",
      `the shared worker pool's threads restarted ${plural(restarts, "time")}${windowed ? " in the last 15 min" : ""}${lastError ? ` (last: ${lastError})` : ""}; ` +
        `each crash fails the turns of every agent on it with 503, and none of them is thread-bound: ${pool.agents.join(", ")}` +
        (suspects.length > 0
          ? `; agents with failed turns: ${suspects.map((agent) => `${agent.id} (${agent.turnsFailed})`).join(", ")}`
          : ""),
      `give the agent whose tools crash a thread of its own: openclaw config set agents.${target}.threadBound true`,
      { subject: "pool" },
    ),
  ];
}

/**
 * A degraded agent refuses every turn until someone acts, whatever its 503 count so far: doctor
 * exits 1 for it, with the agent's own reason and fix (a missing secret, an unknown provider).
 */
export function checkDegradedAgents(agents: AgentFact[]): Diagnostic[] {
  return agents
    .filter((agent) => agent.state === "degraded")
    .map((agent) => {
      const [why = "no reason given", ...rest] = (agent.reason ?? "").split("\n").filter(Boolean);
      const fixLine = rest.find((line) => line.trim().startsWith("fix:"));
      const details = rest.filter((line) => line !== fixLine).map((line) => line.trim());
      return fail(
        "agents-degraded",
        `agent "${agent.id}" is degraded and refuses every turn: ${why}`,
        fixLine
          ? fixLine.trim().replace(/^fix:\s*/, "")
          : `fix the cause, then openclaw agents restart ${agent.id}`,
        { subject: agent.id, ...(details.length > 0 ? { details } : {}) },
      );
    });
}
