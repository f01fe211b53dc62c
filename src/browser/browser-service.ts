import type { HostServiceCall } from "../agents/host-services/host-service.js";
import { OpenClawError } from "../errors.js";
import type { SessionBrowsers } from "./session-browsers.js";

export { BROWSER_SERVICE } from "../tools/index.js";

function inputError(message: string): OpenClawError {
  return new OpenClawError("OC_ERR_BROWSER_INPUT", message, {
    hint: "actions: open {url}, snapshot, click {ref}, type {ref, text, submit?}, select {ref, value}, screenshot, close, status",
  });
}

function field(input: Record<string, unknown>, name: string): string {
  const value = input[name];
  if (typeof value !== "string" || value.length === 0) throw inputError(`browser needs a string \`${name}\``);
  return value;
}

function ref(input: Record<string, unknown>): number {
  const value = typeof input.ref === "string" ? Number(input.ref) : input.ref;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw inputError("browser needs `ref`: a [n] number from the last snapshot");
  }
  return value;
}

/** The browser tool's host service: one context per (agent, session), as the gateway names them. */
export function browserService(options: {
  browsers: SessionBrowsers;
  /** Whether this agent may use the browser (its tool policy) and the browser is enabled. */
  allowed: (agentId: string) => boolean;
}) {
  return (call: HostServiceCall): Promise<unknown> => {
    if (!options.allowed(call.agentId)) {
      return Promise.reject(
        new OpenClawError("OC_ERR_FORBIDDEN", `agent ${call.agentId} may not use the browser`, {
          hint: "enable tools.browser and name `browser` in the agent's tools",
        }),
      );
    }
    const input = (typeof call.input === "object" && call.input !== null ? call.input : {}) as Record<
      string,
      unknown
    >;
    // Sessions of different agents never share a context, whatever their keys.
    const key = contextKey(call.agentId, call.sessionKey);
    const browsers = options.browsers;
    switch (call.operation) {
      case "open":
        return browsers.open(key, field(input, "url"));
      case "snapshot":
        return browsers.snapshot(key);
      case "click":
        return browsers.click(key, ref(input));
      case "type":
        return browsers.type(key, ref(input), field(input, "text"), input.submit === true);
      case "select":
        return browsers.select(key, ref(input), field(input, "value"));
      case "screenshot":
        return browsers.screenshot(key, call.agentId);
      case "close":
        return browsers.close(key);
      case "status":
        return Promise.resolve({ sessionOpen: browsers.has(key), openContexts: browsers.openCount() });
      default:
        return Promise.reject(inputError(`unknown browser action ${JSON.stringify(call.operation)}`));
    }
  };
}

/** The context a session's calls share: one per agent and session. */
export function contextKey(agentId: string, sessionKey: string): string {
  return `${agentId}\u0000${sessionKey}`;
}
