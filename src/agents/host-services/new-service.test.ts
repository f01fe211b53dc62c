import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigSchema } from "../../config/index.js";
import { OpenClawError } from "../../errors.js";
import type { TurnLease } from "../agent-supervisor.js";
import { AgentSupervisor } from "../agent-supervisor.js";
import { testSupervisorOptions } from "../testing/supervisor-options.js";
import type { HostServiceCall } from "./host-service.js";
import { HostServiceRegistry } from "./host-service-registry.js";

/**
 * The claim of the host-service registry: a new service is one handler registration and one
 * tool, nothing else. This file is both: it registers a `weather` service no other file knows
 * and writes a plugin tool that calls it, then runs that tool in every placement (the gateway's
 * main thread, a thread of its own, the shared pool): same answers, same typed errors, aborts.
 */
const FORECAST_TOOL = `
export default {
  name: "forecast",
  description: "Tomorrow's weather for a city, from the gateway's weather service.",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  async execute(input, context) {
    try {
      return await context.host.call("weather", input.city === "Atlantis" ? "wait" : "forecast", { city: input.city });
    } catch (error) {
      if (context.signal.aborted) throw error;
      return { refused: error.code, message: error.message, typed: error.name === "OpenClawError" };
    }
  },
};
`;

describe("a new host service: one registration, one tool", () => {
  let dir: string;
  let calls: HostServiceCall[];
  let waiting: ((call: HostServiceCall) => void) | undefined;
  let supervisor: AgentSupervisor;

  const weather = new HostServiceRegistry();
  weather.register("weather", (call) => {
    calls.push(call);
    const { city } = call.input as { city: string };
    if (call.operation === "wait") {
      waiting?.(call);
      return new Promise((_, reject) =>
        call.signal.addEventListener("abort", () => reject(call.signal.reason)),
      );
    }
    if (city === "Nowhere") throw new OpenClawError("OC_ERR_BAD_REQUEST", `no forecast for ${city}`);
    return { city, sky: "clear", agent: call.agentId, session: call.sessionKey };
  });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "new-host-service-"));
    calls = [];
    waiting = undefined;
    await writeFile(join(dir, "forecast.mjs"), FORECAST_TOOL);
    supervisor = new AgentSupervisor(testSupervisorOptions(dir, { hostServices: weather }));
  });
  afterEach(async () => {
    await supervisor.close();
    await rm(dir, { recursive: true, force: true });
  });

  const ask = (lease: TurnLease, agentId: string, text: string, signal = new AbortController().signal) =>
    lease.runner.runTurn({
      agentId,
      sessionKey: `agent:${agentId}:weather`,
      messages: [{ role: "user", content: text }],
      depth: 0,
      signal,
      emit: () => undefined,
      delegate: () => Promise.reject(new Error("no delegation here")),
    });

  const placements = [
    { placement: "main", agents: { inline: { plugins: ["forecast.mjs"] } } },
    { placement: "thread", agents: { threaded: { threadBound: true, plugins: ["forecast.mjs"] } } },
    { placement: "pool", agents: { defaults: { pool: { size: 1 } }, pooled: { plugins: ["forecast.mjs"] } } },
  ] as const;

  for (const { placement, agents } of placements) {
    const agentId = Object.keys(agents).find((key) => key !== "defaults") as string;

    it(`answers the tool on the ${placement} placement, as the turn's agent and session`, async () => {
      await supervisor.apply(ConfigSchema.parse({ agents }), join(dir, "openclaw.json"));
      expect(supervisor.get(agentId)).toMatchObject({ state: "ready", placement });
      const lease = await supervisor.acquire(agentId);
      try {
        const outcome = await ask(lease, agentId, '/tool forecast {"city":"Oslo"}');
        expect(JSON.parse(outcome.text.replace(/^Tool forecast returned: /, ""))).toEqual({
          city: "Oslo",
          sky: "clear",
          agent: agentId,
          session: `agent:${agentId}:weather`,
        });
        const refused = await ask(lease, agentId, '/tool forecast {"city":"Nowhere"}');
        expect(JSON.parse(refused.text.replace(/^Tool forecast returned: /, ""))).toEqual({
          refused: "OC_ERR_BAD_REQUEST",
          message: "no forecast for Nowhere",
          typed: true,
        });
      } finally {
        lease.release();
      }
      expect(calls.map((call) => [call.agentId, call.operation])).toEqual([
        [agentId, "forecast"],
        [agentId, "forecast"],
      ]);
    });

    it(`aborts the service's work with the turn on the ${placement} placement`, async () => {
      await supervisor.apply(ConfigSchema.parse({ agents }), join(dir, "openclaw.json"));
      const lease = await supervisor.acquire(agentId);
      const arrived = new Promise<HostServiceCall>((resolve) => {
        waiting = resolve;
      });
      const controller = new AbortController();
      const turn = ask(lease, agentId, '/tool forecast {"city":"Atlantis"}', controller.signal);
      const call = await arrived;
      const reason = new OpenClawError("OC_ERR_TURN_ABORTED", "the client went away");
      controller.abort(reason);
      await expect(turn).rejects.toMatchObject({ code: "OC_ERR_TURN_ABORTED" });
      await new Promise<void>((resolve) => {
        if (call.signal.aborted) resolve();
        else call.signal.addEventListener("abort", () => resolve(), { once: true });
      });
      expect(call.signal.aborted).toBe(true);
      lease.release();
    });
  }
});
