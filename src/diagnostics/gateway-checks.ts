import { resolve } from "node:path";
import { type Diagnostic, fail, ok, warn } from "./diagnostic.js";
import type { GatewayFact } from "./facts.js";

/** Not running is not a fault (doctor is often run before the first start); not answering is. */
export function checkGateway(gateway: GatewayFact): Diagnostic {
  if (gateway.state === "stopped") {
    return warn(
      "gateway",
      "gateway is not running: agents, memory sync and proxy refusals were not checked",
      "openclaw gateway start, then run openclaw doctor again",
    );
  }
  if (gateway.state === "unresponsive") {
    return fail(
      "gateway",
      `gateway (pid ${gateway.pid}) does not answer at ${gateway.url}: ${gateway.error}`,
      "restart it: openclaw gateway stop && openclaw gateway start (why it hangs: its log, logs/ in the state dir)",
    );
  }
  return ok(
    "gateway",
    `gateway running at ${gateway.url} (pid ${gateway.pid}${gateway.version ? `, ${gateway.version}` : ""})`,
  );
}

/**
 * `doctor --config x.json` checks x.json, while the running gateway's agents, auth and memory
 * come from the file it was started with: say so, or its findings seem to be about x.json.
 */
export function checkGatewayConfigFile(gateway: GatewayFact, configPath: string): Diagnostic[] {
  if (gateway.state !== "running" || !gateway.configPath) return [];
  if (resolve(gateway.configPath) === resolve(configPath)) return [];
  return [
    warn(
      "gateway-config-file",
      `the running gateway (pid ${gateway.pid}) uses ${gateway.configPath}, not ${configPath}: the checks of its agents, auth and memory describe that file`,
      `to run the gateway on ${configPath}: openclaw gateway stop && openclaw gateway start --config ${configPath}`,
    ),
  ];
}
