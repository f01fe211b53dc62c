/** Who asks a host service: a turn, as the gateway knows it (never as the agent's thread claims). */
export interface HostServiceCaller {
  agentId: string;
  sessionKey: string;
  /** Aborts with the turn (or with the tool's own signal, when it passed one). */
  signal: AbortSignal;
}

/** What a host service's handler is given. */
export interface HostServiceCall extends HostServiceCaller {
  operation: string;
  /** Untrusted: it comes from a tool in the agent's thread. A handler checks it. */
  input: unknown;
}

/**
 * One service of the gateway offered to the agents' tools. It answers with plain data (it may
 * cross to a worker thread) or throws an OpenClawError, whose code the tool receives intact.
 */
export type HostServiceHandler = (call: HostServiceCall) => unknown;
