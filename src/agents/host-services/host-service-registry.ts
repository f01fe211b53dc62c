import { abortable } from "../../abortable.js";
import { OpenClawError, toOpenClawError } from "../../errors.js";
import type { HostAccess } from "../../tools/index.js";
import type { HostServiceCall, HostServiceCaller, HostServiceHandler } from "./host-service.js";

/** Service names travel in messages and error texts: short, no spaces. */
const SERVICE_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * The gateway's services for the agents' tools, by name: the sandbox's `exec`, memory, canvas,
 * and whatever comes next. Adding one is one `register` here and one tool that calls it through
 * `context.host`; nothing in between (runner, worker, protocol) knows the services by name.
 * Register every service before the agents start: their built-in tools are chosen then.
 */
export class HostServiceRegistry {
  private readonly handlers = new Map<string, HostServiceHandler>();
  private readonly idleChecks: [string, (agentId: string) => boolean][] = [];

  /**
   * `idleFor` says, per turn, that a call of the service could not do anything for the agent now
   * (MCP with no server enabled lists nothing): the turn is told so and skips the call, which
   * would otherwise cost a round trip to the gateway's thread on every turn.
   */
  register(
    name: string,
    handler: HostServiceHandler,
    options: { idleFor?: (agentId: string) => boolean } = {},
  ): this {
    if (!SERVICE_NAME.test(name))
      throw new Error(`host service name "${name}" is not 1 to 64 of [A-Za-z0-9_.-]`);
    if (this.handlers.has(name)) throw new Error(`host service "${name}" is registered twice`);
    this.handlers.set(name, handler);
    if (options.idleFor) this.idleChecks.push([name, options.idleFor]);
    return this;
  }

  /** The services that are idle for `agentId` now (see register), or undefined when none is. */
  idleFor(agentId: string): string[] | undefined {
    let idle: string[] | undefined;
    for (const [name, check] of this.idleChecks) {
      if (!check(agentId)) continue;
      idle ??= [];
      idle.push(name);
    }
    return idle;
  }

  has(name: string): boolean {
    return this.handlers.has(name);
  }

  /** The registered services, for choosing an agent's tools (and told to its worker at boot). */
  names(): string[] {
    return [...this.handlers.keys()];
  }

  /**
   * Runs one call. Whatever the handler throws arrives as an OpenClawError (code intact, a plain
   * error as OC_ERR_INTERNAL), so a tool sees the same failure on the main thread as in a worker.
   * An abort rejects at once with the signal's reason.
   */
  async call(service: string, call: HostServiceCall): Promise<unknown> {
    call.signal.throwIfAborted();
    const handler = this.handlers.get(service);
    if (!handler) {
      throw new OpenClawError("OC_ERR_HOST_SERVICE", `the gateway has no "${service}" service`, {
        hint: `services it has: ${this.names().join(", ") || "(none)"}`,
        details: { service },
      });
    }
    try {
      return await abortable(
        Promise.resolve().then(() => handler(call)),
        call.signal,
      );
    } catch (error) {
      if (call.signal.aborted) throw call.signal.reason;
      throw toOpenClawError(error);
    }
  }

  /**
   * A turn's access for an agent on the gateway's own thread. Input and answer are copied as if
   * they crossed a thread: a tool gets the same values (and the same refusals) in both placements,
   * and never a live object of the gateway's.
   */
  accessFor(caller: HostServiceCaller): HostAccess {
    return {
      call: async (service, operation, input, options = {}) => {
        const signal = options.signal ? AbortSignal.any([caller.signal, options.signal]) : caller.signal;
        const { agentId, sessionKey } = caller;
        const copied = plainValue(service, "input", input);
        const answer = await this.call(service, { agentId, sessionKey, operation, input: copied, signal });
        return plainValue(service, "answer", answer);
      },
    };
  }
}

/** A structured clone of `value`, or a typed error naming the service when it cannot be one. */
export function plainValue(service: string, what: "input" | "answer", value: unknown): unknown {
  try {
    return structuredClone(value);
  } catch (error) {
    throw notPlainData(service, what, error);
  }
}

/** The refusal of a value that cannot cross a thread (a function, a socket), inline or relayed. */
export function notPlainData(service: string, what: "input" | "answer", error: unknown): OpenClawError {
  return new OpenClawError(
    "OC_ERR_HOST_SERVICE",
    `the ${service} service's ${what} is not plain data: ${(error as Error).message}`,
    { hint: "host services take and answer JSON-like values (no functions, no class instances)" },
  );
}
